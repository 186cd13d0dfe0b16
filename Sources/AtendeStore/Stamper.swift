import AtendeCore
import AtendeSync
import Foundation
import GRDB

/// Stamps every change with the store's hybrid logical clock and numbers records, inside the
/// transaction that makes the change.
///
/// The clock is the store's, not the process's: each stamp starts from the last one persisted in
/// `hlc_state` (read in the same write transaction), so two processes on one database never issue
/// the same stamp. A persisted stamp more than `maximumSkew` ahead of the clock (a run with its
/// clock in the future) is repaired: see ``repairIfAhead(_:)``.
final class Stamper: @unchecked Sendable {
    private let clock: any AtendeClock
    private let maximumSkew: TimeInterval
    private let storeID: String?
    private let lock = NSLock()
    private var hlc: HybridLogicalClock
    /// Told whenever an operation is queued (inside its transaction: a rolled-back one is told too).
    private var queued: (@Sendable () -> Void)?
    /// How far this machine's clock is ahead of the server's, as the server last said (SY-3):
    /// stamps are taken from the clock less this, so a wrong clock neither wins every later edit
    /// nor has its edits held back by the server.
    private var correction: TimeInterval = 0

    /// The time stamps are taken from.
    private var stampTime: Date { clock.now().addingTimeInterval(-lock.withLock { correction }) }

    /// The correction in force, in seconds.
    var clockCorrection: TimeInterval { lock.withLock { correction } }

    func onQueued(_ tell: @escaping @Sendable () -> Void) {
        lock.withLock { queued = tell }
    }

