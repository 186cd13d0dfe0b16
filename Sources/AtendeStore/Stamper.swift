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
        try stamps(1, db)[0]
    }

    /// `count` new stamps in increasing order, the last persisted with the transaction.
    func stamps(_ count: Int, _ db: Database) throws -> [String] {
        let stamps = lock.withLock {
            let now = clock.now()
            return (0..<count).map { _ in hlc.tick(now: now).description }
        }
        try db.cachedStatement(sql: "INSERT INTO hlc_state (id, last) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last = excluded.last").execute(arguments: [stamps.last])
        return stamps
    }

    /// The next short number of the sequence `name` (attendance, note, agenda, contact).
    func next(_ name: String, _ db: Database) throws -> Int {
        try next(name, count: 1, db)
    }

    /// Reserves the next `count` numbers of the sequence `name` and returns the first; the others
    /// follow it.
    func next(_ name: String, count: Int, _ db: Database) throws -> Int {
        let last = try Int.fetchOne(try db.cachedStatement(sql: """
                INSERT INTO sequences (name, value) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                RETURNING value
                """), arguments: [name, count])!
        return last - count + 1
    }

    /// Queues `record` for the server in the same transaction as the change it describes.
    func enqueue<T: Encodable>(
        _ db: Database, entity: String, id: UUID, operation: String, record: T, hlc: String
    ) throws {
        let payload = String(decoding: try JSONEncoder.sync.encode(record), as: UTF8.self)
        try enqueue(
            try outboxInsert(db), entity: entity, id: id.uuidString, operation: operation, payload: payload, hlc: hlc,
            opID: UUID.random().uuidString, at: now)
    }

    /// The insert of an outbox operation, for `enqueue(_:entity:id:operation:payload:hlc:opID:at:)`.
    func outboxInsert(_ db: Database) throws -> InsertStatement {
        try InsertStatement(db, sql: """
                INSERT INTO outbox (op_id, entity, entity_id, operation, payload, hlc, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Queues an operation whose payload is already JSON, as `JSONEncoder.sync` writes it.
    func enqueue(
        _ outbox: InsertStatement, entity: String, id: String, operation: String, payload: String, hlc: String, opID: String,
        at time: Date
    ) throws {
        try outbox.run { row in
            row.bind(opID)
            row.bind(entity)
            row.bind(id)
            row.bind(operation)
            row.bind(payload)
            row.bind(hlc)
            row.bind(time.unixSeconds)
        }
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
