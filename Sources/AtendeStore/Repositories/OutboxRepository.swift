public import AtendeCore
public import AtendeSync
public import Foundation
import GRDB

/// One operation waiting in the outbox for the server, in the order it was queued.
public struct OutboxEntry: Sendable, Equatable {
    /// Its place in the outbox: increasing, never reused, the order the server must apply them in.
    public let sequence: Int
    public let opID: String
    public let entity: String
    public let entityID: String
    public let operation: String
    /// The record as JSON (`JSONEncoder.sync`'s form).
    public let payload: String
    public let hlc: String
    public let createdAt: Date
    /// What its writer had seen of what it changes (the stamps, as JSON), if anything.
    public let bases: String?

    init(row: Row) {
        sequence = row["seq"]
        opID = row["op_id"]
        entity = row["entity"]
        entityID = row["entity_id"]
        operation = row["operation"]
        payload = row["payload"]
        hlc = row["hlc"]
        createdAt = Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64))
        bases = row["bases"]
    }

    /// The entry as the sync contract's operation: its payload's fields typed (but the record's
    /// id, which is the operation's, and short number, which is each workstation's own), its stamps parsed. A payload that cannot be
    /// read travels whole as `_payload`, so nothing queued is dropped.
    ///
    /// A preference is the workstation's own: its id is the workstation's and the key, so that
    /// every workstation's setting of a key is its own record.
    private static let decoder = JSONDecoder()

    public func operation(workstation: String = "") -> SyncOperation {
        var fields = (try? Self.decoder.decode([String: SyncValue].self, from: Data(payload.utf8))) ?? ["_payload": .text(payload)]
        // The record's id travels as the operation's; its short number is each workstation's own.
        fields["number"] = nil
        fields["id"] = nil
        var id = entityID
        if entity == SyncEntity.preference.rawValue, case .text(let key)? = fields["key"] { id = workstation + "/" + key }
        let bases = bases.flatMap { try? Self.decoder.decode([String: HLCStamp].self, from: Data($0.utf8)) } ?? [:]
        return SyncOperation(
            id: UUID(uuidString: opID) ?? UUID(), entity: SyncEntity(rawValue: entity) ?? .note, entityID: id,
            kind: SyncOperationKind(rawValue: operation) ?? .update, hlc: HLCStamp(hlc) ?? HLCStamp(millis: 0, counter: 0, node: ""),
            fields: fields, bases: bases)
    }
}

/// The sync outbox: operations queued in the same transaction as their change, waiting for the
/// server, and pruned once it has acknowledged them.
///
/// Its size is kept with it (migration `0006_outbox_pending`): ``pendingCount()`` reads one row
/// whatever the outbox holds. For example, the sync service sending the oldest entries:
/// ```swift
/// let batch = try store.outbox.pending(limit: 500)
/// // … the server acknowledges every operation up to batch.last …
/// try store.outbox.acknowledge(through: batch.last!.sequence)
/// ```
public final class OutboxRepository: Sendable {
    let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many operations wait for the server.
    public func pendingCount() throws -> Int {
        try pool.reading { db in
            try Int.fetchOne(try db.cachedStatement(sql: "SELECT count FROM outbox_pending WHERE id = 1")) ?? 0
        }
    }

    /// The oldest `limit` operations waiting, after `sequence` (exclusive) when given.
    public func pending(after sequence: Int = 0, limit: Int) throws -> [OutboxEntry] {
        try pool.reading { db in
            try Row.fetchAll(
                try db.cachedStatement(sql: "SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [sequence, limit]
            ).map(OutboxEntry.init(row:))
        }
    }

    /// Removes the operations the server has acknowledged: every one up to `sequence` (the server
    /// applies them in order, so an acknowledgement of one is of all before it). Returns how many
    /// were removed; acknowledging again, or beyond the last entry, removes only what is there.
    @discardableResult
    public func acknowledge(through sequence: Int) throws -> Int {
        try pool.writing { db in
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq <= ?").execute(arguments: [sequence])
            return db.changesCount
        }
    }
}