    init(pool: DatabasePool, clock: any AtendeClock, maximumSkew: TimeInterval) throws {
        self.clock = clock
        self.maximumSkew = maximumSkew
        // Read first: nothing is written here unless the store has no node yet.
        let read = { (db: Database) throws -> (String?, String?, HLCStamp?) in
            (
                try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'node'"),
                try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'store_id'"),
                try String.fetchOne(db, sql: "SELECT last FROM hlc_state WHERE id = 1").flatMap(HLCStamp.init)
            )
        }
        var (node, storeID, last) = try pool.read(read)
        if node == nil {
            (node, storeID, last) = try pool.write { db in
                if try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'node'") == nil {
                    try db.execute(
                        sql: "INSERT INTO workstation_meta (key, value) VALUES ('node', ?)",
                        arguments: [String(UUID().uuidString.prefix(8)).lowercased()])
                }
                return try read(db)
            }
        }
        hlc = HybridLogicalClock(node: node!, last: last)
        self.storeID = storeID
        correction = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'clock_correction'").flatMap(TimeInterval.init) ?? 0
        }
    }

    /// Whether the persisted clock is more than the maximum skew ahead of now (a read).
    func isAhead(_ db: Database) throws -> Bool {
        guard let persisted = try String.fetchOne(db, sql: "SELECT last FROM hlc_state WHERE id = 1").flatMap(HLCStamp.init)
        else { return false }
        return HybridLogicalClock(node: persisted.node, last: persisted).isAhead(of: stampTime, maximumSkew: maximumSkew)
    }

    var now: Date { clock.now() }

    /// A new stamp, persisted with the transaction so a restart never issues a smaller one.
    func stamp(_ db: Database) throws -> String {
        try stamps(1, db)[0]
    }

    /// `count` new stamps in increasing order, the last persisted with the transaction.
    func stamps(_ count: Int, _ db: Database) throws -> [String] {
        try repairIfAhead(db)
        let now = stampTime
        let stamps = lock.withLock {
            return (0..<count).map { _ in hlc.tick(now: now).description }
        }
        try db.cachedStatement(sql: """
                INSERT INTO hlc_state (id, last, store_id) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET last = excluded.last, store_id = excluded.store_id
                """).execute(arguments: [stamps.last, storeID])
        return stamps
    }

    /// Catches up with the stamp persisted by any process of the store; if it is more than the
    /// maximum skew ahead of the clock, stamps every record and queued operation stamped beyond
    /// that bound again from the clock (in their order, so they stay the latest edits, without
    /// winning over every later one) and returns how far ahead it was and how many stamps changed.
    ///
    /// `shift` (seconds, the clock's error the server measured) moves each such stamp back by
    /// that much instead, keeping when the edit was really made; one still beyond the bound is
    /// stamped from now.
    @discardableResult
    func repairIfAhead(_ db: Database, shift: TimeInterval? = nil) throws -> (aheadUntil: Date, restamped: Int)? {
        let persisted = try String.fetchOne(try db.cachedStatement(sql: "SELECT last FROM hlc_state WHERE id = 1"))
            .flatMap(HLCStamp.init)
        let now = stampTime
        let ahead: HLCStamp? = lock.withLock {
            if let persisted { hlc.catchUp(with: persisted) }
            return hlc.isAhead(of: now, maximumSkew: maximumSkew) ? hlc.last : nil
        }
        guard let ahead else { return nil }
        let beyond = HLCStamp(
            millis: HybridLogicalClock.millis(now) + HybridLogicalClock.millis(maximumSkew) + 1, counter: 0, node: ""
        ).description
        let tables = try String.fetchAll(db, sql: """
                SELECT m.name FROM sqlite_master m
                WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'hlc')
                ORDER BY m.name
                """)
        let old = tables.isEmpty ? [] : try String.fetchAll(db, sql: tables.map { "SELECT hlc FROM \"\($0)\" WHERE hlc >= ?1" }
            .joined(separator: " UNION ") + " ORDER BY 1", arguments: [beyond])
        let bound = HybridLogicalClock.millis(now) + HybridLogicalClock.millis(maximumSkew)
        let new = lock.withLock {
            hlc.restart()
            return old.map { text -> String in
                guard let shift, let stamp = HLCStamp(text) else { return hlc.tick(now: now).description }
                let moved = stamp.millis - HybridLogicalClock.millis(shift)
                guard moved <= bound else { return hlc.tick(now: now).description }
                let at = max(moved, hlc.last.millis)
                let next = HLCStamp(millis: at, counter: at == hlc.last.millis ? hlc.last.counter + 1 : stamp.counter, node: hlc.node)
                hlc.catchUp(with: next)
                return next.description
            }
        }
        if !old.isEmpty {
            try db.execute(sql: "CREATE TEMP TABLE hlc_repair (old TEXT PRIMARY KEY NOT NULL, new TEXT NOT NULL) WITHOUT ROWID")
            let insert = try db.makeStatement(sql: "INSERT INTO temp.hlc_repair (old, new) VALUES (?, ?)")
            for (o, n) in zip(old, new) { try insert.execute(arguments: [o, n]) }
            for table in tables {
                try db.execute(sql: """
                        UPDATE "\(table)" SET hlc = (SELECT new FROM temp.hlc_repair WHERE old = "\(table)".hlc)
                        WHERE hlc >= ?
                        """, arguments: [beyond])
            }
            try db.execute(sql: "DROP TABLE temp.hlc_repair")
        }
        let last = lock.withLock { hlc.last.millis == 0 ? hlc.tick(now: now) : hlc.last }
        try db.cachedStatement(sql: """
                INSERT INTO hlc_state (id, last, store_id) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET last = excluded.last, store_id = excluded.store_id
                """).execute(arguments: [last.description, storeID])
        return (Date(timeIntervalSince1970: TimeInterval(ahead.millis) / 1000), old.count)
    }

    /// Takes the server's word that this machine's clock is `ahead` seconds ahead of its own
    /// (SY-3): stamps are taken from the clock less that from now on (kept in the store, for the
    /// next runs), and the stamps already issued beyond the bound are moved back by it.
    func correct(ahead: TimeInterval, _ db: Database) throws -> Int {
        lock.withLock { correction = max(0, ahead) }
        try db.execute(
            sql: "INSERT INTO workstation_meta (key, value) VALUES ('clock_correction', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [String(max(0, ahead))])
        return try repairIfAhead(db, shift: ahead)?.restamped ?? 0
    }

    /// Moves the clock past `stamp`, a change pulled from the server (already bounded by it), so
    /// that an edit made here after seeing it is stamped after it, whatever this clock says.
    func observe(_ stamp: HLCStamp, _ db: Database) throws {
        // Never beyond the bound this store keeps its own clock in (see `repairIfAhead`).
        let bound = HybridLogicalClock.millis(stampTime) + HybridLogicalClock.millis(maximumSkew)
        let last = lock.withLock { () -> HLCStamp? in
            guard stamp > hlc.last, stamp.millis <= bound else { return nil }
            hlc.catchUp(with: stamp)
            return hlc.last
        }
        guard let last else { return }
        try db.cachedStatement(sql: """
                INSERT INTO hlc_state (id, last, store_id) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET last = excluded.last, store_id = excluded.store_id
                WHERE excluded.last > hlc_state.last
                """).execute(arguments: [last.description, storeID])
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
    ///
    /// An update of a shared record (agenda events, contacts: merged field by field, SY-2) given
    /// the record as it was (`previous`) carries only the fields it changes, so it never writes
    /// over a colleague's edit of another field. An update or deletion carries the stamps its
    /// writer had seen of what it changes (``SyncReplica``'s), so that the server tells an edit
    /// from a conflict.
    func enqueue<T: Encodable>(
        _ db: Database, entity: String, id: UUID, operation: String, record: T, hlc: String, previous: T? = nil
    ) throws {
        var payload = String(decoding: try JSONEncoder.sync.encode(record), as: UTF8.self)
        var changed: [String]?
        if let previous, let kind = SyncEntity(rawValue: entity), kind.rule == .sharedFieldwise {
            let (text, fields) = try Self.changes(from: previous, to: record)
            payload = text
            changed = fields
        }
        let bases = operation == "insert" ? nil : try SyncReplica.bases(db, entity: entity, id: id.uuidString, fields: changed)
        try enqueue(
            try outboxInsert(db), entity: entity, id: id.uuidString, operation: operation, payload: payload, hlc: hlc,
            opID: UUID.random().uuidString, at: now, bases: bases)
    }

    /// The payload of an update from `old` to `new`: the fields that differ (a field emptied as
    /// null) and the id; and the names of the fields that differ.
    static func changes<T: Encodable>(from old: T, to new: T) throws -> (payload: String, fields: [String]) {
        let before = try JSONDecoder().decode([String: SyncValue].self, from: JSONEncoder.sync.encode(old))
        let after = try JSONDecoder().decode([String: SyncValue].self, from: JSONEncoder.sync.encode(new))
        var changed: [String: SyncValue] = [:]
        for key in Set(before.keys).union(after.keys) where key != "id" && before[key] != after[key] {
            changed[key] = after[key] ?? .null
        }
        let fields = changed.keys.sorted()
        changed["id"] = after["id"]
        return (String(decoding: try JSONEncoder.sync.encode(changed), as: UTF8.self), fields)
    }

    /// The insert of an outbox operation, for `enqueue(_:entity:id:operation:payload:hlc:opID:at:)`.
    func outboxInsert(_ db: Database) throws -> InsertStatement {
        try InsertStatement(db, sql: """
                INSERT INTO outbox (op_id, entity, entity_id, operation, payload, hlc, created_at, bases)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Queues an operation whose payload is already JSON, as `JSONEncoder.sync` writes it.
    func enqueue(
        _ outbox: InsertStatement, entity: String, id: String, operation: String, payload: String, hlc: String, opID: String,
        at time: Date, bases: String? = nil
    ) throws {
        if let tell = lock.withLock({ queued }) { tell() }
        try outbox.run { row in
            row.bind(opID)
            row.bind(entity)
            row.bind(id)
            row.bind(operation)
            row.bind(payload)
            row.bind(hlc)
            row.bind(time.unixSeconds)
            row.bind(bases)
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
