public import AtendeCore
public import Foundation

/// What a replica (the server, a workstation) holds of one record: each field's value, stamp,
/// writer and base (what its writer had seen), and the record's deletion.
///
/// An owned record keeps its winning operation's stamp, writer and base under `*`.
public struct SyncRecord: Sendable, Equatable, Codable {
    public var entity: SyncEntity
    public var id: String
    public var fields: [String: SyncValue] = [:]
    public var stamps: [String: HLCStamp] = [:]
    public var origins: [String: SyncOrigin] = [:]
    public var bases: [String: HLCStamp] = [:]
    /// When it was deleted; a shared record's fields go on being merged under the deletion.
    public var deleted: HLCStamp?
    public var deletedBy: SyncOrigin?

    public init(entity: SyncEntity, id: String) {
        self.entity = entity
        self.id = id
    }

    /// Whether the record is deleted for its readers.
    public var isDeleted: Bool { deleted != nil }
}

/// A value that lost, kept in the conflicts table with where it came from, so that it can be put
/// back (SY-2).
public struct SyncOverwrite: Sendable, Hashable, Codable {
    public enum Reason: String, Sendable, Codable {
        /// A concurrent write of the same field (or owned record) with the earlier stamp.
        case concurrent
        /// An edit of a shared record made after its deletion (deletion wins).
        case deleted
        /// A different value for a field of a written-once record (it stays as first written).
        case mismatch
    }

    public var entity: SyncEntity
    public var id: String
    /// The field, or `*` for a whole owned record (its deletion included: `lost` nil).
    public var field: String
    public var lost: SyncValue?
    public var lostStamp: HLCStamp
    public var lostOrigin: SyncOrigin?
    public var reason: Reason

    public init(
        entity: SyncEntity, id: String, field: String, lost: SyncValue?, lostStamp: HLCStamp, lostOrigin: SyncOrigin?,
        reason: Reason
    ) {
        self.entity = entity
        self.id = id
        self.field = field
        self.lost = lost
        self.lostStamp = lostStamp
        self.lostOrigin = lostOrigin
        self.reason = reason
    }
}

/// A value that lost to another, as a replica keeps it (`sync conflicts`).
public struct SyncConflict: Sendable, Equatable {
    /// Its number in `sync conflicts`.
    public let number: Int
    public let overwrite: SyncOverwrite
    public let recordedAt: Date
    /// When `sync conflicts restore N` put it back.
    public let restoredAt: Date?

    public init(number: Int, overwrite: SyncOverwrite, recordedAt: Date, restoredAt: Date?) {
        self.number = number
        self.overwrite = overwrite
        self.recordedAt = recordedAt
        self.restoredAt = restoredAt
    }
}

/// Why an operation is not applied at all.
public enum SyncRejection: Sendable, Equatable, Codable {
    /// A stamp further ahead of the receiver's clock than the bound allows, in seconds (SY-3): the
    /// operation is kept aside, not applied, so a wrong clock can neither lose an edit nor win
    /// every later one.
    case aheadOfClock(seconds: Int)
    /// A written-once record cannot be deleted.
    case notDeletable
    /// A payload schema newer than this side knows.
    case unknownSchema(Int)
    /// Not the pushing agent's to write.
    case forbidden(String)
}

/// The conflict rules of SY-2, the same on every replica: whatever order the operations of a
/// record come in, every replica ends with the same record, and each lost value is kept.
public enum SyncMerge {
    /// How far ahead of the receiver's clock a stamp may be, in seconds.
    public static let maximumSkew: TimeInterval = 300

    /// Why `operation` may not be applied at `now`, or nil when it may.
    public static func check(_ operation: SyncOperation, now: Date, maximumSkew: TimeInterval = maximumSkew) -> SyncRejection? {
        let latest = ([operation.hlc] + operation.stamps.values).max()!
        let ahead = latest.millis - HybridLogicalClock.millis(now)
        if ahead > HybridLogicalClock.millis(maximumSkew) { return .aheadOfClock(seconds: Int((ahead + 999) / 1000)) }
        if operation.schema > operation.entity.schema { return .unknownSchema(operation.schema) }
        if operation.kind == .delete, operation.entity.rule == .appendOnly { return .notDeletable }
        return nil
    }

    /// `record` (nil: not seen yet) with `operation` applied, and the values that lost.
    public static func apply(
        _ operation: SyncOperation, from origin: SyncOrigin?, to record: SyncRecord?
    ) -> (record: SyncRecord, overwrites: [SyncOverwrite]) {
        var merger = Merger(record: record ?? SyncRecord(entity: operation.entity, id: operation.entityID), origin: origin)
        switch operation.entity.rule {
        case .appendOnly: merger.writeOnce(operation)
        case .ownedLastWriterWins: merger.lastWriterWins(operation)
        case .sharedFieldwise: merger.fieldwise(operation)
        }
        return (merger.record, merger.lost)
    }
}

