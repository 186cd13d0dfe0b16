import Dispatch
import Foundation
import Glibc
import Testing
@testable import AtendeIntegration

/// Collects commands and log lines from a bridge, thread-safely.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storedCommands: [TXTCommand] = []
    private var storedLogs: [String] = []
    let arrived = DispatchSemaphore(value: 0)

    var commands: [TXTCommand] { lock.withLock { storedCommands } }
    var logs: [String] { lock.withLock { storedLogs } }

    func command(_ command: TXTCommand) {
        lock.withLock { storedCommands.append(command) }
        arrived.signal()
    }

    func log(_ line: String) {
        lock.withLock { storedLogs.append(line) }
    }
}

/// A settable clock for the staleness rule.
private final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_700_000_000)

    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A bridge on a fresh temp directory that is removed when the fixture goes away.
private final class Fixture {
    let root: URL
    let recorder = Recorder()
    let clock = Clock()
    let bridge: TXTBridge

    init(pollInterval: TimeInterval = 0.1) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("txt-bridge-\(UUID().uuidString)", isDirectory: true)
        let recorder = recorder
        let clock = clock
        // The configured folder exists; the bridge makes only the extension's folder inside it.
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("integracao", isDirectory: true), withIntermediateDirectories: true)
        bridge = TXTBridge(
            directory: root.appendingPathComponent("integracao", isDirectory: true), extension: "2048",
            pollInterval: pollInterval, now: { clock.now() },
            onCommand: { recorder.command($0) }, log: { recorder.log($0) })
        try bridge.start()
        bridge.stop()
    }

    deinit {
        bridge.stop()
        try? FileManager.default.removeItem(at: root)
    }

    var folder: URL { bridge.folder }

    func write(_ name: String, _ text: String, modified: Date? = nil) throws {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path) }
    }

    func append(_ name: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    func poll(_ times: Int = 1) {
        for _ in 0..<times { bridge.pollOnce() }
    }
}

