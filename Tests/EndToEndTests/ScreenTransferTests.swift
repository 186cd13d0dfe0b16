import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// Annex I and II against the running binary: real sockets on loopback, real folders.
@Suite(.serialized) struct ScreenTransferTests {
    /// A standalone workstation in script mode, fabio logged in, listening on a free port.
    func start(_ dir: TemporaryDirectory, transfer: String = "tcp 0") throws -> (RunningAtende, Int) {
        let atende = try RunningAtende(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00", "--keep-going", "--transfer", transfer])
        for line in ["login fabio receptivas", "pw-1234", "pw-1234", "status"] { atende.type(line) }
        #expect(atende.waitFor("Screen transfer: "), "stdout: \(atende.stdout) stderr: \(atende.stderr)")
        let text = atende.stdout
        guard let range = text.range(of: #"tcp 127\.0\.0\.1:\d+"#, options: .regularExpression) else { return (atende, 0) }
        return (atende, Int(text[range].split(separator: ":").last!)!)
    }

    @Test func aCRMFollowsAndDrivesTheCallByteForByte() throws {
        let dir = TemporaryDirectory()
        let (atende, port) = try start(dir)
        let crm = try CRMClient(port: port)
        #expect(waitForClients(1, atende))

        // A call rings: 1;service number;phone with area code
        atende.type("sim incoming 4832819500 Suporte")
        #expect(try crm.nextFrame() == "1;40009938;4832819500")
        // The CRM answers it: 3
        try crm.send(CRMClient.frame("1"))
        #expect(try crm.nextFrame() == "3;40009938;4832819500")
        // The CRM hangs up: 5
        try crm.send(CRMClient.frame("2"))
        #expect(try crm.nextFrame() == "5")
        // Dials, local then another area with carrier 21: 2 and the dial strings of CC-15
        try crm.send(CRMClient.frame("3;;;;32819500"))
        #expect(try crm.nextFrame() == "2;4832819500")
        #expect(atende.waitFor("Dialling 4832819500 (dial string 032819500)."))
        atende.type("sim answer")
        #expect(try crm.nextFrame() == "4;4832819500")
        atende.type("sim hangup")
        #expect(try crm.nextFrame() == "6")
        try crm.send(CRMClient.frame("3;21;;11;987654321"))
        #expect(try crm.nextFrame() == "2;11987654321")
        #expect(atende.waitFor("(dial string 002111987654321)."))
        try crm.send(CRMClient.frame("2"))
        #expect(try crm.nextFrame() == "5")
        // Pauses: eventual on/off, productive by code on/off (empty or blank code to end)
        try crm.send(CRMClient.frame("5;1"))
        #expect(atende.waitFor("Paused: Almoço."))
        try crm.send(CRMClient.frame("5;0"))
        #expect(atende.waitFor("Pause over after"))
        try crm.send(CRMClient.frame("6;101;1"))
        #expect(atende.waitFor("Paused: Treinamento (101)."))
        try crm.send(CRMClient.frame("6; ;0"))
        #expect(atende.waitUntil { out, _ in out.components(separatedBy: "Pause over after").count == 3 })
        // Date and time, to this client
        try crm.send(CRMClient.frame("9999"))
        #expect(try crm.nextFrame() == "9999;11/10/2026;09:00:00")
        // A refused command is logged and changes nothing
        try crm.send(CRMClient.frame("1"))
        #expect(atende.waitFor("refused: qualify attendance 1 before the next call", inErrors: true), "stderr: \(atende.stderr)")
        #expect(atende.stderr.contains("CRM (crm 127.0.0.1:"))
        atende.type("logout")
        #expect(atende.finish() == 0)
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let outbound = try store.attendances.list(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
            .filter { $0.type == .outbound }.map(\.dialString)
        #expect(outbound == ["032819500", "002111987654321"])
    }

    @Test func garbageOnOneConnectionLeavesAnotherOnTime() throws {
        let dir = TemporaryDirectory()
        let (atende, port) = try start(dir)
        let bad = try CRMClient(port: port)
        let good = try CRMClient(port: port)
        let silent = try CRMClient(port: port)
        // Connected as far as the kernel goes is not yet accepted: wait until the workstation counts them.
        #expect(waitForClients(3, atende))
        // Garbage, a split frame, an unknown type, a long field, non-ASCII and a 10 kB frame without ETX
        try bad.send(Array("hello".utf8) + [0x02, 0x39, 0x39])
        try bad.send([0x39, 0x39, 0x03] + CRMClient.frame("42") + CRMClient.frame("4;" + String(repeating: "7", count: 31)))
        try bad.send([0x02, 0xC3, 0xA9, 0x03] + [0x02] + Array(repeating: UInt8(ascii: "1"), count: 10_000))
        // A client that vanishes mid-frame
        do {
            let vanishing = try CRMClient(port: port)
            try vanishing.send([0x02, 0x31, 0x3B])
        }
        // The other connection still gets its events
        atende.type("sim incoming 4832819500 Suporte")
        #expect(try good.nextFrame(timeout: 2) == "1;40009938;4832819500")
        try good.send(CRMClient.frame("1"))
        #expect(try good.nextFrame(timeout: 2) == "3;40009938;4832819500")
        // The bad connection gets the same events, and its split 9999 was answered; the rest was rejected and logged
        var seen: [String] = []
        for _ in 0..<3 { seen.append((try? bad.nextFrame(timeout: 2)) ?? "none") }
        #expect(seen.sorted() == ["1;40009938;4832819500", "3;40009938;4832819500", "9999;11/10/2026;09:00:00"], "stderr: \(atende.stderr)")
        // A client that says nothing neither blocks the others nor misses events.
        #expect(try silent.nextFrame(timeout: 2) == "1;40009938;4832819500")
        atende.type("logout --force")
        #expect(atende.finish() == 0)
        #expect(atende.stderr.contains("screen transfer frame rejected"))
        #expect(atende.stderr.contains("frameTooLong"))
        #expect(atende.stderr.contains("unknownType"))
        #expect(atende.stderr.contains("unterminatedFrame"))
    }

    /// A megabyte of STX on one connection: another client still gets its ring, and standard
    /// error holds a few summary lines, not a line a byte.
    @Test func aFloodOfSTXLeavesAnotherClientItsEventsAndTheLogShort() throws {
        let dir = TemporaryDirectory()
        let (atende, port) = try start(dir)
        let flooder = try CRMClient(port: port)
        let good = try CRMClient(port: port)
        #expect(waitForClients(2, atende))
        let before = atende.stderr.utf8.count
        // When one peer sends a megabyte of STX and then of empty frames
        try flooder.send([UInt8](repeating: 0x02, count: 1_000_000))
        try flooder.send(Array([[UInt8]](repeating: [0x02, 0x03], count: 500_000).joined()))
        // Then the other gets its ring
        atende.type("sim incoming 4832819500 Suporte")
        #expect(try good.nextFrame() == "1;40009938;4832819500")
        // and once all the flood is read (its own 9999 is answered), the log counts it in a few lines
        try flooder.send(CRMClient.frame("9999"))
        var seen: [String] = []
        while seen.last?.hasPrefix("9999;") != true, seen.count < 3 { seen.append(try flooder.nextFrame()) }
        atende.type("logout --force")
        #expect(atende.finish() == 0)
        #expect(atende.stderr.utf8.count - before < 10_000, "\(atende.stderr.utf8.count - before) bytes")
        #expect(atende.stderr.contains("screen transfer frames rejected"))
        #expect(atende.stderr.contains("emptyFrame"))
    }

    /// The CRM is a subscriber of the workstation, not of what the REPL prints: its frames come
    /// the same with `--json` and with standard output thrown away.
    @Test(arguments: [["--json"], []])
    func aCRMGetsItsFramesWhateverIsPrinted(extra: [String]) throws {
        let dir = TemporaryDirectory()
        let atende = try RunningAtende(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00", "--keep-going",
             "--transfer", "tcp 0", "--log-level", "info"] + extra,
            discardingOutput: extra.isEmpty)
        for line in ["login fabio receptivas", "pw-1234", "pw-1234"] { atende.type(line) }
        // The port is in the log line of the listener (standard output may be gone).
        #expect(atende.waitUntil { _, err in err.range(of: #"port=\d+"#, options: .regularExpression) != nil })
        let log = atende.stderr
        let port = try #require(log.range(of: #"port=\d+"#, options: .regularExpression).flatMap { Int(log[$0].dropFirst(5)) })
        let crm = try CRMClient(port: port)
        #expect(atende.waitFor("screen transfer client connected", inErrors: true))
        atende.type("sim incoming 4832819500 Suporte")
        #expect(try crm.nextFrame() == "1;40009938;4832819500")
        try crm.send(CRMClient.frame("1"))
        #expect(try crm.nextFrame() == "3;40009938;4832819500")
        atende.type("hangup")
        #expect(try crm.nextFrame() == "5")
        if !extra.isEmpty { #expect(atende.stdout.contains(#""event":"answered""#), "\(atende.stdout)") }
        atende.type("qualify INFO")
        atende.type("logout")
        #expect(atende.finish() == 0, "stderr: \(atende.stderr)")
    }

    @Test func theTXTBridgeWritesLEAndRunsLSLALD() throws {
        let dir = TemporaryDirectory()
        let folder = dir.file("crm")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let atende = try RunningAtende(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00", "--keep-going", "--log-level", "info",
             "--transfer", "txt \(folder.path)"])
        for line in ["login fabio receptivas", "pw-1234", "pw-1234", "sim incoming 4832819500 Suporte"] { atende.type(line) }
        let le = folder.appendingPathComponent("2050/LE.txt")
        // The screen transfer says when it wrote LE.txt (written to a temporary file and renamed).
        #expect(atende.waitFor("LE.txt written", inErrors: true), "stderr: \(atende.stderr)")
        #expect((try? String(contentsOf: le, encoding: .utf8))?.contains("4832819500") == true)
        try Data().write(to: folder.appendingPathComponent("2050/LA.txt"))
        #expect(atende.waitFor("Answered: Suporte 4832819500."))
        // A command file is taken (renamed) before it runs: once its effect shows, it is gone.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("2050/LA.txt").path))
        try Data().write(to: folder.appendingPathComponent("2050/LD.txt"))
        #expect(atende.waitFor("Call ended by the agent"))
        atende.type("qualify INFO")
        try Data("4833334444\n".utf8).write(to: folder.appendingPathComponent("2050/LS.txt"))
        #expect(atende.waitFor("Dialling 4833334444 (dial string 033334444)."))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("2050/LS.txt").path))
        // `config transfer` switches modes live.
        atende.type("config transfer tcp 0")
        atende.type("status")
        #expect(atende.waitFor("Screen transfer: tcp 127.0.0.1:"))
        atende.type("logout --force")
        #expect(atende.finish() == 0)
    }

    /// Asks `status` until it counts `n` CRM clients.
    func waitForClients(_ n: Int, _ atende: RunningAtende) -> Bool {
        for _ in 0..<50 {
            atende.type("status")
            if atende.waitFor("clients: \(n) (", timeout: 0.1) { return true }
        }
        return false
    }
}