private struct Merger {
    var record: SyncRecord
    let origin: SyncOrigin?
    var lost: [SyncOverwrite] = []

    /// Whether one write saw the other: its writer had the other's stamp as its base, or both come
    /// from one workstation (its outbox is one sequence: each write there saw the ones before it).
    func saw(_ base: HLCStamp?, _ stamp: HLCStamp, _ a: SyncOrigin?, _ b: SyncOrigin?) -> Bool {
        base == stamp || (a != nil && a?.workstation == b?.workstation)
    }

    mutating func keep(_ field: String, _ value: SyncValue?, _ stamp: HLCStamp, _ writer: SyncOrigin?, _ reason: SyncOverwrite.Reason) {
        lost.append(SyncOverwrite(entity: record.entity, id: record.id, field: field, lost: value, lostStamp: stamp, lostOrigin: writer, reason: reason))
    }

    mutating func set(_ field: String, _ value: SyncValue, _ stamp: HLCStamp, base: HLCStamp?) {
        record.fields[field] = value
        record.stamps[field] = stamp
        record.origins[field] = origin
        record.bases[field] = base
    }

    /// Written-once records: a field is set by the first write that has it.
    mutating func writeOnce(_ op: SyncOperation) {
        guard op.kind != .delete else { return }
        for (field, value) in op.fields.sorted(by: { $0.key < $1.key }) {
            let stamp = op.stamp(of: field)
            guard let current = record.fields[field] else {
                set(field, value, stamp, base: nil)
                continue
            }
            // The same write again (a retried push) is no mismatch.
            if !current.isSame(as: value), record.stamps[field] != stamp { keep(field, value, stamp, origin, .mismatch) }
        }
    }

    /// Owned records: the operation with the latest stamp is the record (a deletion too). The
    /// other is lost unless the winner was written over it.
    mutating func lastWriterWins(_ op: SyncOperation) {
        let current = record.stamps["*"]
        if let current, op.hlc == current { return }
        if let current, op.hlc < current {
            if !saw(record.bases["*"], op.hlc, record.origins["*"], origin) { keepWhole(op.kind == .delete ? nil : op.fields, op.hlc, origin) }
            return
        }
        if let current, !saw(op.bases["*"], current, origin, record.origins["*"]) {
            keepWhole(record.isDeleted ? nil : record.fields, current, record.origins["*"])
        }
        record.fields = op.kind == .delete ? [:] : op.fields
        record.stamps = ["*": op.hlc]
        record.origins = origin.map { ["*": $0] } ?? [:]
        record.bases = op.bases["*"].map { ["*": $0] } ?? [:]
        record.deleted = op.kind == .delete ? op.hlc : nil
        record.deletedBy = op.kind == .delete ? origin : nil
    }

    mutating func keepWhole(_ fields: [String: SyncValue]?, _ stamp: HLCStamp, _ writer: SyncOrigin?) {
        guard let fields else { return keep("*", nil, stamp, writer, .concurrent) }
        keep("*", .object(fields), stamp, writer, .concurrent)
    }

    /// Shared records: each field is a last-writer-wins register; a deletion wins over every edit
    /// made after it (those are kept), and the registers go on under it so replicas agree.
    mutating func fieldwise(_ op: SyncOperation) {
        if op.kind == .delete {
            let earlier = record.deleted
            guard earlier.map({ op.hlc < $0 }) ?? true else { return }
            record.deleted = op.hlc
            record.deletedBy = origin
            // Edits made after this deletion and not after the one already known are lost now.
            for (field, stamp) in record.stamps.sorted(by: { $0.key < $1.key })
            where stamp > op.hlc && earlier.map({ stamp <= $0 }) ?? true {
                keep(field, record.fields[field], stamp, record.origins[field], .deleted)
            }
            return
        }
        for (field, value) in op.fields.sorted(by: { $0.key < $1.key }) {
            let stamp = op.stamp(of: field)
            let base = op.bases[field]
            if let deleted = record.deleted, stamp > deleted { keep(field, value, stamp, origin, .deleted) }
            guard let current = record.stamps[field] else {
                set(field, value, stamp, base: base)
                continue
            }
            if stamp == current { continue }
            if stamp > current {
                if !saw(base, current, origin, record.origins[field]), record.deleted.map({ current <= $0 }) ?? true {
                    keep(field, record.fields[field], current, record.origins[field], .concurrent)
                }
                set(field, value, stamp, base: base)
            } else if !saw(record.bases[field], stamp, record.origins[field], origin), record.deleted.map({ stamp <= $0 }) ?? true {
                keep(field, value, stamp, origin, .concurrent)
            }
        }
    }
}

extension SyncValue {
    /// The same value, a whole number written as a decimal (`5.0`) being the number (`5`).
    func isSame(as other: SyncValue) -> Bool {
        switch (self, other) {
        case (.integer(let i), .real(let d)), (.real(let d), .integer(let i)): Double(i) == d
        default: self == other
        }
    }
}
