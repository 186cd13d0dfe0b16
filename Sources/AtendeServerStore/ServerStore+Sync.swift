import AtendeCore
public import AtendeSync
public import Foundation
import GRDB

/// What the server decides about one pushed operation it has not seen before, given the record
/// as it holds it (the rules are the caller's; the store only reads and writes).
public enum SyncDecision: Sendable {
    /// Apply: the merged record, its owner, who sees the change, and the values that lost.
    case apply(record: SyncRecord, owner: String?, audiences: [String], overwrites: [SyncOverwrite])
    /// Refuse for good: the operation is kept with its reason, and a retry gets the same answer.
    case refuse(SyncRejection)
    /// Refuse for now (a clock ahead): nothing is kept, a retry is decided again.
    case refuseForNow(SyncRejection)
}

/// How the server decides each new operation, given the record as it holds it and its owner.
public typealias SyncRule = (SyncOperation, SyncRecord?, String?) -> SyncDecision

/// The sync records of SV-5: pushed operations once each, records as merged, changes to pull.
public protocol SyncRecords: Sendable {
    /// Applies a push a part at a time, each part in one transaction: each operation seen before
    /// gets its first answer again (`duplicate` for one applied); each new one what `decide` says,
    /// given its record and owner.
    func applyPush(
        _ push: SyncPush, agent: String, at: Date,
        decide: SyncRule
    ) throws(ServerStoreError) -> [SyncAck]

    /// The changes `audiences` may see after `cursor`, at most `limit`, in order.
    func changes(visibleTo audiences: [String], after cursor: UInt64, limit: Int) throws(ServerStoreError) -> SyncPage

    /// A record as the server holds it.
    func syncRecord(_ entity: SyncEntity, _ id: String) throws(ServerStoreError) -> SyncRecord?

    /// The values that lost, oldest first.
    func syncConflicts() throws(ServerStoreError) -> [SyncOverwrite]
}

extension ServerStore: SyncRecords {
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static let decoder = JSONDecoder()

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    public func applyPush(
        _ push: SyncPush, agent: String, at: Date,
        decide: SyncRule
    ) throws(ServerStoreError) -> [SyncAck] {
        // A few hundred operations per transaction: a large push never holds the database (and the
        // switch's records waiting to be written) for long; each part is applied whole or not at
        // all, and a retry after a crash between parts finds the first ones already applied.
        var acks: [SyncAck] = []
        var start = push.operations.startIndex
        while start < push.operations.endIndex {
            let part = push.operations[start..<min(start + Self.pushPart, push.operations.endIndex)]
            acks += try applyPart(part, of: push, agent: agent, at: at, decide: decide)
            start = part.endIndex
        }
        return acks
    }

    /// How many operations of a push one transaction applies.
    static let pushPart = 200

    private func applyPart(
        _ part: ArraySlice<SyncOperation>, of push: SyncPush, agent: String, at: Date,
        decide: SyncRule
    ) throws(ServerStoreError) -> [SyncAck] {
        try write { db in
            try Self.apply(part, db, workstation: push.workstation, agent: agent, now: Self.text(at), decide: decide)
        }
    }

