import AtendeCore
import AtendeStore
@testable import AtendeWorkstation
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite struct ContactImporterTests {
    struct Failure: Error {}

    /// The writes that ran, in order.
    final class WriteLog: Sendable {
        private let values = Mutex<[Int]>([])
        var written: [Int] { values.withLock { $0 } }
        func record(_ value: Int) { values.withLock { $0.append(value) } }
    }

    @Test func batchesKeepTheFileOrderAndEveryRejection() throws {
        // Given a file of ten rows, two of them bad, imported three contacts per transaction
        let dir = TemporaryDirectory()
        let store = try Store(path: dir.file("atende.sqlite").path, clock: ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000)))
        var rows = ["name,phone"]
        for i in 1...10 {
            rows.append(i % 4 == 0 ? ",4832819500" : "Cliente \(i),48 3281-95\(10 + i)")
        }
        let csv = try dir.write("contacts.csv", rows.joined(separator: "\n") + "\n")
        var reported: [Int] = []
        // When it is imported
        let report = try ContactImporter(store: store, areaCode: "48", batchSize: 3).importContacts(from: csv) { done, total in
            #expect(total == rows.joined(separator: "\n").utf8.count + 1)
            reported.append(done)
        }
        // Then the good rows are numbered in file order and each bad one is reported with its line
        #expect(report.imported == 8)
        #expect(report.rejected.map(\.line) == [5, 9])
        #expect(try (1...8).map { try store.contacts.contact(number: $0)?.name } == [1, 2, 3, 5, 6, 7, 9, 10].map { "Cliente \($0)" })
        #expect(try store.pendingOutboxCount() == 8)
        // And progress went forward batch by batch to the end of the file
        #expect(reported.count == 3 && reported == reported.sorted() && reported.last == rows.joined(separator: "\n").utf8.count + 1)
    }

    @Test func aFailedWriteStopsTheWritesAfterIt() throws {
        // Given a writer whose second write fails
        let writer = BackgroundWriter(label: "test")
        let log = WriteLog()
        try writer.submit { log.record(1) }
        try writer.submit { throw Failure() }
        // When a third is submitted, it is refused with the second's error and never runs
        #expect(throws: Failure.self) { try writer.submit { log.record(3) } }
        #expect(throws: Failure.self) { try writer.finish() }
        #expect(log.written == [1])
    }
}

/// A contacts file in another encoding is refused as a whole, with what to do, not imported as garbage.
@Suite struct ContactImporterEncodingTests {
    static let text = "name,phone\nJosé,4832819500\n"
    static let utf16LE: [UInt8] = [0xFF, 0xFE] + Array(text.utf16).flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
    static let utf16BE: [UInt8] = Array(text.utf16).flatMap { (u: UInt16) -> [UInt8] in [UInt8(u >> 8), UInt8(u & 0xFF)] }
    static let latin1: [UInt8] = Array("name,phone\nJos".utf8) + [0xE9] + Array(",4832819500\n".utf8)

    @Test(arguments: [("utf16le", utf16LE), ("utf16be-no-mark", utf16BE), ("latin1", latin1)])
    func aFileNotInUTF8IsRefusedWithNothingImported(name: String, bytes: [UInt8]) throws {
        let dir = TemporaryDirectory()
        let store = try Store(path: dir.file("atende.sqlite").path, clock: ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000)))
        let file = dir.file("\(name).csv")
        try Data(bytes).write(to: file)
        #expect(throws: AtendeError.fileNotUTF8(file.path)) {
            try ContactImporter(store: store, areaCode: "48").importContacts(from: file) { _, _ in }
        }
        #expect(try store.contacts.count() == 0)
    }

    @Test func aUTF8FileWithItsMarkAndAccentsImports() throws {
        let dir = TemporaryDirectory()
        let store = try Store(path: dir.file("atende.sqlite").path, clock: ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000)))
        let file = dir.file("ok.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("name,phone\nJosé,4832819500\n".utf8)).write(to: file)
        let report = try ContactImporter(store: store, areaCode: "48").importContacts(from: file) { _, _ in }
        #expect(report.imported == 1 && report.rejected.isEmpty)
    }

    @Test func theStartOfALongFileMayEndInsideACharacter() {
        let head = Array(String(repeating: "a", count: 10).utf8) + [0xC3]
        #expect(CSVReader.looksLikeUTF8(head, complete: false))
        #expect(!CSVReader.looksLikeUTF8(head, complete: true))
    }
}
