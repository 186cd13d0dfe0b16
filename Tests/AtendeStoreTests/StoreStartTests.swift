import AtendeCore
import Foundation
import Testing
import TestSupport

@testable import AtendeStore

/// What a start reads of the database file: all of it (`quick_check`) unless Atende closed it
/// whole last and nothing changed it since.
@Suite struct StoreStartTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))
    var path: String { dir.file("atende.sqlite").path }

    func open() throws -> Store { try Store(path: path, clock: clock) }

    /// Opens the store, runs `body` with it, and closes it whole; whether the open read it in full.
    @discardableResult
    func session(_ body: (Store) throws -> Void = { _ in }) throws -> Bool {
        let store = try open()
        try body(store)
        try store.close()
        return store.checkedInFull
    }

    @Test func aStoreClosedWholeIsNotReadInFullAgainUntilSomethingChangesIt() throws {
        // Given a store made (a new file has nothing to check), written and closed
        #expect(try !session { try $0.notes.add(agent: "fabio", text: "kept") })
        // When it is opened again, it is not read in full, and holds what it held
        var kept: [String] = []
        #expect(try !session { kept = try $0.notes.list(agent: "fabio").map(\.text) })
        #expect(kept == ["kept"])
        // When anything changes the file's times after a close (here its modification time)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: path)
        // Then the next start reads it in full, and the one after, once it closed whole again, not
        #expect(try session())
        #expect(try !session())
        // And a store released without being closed leaves no record: the next start reads it all
        do { _ = try open() }
        try session()
        do { let unclosed = try open(); try unclosed.notes.add(agent: "fabio", text: "more") }
        #expect(try session())
    }

    @Test func aStoreWrittenByAnotherConnectionSinceItsCloseIsReadInFull() throws {
        try session { try $0.notes.add(agent: "fabio", text: "kept") }
        // Given one store open, and a second one opened and closed while the first is
        let first = try open()
        try first.notes.add(agent: "fabio", text: "in the log")
        #expect(try session())  // the first one's log is there
        // Then a start after the first wrote again reads the file in full too
        try first.notes.add(agent: "fabio", text: "in the log again")
        #expect(try session())
        // And one closed while another program holds a read open cannot empty the log: no record
        try first.notes.add(agent: "fabio", text: "and again")
        let reader = try SQLiteShell(path: path)
        _ = try reader.run("BEGIN; SELECT COUNT(*) FROM notes;")
        #expect(try session())
        _ = try reader.run("COMMIT;")
        reader.close()
        #expect(try session())
        // And once the first closes whole, the next start does not
        try first.close()
        #expect(try !session())
    }

    @Test func aDamagedPageAfterACleanCloseRefusesTheStart() throws {
        // Given a store closed whole, its pages all in the file
        try session { try $0.notes.add(agent: "fabio", text: "kept") }
        let page = try SQLiteShell(path: path)
        let root = Int(try page.run("SELECT rootpage FROM sqlite_master WHERE name = 'notes';").trimmingCharacters(in: .whitespacesAndNewlines))!
        page.close()
        #expect(try !session())
        // When a page of it is overwritten
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seek(toOffset: UInt64((root - 1) * 4096))
        file.write(Data(repeating: 0xff, count: 4096))
        try file.close()
        // Then the start reads it in full and refuses it
        #expect {
            _ = try open()
        } throws: { error in
            if case StoreError.corrupt = error { return true }
            return false
        }
    }
}