    /// Applies operations from `workstation` (pushed by `agent`) in the transaction of `db`:
    /// each seen before gets its first answer again, each new one what `decide` says.
    static func apply(
        _ part: some Collection<SyncOperation>, _ db: Database, workstation: String, agent: String, now: String, decide: SyncRule
    ) throws -> [SyncAck] {
        let origin = try Self.json(SyncOrigin(workstation: workstation, agent: agent))
        let applied = try Self.json(SyncAck.Outcome.applied)
        var acks: [SyncAck] = []
        for operation in part {
            if let outcome = try String.fetchOne(
                try db.cachedStatement(sql: "SELECT outcome FROM sync_operations WHERE op_id = ?"), arguments: [operation.id.uuidString])
            {
                let first = try Self.decode(SyncAck.Outcome.self, outcome)
                acks.append(SyncAck(id: operation.id, outcome: first == .applied ? .duplicate : first))
                continue
            }
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT owner, record FROM sync_records WHERE entity = ? AND entity_id = ?"),
                arguments: [operation.entity.rawValue, operation.entityID])
            let record = try row.map { try Self.decode(SyncRecord.self, $0["record"]) }
            switch decide(operation, record, row?["owner"]) {
            case .refuseForNow(let why):
                acks.append(SyncAck(id: operation.id, outcome: .refused(why)))
            case .refuse(let why):
                let outcome = SyncAck.Outcome.refused(why)
                try db.cachedStatement(
                    sql: "INSERT INTO sync_operations (op_id, workstation, agent, outcome, operation, received_at) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [operation.id.uuidString, workstation, agent, try Self.json(outcome), try Self.json(operation), now])
                acks.append(SyncAck(id: operation.id, outcome: outcome))
            case .apply(let merged, let owner, let audiences, let overwrites):
                try db.cachedStatement(
                    sql: """
                        INSERT INTO sync_records (entity, entity_id, owner, record) VALUES (?, ?, ?, ?)
                        ON CONFLICT (entity, entity_id) DO UPDATE SET owner = excluded.owner, record = excluded.record
                        """
                ).execute(arguments: [operation.entity.rawValue, operation.entityID, owner, try Self.json(merged)])
                try db.cachedStatement(sql: "INSERT INTO sync_changes (op_id, operation, origin) VALUES (?, ?, ?)")
                    .execute(arguments: [operation.id.uuidString, try Self.json(operation), origin])
                let sequence = db.lastInsertedRowID
                for audience in Set(audiences) {
                    try db.cachedStatement(sql: "INSERT INTO sync_change_audiences (audience, sequence) VALUES (?, ?)")
                        .execute(arguments: [audience, sequence])
                }
                for lost in overwrites {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO sync_conflicts (entity, entity_id, field, lost, lost_hlc, lost_workstation, lost_agent, reason, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                            lost.entity.rawValue, lost.id, lost.field, try lost.lost.map(Self.json), lost.lostStamp.description,
                            lost.lostOrigin?.workstation, lost.lostOrigin?.agent, lost.reason.rawValue, now,
                        ])
                }
                try db.cachedStatement(
                    sql: "INSERT INTO sync_operations (op_id, workstation, agent, outcome, received_at) VALUES (?, ?, ?, ?, ?)"
                ).execute(arguments: [operation.id.uuidString, workstation, agent, applied, now])
                acks.append(SyncAck(id: operation.id, outcome: .applied))
            }
        }
        return acks
    }

    public func changes(visibleTo audiences: [String], after cursor: UInt64, limit: Int) throws(ServerStoreError) -> SyncPage {
        try read { db in
            let marks = Array(repeating: "?", count: audiences.count).joined(separator: ", ")
            let visible = "FROM sync_change_audiences WHERE audience IN (\(marks)) AND sequence > ?"
            let values: [(any DatabaseValueConvertible)?] = audiences + [Int64(cursor)]
            let arguments = StatementArguments(values)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.sequence, c.operation, c.origin FROM sync_changes c
                    WHERE c.sequence IN (SELECT DISTINCT sequence \(visible) ORDER BY sequence LIMIT ?)
                    ORDER BY c.sequence
                    """,
                arguments: StatementArguments(values + [limit]))
            let changes = try rows.map { row in
                SyncChange(
                    sequence: UInt64(row["sequence"] as Int64), operation: try Self.decode(SyncOperation.self, row["operation"]),
                    origin: try Self.decode(SyncOrigin.self, row["origin"]))
            }
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT sequence) \(visible)", arguments: arguments) ?? 0
            guard changes.count < limit || remaining == changes.count else {
                return SyncPage(changes: changes, checkpoint: changes.last!.sequence, complete: false, remaining: remaining)
            }
            // Nothing more to see: complete up to the last change of anyone's (below the cursor
            // when the client's is from another server's records: it starts again from here).
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM sync_changes") ?? 0
            return SyncPage(changes: changes, checkpoint: UInt64(last), complete: true, remaining: remaining)
        }
    }

    public func syncRecord(_ entity: SyncEntity, _ id: String) throws(ServerStoreError) -> SyncRecord? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT record FROM sync_records WHERE entity = ? AND entity_id = ?", arguments: [entity.rawValue, id])
                .map { try Self.decode(SyncRecord.self, $0) }
        }
    }

    public func syncConflicts() throws(ServerStoreError) -> [SyncOverwrite] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_conflicts ORDER BY id").map { row in
                let workstation: String? = row["lost_workstation"], agent: String? = row["lost_agent"]
                return SyncOverwrite(
                    entity: SyncEntity(rawValue: row["entity"]) ?? .note, id: row["entity_id"], field: row["field"],
                    lost: try (row["lost"] as String?).map { try Self.decode(SyncValue.self, $0) },
                    lostStamp: HLCStamp(row["lost_hlc"]) ?? HLCStamp(millis: 0, counter: 0, node: ""),
                    lostOrigin: workstation.map { SyncOrigin(workstation: $0, agent: agent ?? "") },
                    reason: SyncOverwrite.Reason(rawValue: row["reason"]) ?? .concurrent)
            }
        }
    }
}
