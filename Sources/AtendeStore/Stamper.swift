import AtendeCore
import Foundation
import GRDB

/// Stamps every change with the workstation's hybrid logical clock and numbers records,
/// inside the transaction that makes the change.
final class Stamper: @unchecked Sendable {
    private let clock: any AtendeClock
    private let lock = NSLock()
    private var hlc: HybridLogicalClock

    init(pool: DatabasePool, clock: any AtendeClock) throws {
        self.clock = clock
        hlc = try pool.write { db in
            var node = try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'node'")
            if node == nil {
                node = String(UUID().uuidString.prefix(8)).lowercased()
                try db.cachedStatement(sql: "INSERT INTO workstation_meta (key, value) VALUES ('node', ?)").execute(arguments: [node])
            }
            let last = try String.fetchOne(db, sql: "SELECT last FROM hlc_state WHERE id = 1").flatMap(HLCStamp.init)
            return HybridLogicalClock(node: node!, last: last)
        }
    }

    var now: Date { clock.now() }

    /// A new stamp, persisted with the transaction so a restart never issues a smaller one.
    func stamp(_ db: Database) throws -> String {
        let stamp = lock.withLock { hlc.tick(now: clock.now()).description }
        try db.cachedStatement(sql: "INSERT INTO hlc_state (id, last) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last = excluded.last").execute(arguments: [stamp])
        return stamp
    }

    /// The next short number of the sequence `name` (attendance, note, agenda, contact).
    func next(_ name: String, _ db: Database) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: """
                INSERT INTO sequences (name, value) VALUES (?, 1)
                ON CONFLICT(name) DO UPDATE SET value = value + 1
                RETURNING value
                """), arguments: [name])!
    }

    /// Queues `record` for the server in the same transaction as the change it describes.
    func enqueue<T: Encodable>(
        _ db: Database, entity: String, id: UUID, operation: String, record: T, hlc: String
    ) throws {
        let payload = String(decoding: try JSONEncoder.sync.encode(record), as: UTF8.self)
        try db.cachedStatement(sql: """
                INSERT INTO outbox (op_id, entity, entity_id, operation, payload, hlc, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [UUID().uuidString, entity, id.uuidString, operation, payload, hlc, Int64(now.timeIntervalSince1970)])
    }

    /// Records a deletion so that it wins over concurrent edits, and queues it.
    func tombstone(_ db: Database, entity: String, id: UUID) throws {
        let hlc = try stamp(db)
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO tombstones (entity, entity_id, hlc, deleted_at) VALUES (?, ?, ?, ?)").execute(arguments: [entity, id.uuidString, hlc, Int64(now.timeIntervalSince1970)])
        try enqueue(db, entity: entity, id: id, operation: "delete", record: ["id": id.uuidString], hlc: hlc)
    }
}

extension JSONEncoder {
    static let sync: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}

extension Date {
    var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    init(unixSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(unixSeconds)) }
}

extension Row {
    func date(_ column: String) -> Date? {
        (self[column] as Int64?).map(Date.init(unixSeconds:))
    }

    func uuid(_ column: String) -> UUID? {
        (self[column] as String?).flatMap(UUID.init(uuidString:))
    }
}