@Suite("TXT bridge (Annex II)")
struct TXTBridgeTests {
    @Test func startCreatesTheExtensionFolderWithMode0755() throws {
        let fixture = try Fixture()
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.folder.path)
        #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o755)
        #expect(fixture.folder.lastPathComponent == "2048")
    }

    @Test func startRejectsAnExtensionThatIsNotAFolderName() {
        let bridge = TXTBridge(directory: FileManager.default.temporaryDirectory, extension: "../x",
                               onCommand: { _ in }, log: { _ in })
        #expect(throws: TXTBridgeError.invalidExtension("../x")) { try bridge.start() }
    }

    @Test func startRefusesAMissingFolderAndASymlinkedExtensionFolder() throws {
        // Given a configured folder that does not exist
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("txt-bridge-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = TXTBridge(directory: root.appendingPathComponent("crm"), extension: "2050", onCommand: { _ in }, log: { _ in })
        // Then it is not created (only extension folders are)
        #expect(throws: TXTBridgeError.missingFolder(root.appendingPathComponent("crm").path)) { try missing.start() }
        #expect(!FileManager.default.fileExists(atPath: root.path))
        // Given an extension folder that is a symbolic link to elsewhere
        let crm = root.appendingPathComponent("crm")
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: crm, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: crm.appendingPathComponent("2050"), withDestinationURL: elsewhere)
        let linked = TXTBridge(directory: crm, extension: "2050", onCommand: { _ in }, log: { _ in })
        // Then it is refused, and nothing is written through it
        #expect(throws: TXTBridgeError.symlinkedFolder(crm.appendingPathComponent("2050").path)) { try linked.start() }
        #expect(throws: TXTBridgeError.symlinkedFolder(crm.appendingPathComponent("2050").path)) {
            try linked.incomingCall(number: "4832819500")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test func incomingCallWritesDigitsAndLeavesNoTempFile() throws {
        let fixture = try Fixture()
        try fixture.bridge.incomingCall(number: "48 3281-9500")
        #expect(try fixture.read("LE.txt") == "4832819500")
        // The caller's number is for the CRM of this account only.
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.folder.appendingPathComponent("LE.txt").path)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        #expect(try fixture.names() == ["LE.txt"])
        #expect(fixture.recorder.logs.allSatisfy { !$0.contains("4832819500") })
        #expect(fixture.recorder.logs.contains { $0.contains("<10 digits>") })
    }

    @Test func incomingCallReplacesAnUnreadLE() throws {
        let fixture = try Fixture()
        try fixture.write("LE.txt", "1111111111")
        try fixture.bridge.incomingCall(number: "4832819500")
        #expect(try fixture.read("LE.txt") == "4832819500")
        #expect(try fixture.names() == ["LE.txt"])
    }

    @Test func incomingCallRejectsAnEmptyNumber() throws {
        let fixture = try Fixture()
        #expect(throws: TXTBridgeError.invalidNumber) { try fixture.bridge.incomingCall(number: "anonymous") }
        #expect(try fixture.names().isEmpty)
    }

    @Test(arguments: [("LA.txt", TXTCommand.answer), ("LD.txt", TXTCommand.hangup)])
    func answerAndHangupRunOnceAndAreDeleted(name: String, command: TXTCommand) throws {
        let fixture = try Fixture()
        try fixture.write(name, "")
        fixture.poll(3)
        #expect(fixture.recorder.commands == [command])
        #expect(try fixture.names().isEmpty)
    }

    @Test func dialRunsOnceWhenStableAndIsDeleted() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "4832819500")
        fixture.poll()
        #expect(fixture.recorder.commands.isEmpty)
        fixture.poll(3)
        #expect(fixture.recorder.commands == [.dial("4832819500")])
        #expect(try fixture.names().isEmpty)
        #expect(fixture.recorder.logs.allSatisfy { !$0.contains("4832819500") })
    }

    @Test func dialStripsSeparatorsAndKeepsALeadingPlus() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", " +55 (48) 3281-9500\r\n")
        fixture.poll(2)
        #expect(fixture.recorder.commands == [.dial("+554832819500")])
    }

    @Test func emptyDialWaitsUntilContentAppears() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "")
        fixture.poll(3)
        #expect(fixture.recorder.commands.isEmpty)
        #expect(try fixture.names() == ["LS.txt"])
        try fixture.write("LS.txt", "4832819500\n")
        fixture.poll(4)
        #expect(fixture.recorder.commands == [.dial("4832819500")])
        #expect(try fixture.names().isEmpty)
    }

    @Test func dialStillEmptyAfterTwoSecondsIsMovedAsideAndLogged() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "")
        fixture.poll()
        fixture.clock.advance(1.9)
        fixture.poll()
        #expect(try fixture.names() == ["LS.txt"])
        fixture.clock.advance(0.1)
        fixture.poll()
        let names = try fixture.names()
        #expect(names == ["LS.txt.rejected-1700000002000"])
        #expect(fixture.recorder.commands.isEmpty)
        #expect(fixture.recorder.logs.contains { $0.contains("LS.txt is empty after 2 s") && $0.contains(names[0]) })
        fixture.poll(2)
        #expect(fixture.recorder.commands.isEmpty)
    }

    @Test func dialWithGarbageIsMovedAsideAfterTwoSeconds() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "call me 4832819500")
        fixture.poll(2)
        #expect(fixture.recorder.commands.isEmpty)
        fixture.clock.advance(2)
        fixture.poll()
        #expect(try fixture.names() == ["LS.txt.rejected-1700000002000"])
        #expect(fixture.recorder.logs.contains { $0.contains("holds no valid number") })
    }

    @Test func halfWrittenDialWaitsWhileItsSizeChanges() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "48")
        fixture.poll()
        try fixture.append("LS.txt", "3281")
        fixture.poll()
        #expect(fixture.recorder.commands.isEmpty)
        try fixture.append("LS.txt", "9500")
        fixture.poll()
        #expect(fixture.recorder.commands.isEmpty)
        fixture.poll(2)
        #expect(fixture.recorder.commands == [.dial("4832819500")])
    }

    @Test func aDirectoryNamedLSIsMovedAsideAndLogged() throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(at: fixture.folder.appendingPathComponent("LS.txt"),
                                                withIntermediateDirectories: false)
        fixture.poll(2)
        #expect(fixture.recorder.commands.isEmpty)
        #expect(try fixture.names() == ["LS.txt.rejected-1700000000000"])
        #expect(fixture.recorder.logs.filter { $0.contains("LS.txt is not a regular file") }.count == 1)
    }

    @Test(.disabled(if: geteuid() == 0, "root reads a chmod 000 file, so it cannot be made unreadable"))
    func anUnreadableDialIsMovedAsideAtOnce() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "4832819500")
        #expect(chmod(fixture.folder.appendingPathComponent("LS.txt").path, 0) == 0)
        fixture.poll()
        #expect(fixture.recorder.commands.isEmpty)
        #expect(try fixture.names() == ["LS.txt.rejected-1700000000000"])
        #expect(fixture.recorder.logs.contains { $0.contains("LS.txt cannot be read") })
    }

    @Test(arguments: [true, false])
    func twoCommandsRunOnceOldestFirst(hangupFirst: Bool) throws {
        let fixture = try Fixture()
        let older = Date(timeIntervalSinceNow: -10)
        let newer = Date(timeIntervalSinceNow: -5)
        try fixture.write("LD.txt", "", modified: hangupFirst ? older : newer)
        try fixture.write("LA.txt", "", modified: hangupFirst ? newer : older)
        fixture.poll(3)
        #expect(fixture.recorder.commands == (hangupFirst ? [.hangup, .answer] : [.answer, .hangup]))
        #expect(try fixture.names().isEmpty)
    }

    @Test func anOlderDialStillBeingWrittenHoldsBackANewerHangup() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt", "4832819500", modified: Date(timeIntervalSinceNow: -10))
        try fixture.write("LD.txt", "", modified: Date(timeIntervalSinceNow: -5))
        fixture.poll()
        #expect(fixture.recorder.commands.isEmpty)
        fixture.poll(2)
        #expect(fixture.recorder.commands == [.dial("4832819500"), .hangup])
    }

    @Test func pollingThreadPicksUpACommand() throws {
        let fixture = try Fixture(pollInterval: 0.02)
        try fixture.bridge.start()
        try fixture.write("LA.txt", "")
        #expect(fixture.recorder.arrived.wait(timeout: .now() + 1) == .success)
        fixture.bridge.stop()
        #expect(fixture.recorder.commands == [.answer])
        #expect(try fixture.names().isEmpty)
    }

    @Test func stopStopsPolling() throws {
        let fixture = try Fixture(pollInterval: 0.02)
        try fixture.bridge.start()
        fixture.bridge.stop()
        try fixture.write("LD.txt", "")
        #expect(fixture.recorder.arrived.wait(timeout: .now() + 0.2) == .timedOut)
        #expect(fixture.recorder.commands.isEmpty)
        #expect(try fixture.names() == ["LD.txt"])
    }

    @Test func leftoverClaimedFilesAreReportedOnStart() throws {
        let fixture = try Fixture()
        try fixture.write("LS.txt.processing-1", "4832819500")
        try fixture.bridge.start()
        fixture.bridge.stop()
        #expect(fixture.recorder.logs.contains { $0.contains("LS.txt.processing-1 was left by an interrupted run") })
        #expect(fixture.recorder.commands.isEmpty)
    }
}
