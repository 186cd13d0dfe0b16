import AtendeCore
import Foundation
import Testing
import TestSupport

@testable import AtendeStore

/// The outbox's life cycle: its pending count kept with it, the prune of what the server
/// acknowledged, and the writer's page cache kept for bulk writes.
@Suite struct OutboxTests {
    /// The count as the outbox itself says it.
    func counted(_ f: StoreFixture) throws -> Int { Int(try f.sql("SELECT COUNT(*) FROM outbox"))! }

    @Test func thePendingCountFollowsEveryWriteTheAcknowledgementsAndARestart() throws {
        let f = try StoreFixture()
        // Given notes added, edited and removed, and preferences set again (which drops their older entry)
        let note = try f.store.notes.add(agent: "fabio", text: "Call the bank")
        try f.store.notes.add(agent: "fabio", text: "Call Maria")
        _ = try f.store.notes.edit(agent: "fabio", number: note.number, text: "Call the bank at 10")
        _ = try f.store.notes.remove(agent: "fabio", number: note.number)
        try f.store.preferences.set(["areacode": "48", "pabx.password": "in clear"])
        try f.store.preferences.set(["pabx.password": "sealed"], localOnly: ["pabx.password"])
        try f.store.preferences.set(["areacode": "11", "language": "en"])
        // Then the kept count is the outbox's, at every step
        #expect(try f.store.pendingOutboxCount() == (try counted(f)))
        #expect(try f.store.pendingOutboxCount() == 7)
        // When the server acknowledges the first three entries
        let first = try f.store.outbox.pending(limit: 3)
        #expect(first.map(\.entity) == ["note", "note", "note"])
        #expect(try f.store.outbox.acknowledge(through: first[2].sequence) == 3)
        #expect(try f.store.pendingOutboxCount() == 4)
        #expect(try counted(f) == 4)
        // And the entries left are the later ones, in order
        let left = try f.store.outbox.pending(limit: 10).map(\.sequence)
        #expect(left.count == 4 && left == left.sorted() && left.allSatisfy { $0 > first[2].sequence })
        // And an acknowledgement again, or of more than there is, removes only what is there
        #expect(try f.store.outbox.acknowledge(through: first[2].sequence) == 0)
        try f.store.notes.add(agent: "fabio", text: "After the prune")
        #expect(try f.store.pendingOutboxCount() == 5)
        // And a restart reads the same count
        let reopened = try Store(path: f.path, clock: f.clock)
        #expect(try reopened.pendingOutboxCount() == 5)
        #expect(try reopened.outbox.acknowledge(through: .max) == 5)
        #expect(try reopened.pendingOutboxCount() == 0)
        #expect(try counted(f) == 0)
    }

    @Test func theOldestEntriesComeFirstWithWhatTheyQueued() throws {
        let f = try StoreFixture()
        let a = try f.store.notes.add(agent: "fabio", text: "first")
        try f.store.notes.add(agent: "fabio", text: "second")
        let entries = try f.store.outbox.pending(limit: 10)
        #expect(entries.count == 2)
        #expect(entries[0].sequence < entries[1].sequence)
        #expect(entries[0].entityID == a.id.uuidString && entries[0].operation == "insert")
        #expect(entries[0].payload.contains("\"text\":\"first\""))
        #expect(entries[0].createdAt == f.clock.now().truncatedToSeconds)
        #expect(try f.store.outbox.pending(after: entries[0].sequence, limit: 10) == [entries[1]])
    }

    @Test func aStoreUpgradedWithEntriesCountsThem() throws {
        let f = try StoreFixture()
        for i in 0..<4 { try f.store.notes.add(agent: "fabio", text: "note \(i)") }
        // Given a store as it was before migration 0006 (its outbox holding four entries)
        _ = try f.sql("""
            DROP TRIGGER outbox_pending_insert; DROP TRIGGER outbox_pending_delete; DROP TABLE outbox_pending;
            DROP TABLE sync_replica; DROP TABLE sync_conflicts; DROP INDEX outbox_record; ALTER TABLE outbox DROP COLUMN bases;
            CREATE TABLE sync_conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
                field TEXT NOT NULL, kept_value TEXT, lost_value TEXT, kept_hlc TEXT NOT NULL, lost_hlc TEXT NOT NULL,
                recorded_at INTEGER NOT NULL);
            DELETE FROM grdb_migrations WHERE identifier IN ('0006_outbox_pending', '0007_sync_replica'); PRAGMA user_version = 5;
            """)
        // When it is opened by this version
        var told: [Int] = []
        let upgraded = try Store(path: f.path, clock: f.clock) { from, to in told = [from, to] }
        // Then the migration counted the entries it found, and counts on from there
        #expect(told == [5, 7])
        #expect(try upgraded.pendingOutboxCount() == 4)
        try upgraded.notes.add(agent: "fabio", text: "one more")
        #expect(try upgraded.pendingOutboxCount() == 5)
    }

    @Test func theWritersLargePageCacheIsTheBulkWritesOnly() throws {
        let f = try StoreFixture()
        // SQLite's default (2,000 KiB) for a session's writes
        #expect(try f.store.writerCacheSize() == -2000)
        // 64 MiB while a bulk write runs, nested or not
        let inside = try f.store.bulkWriting { () throws -> [Int] in
            let outer = try f.store.writerCacheSize()
            let nested = try f.store.bulkWriting { () throws -> Int in try f.store.writerCacheSize() }
            return [outer, nested, try f.store.writerCacheSize()]
        }
        #expect(inside == [-65536, -65536, -65536])
        #expect(try f.store.writerCacheSize() == -2000)
        // And back to the default when the bulk write fails
        struct Failed: Error {}
        #expect(throws: Failed.self) { try f.store.bulkWriting { throw Failed() } }
        #expect(try f.store.writerCacheSize() == -2000)
    }
}

extension Date {
    fileprivate var truncatedToSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
