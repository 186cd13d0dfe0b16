public import AtendeCore
public import Foundation

/// The sync contract between a workstation and the server (SV-5): what a push carries and what a
/// pull returns, one set of types on both sides.
///
/// Versioned twice: the contract (``SyncWire/version``) and each entity's payload
/// (``SyncOperation/schema``). Changes are additive: a field is added, never renamed or retyped,
/// so a workstation that was offline across a server upgrade still syncs, and a server keeps the
/// fields it does not know yet.
public enum SyncWire {
    /// This build's contract version.
    public static let version = 1
}

/// What a record is, for sync: each kind declares its conflict rule once (SY-2).
public enum SyncEntity: String, Codable, CaseIterable, Sendable {
    case attendance, qualification, loss, pause, chat
    case note, preference
    case agenda, contact

    public var rule: ConflictRule {
        switch self {
        case .attendance, .qualification, .loss, .pause, .chat: .appendOnly
        case .note, .preference: .ownedLastWriterWins
        case .agenda, .contact: .sharedFieldwise
        }
    }

    /// The payload schema this build writes for the entity.
    public var schema: Int { 1 }
}

/// How concurrent operations on one record are reconciled (SY-2).
public enum ConflictRule: Sendable, Equatable {
    /// Written once (attendances, qualifications, losses, chat messages, the pause log): a field
    /// set is never changed; a later operation may only fill fields still absent. A different value
    /// for a field already set is a mismatch, kept beside the record, never applied.
    case appendOnly
    /// One owner's record (notes, preferences): the operation with the latest stamp wins whole,
    /// a deletion included.
    case ownedLastWriterWins
    /// Shared by many (agenda events, contacts): each field is its own last-writer-wins register,
    /// and a deletion wins over every edit, earlier or later.
    case sharedFieldwise
}

public enum SyncOperationKind: String, Codable, Sendable {
    case insert, update, delete
}

/// A JSON value of a record's field.
public indirect enum SyncValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case text(String)
    case list([SyncValue])
    case object([String: SyncValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Text first: most fields are, and each kind tried before the right one costs a thrown error.
        if c.decodeNil() {
            self = .null
        } else if let s = try? c.decode(String.self) {
            self = .text(s)
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .real(d)
        } else if let l = try? c.decode([SyncValue].self) {
            self = .list(l)
        } else {
            self = .object(try c.decode([String: SyncValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .real(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        }
    }
}

/// Who wrote a value: the workstation (its store) and the agent logged in there.
public struct SyncOrigin: Sendable, Hashable, Codable {
    public var workstation: String
    public var agent: String

    public init(workstation: String, agent: String) {
        self.workstation = workstation
        self.agent = agent
    }
}

/// One change to one record, as a workstation's outbox queued it.
public struct SyncOperation: Sendable, Equatable, Codable {
    /// The operation's id: applying it twice is applying it once.
    public var id: UUID
    public var entity: SyncEntity
    public var entityID: String
    public var kind: SyncOperationKind
    /// When it was made (the writer's hybrid logical clock).
    public var hlc: HLCStamp
    /// The payload's schema version.
    public var schema: Int
    /// The fields the operation sets (none for a deletion).
    public var fields: [String: SyncValue]
    /// A field's own stamp when it was edited before `hlc` (shared records); absent: `hlc`.
    public var stamps: [String: HLCStamp]
    /// What the writer's replica held when it made the change: each field's stamp (shared
    /// records), or the record's under `*` (owned records). A write over the value its writer saw
    /// is an edit; over a value it had not seen, a conflict (the lost one is kept).
    public var bases: [String: HLCStamp]

    public init(
        id: UUID, entity: SyncEntity, entityID: String, kind: SyncOperationKind, hlc: HLCStamp, schema: Int? = nil,
        fields: [String: SyncValue] = [:], stamps: [String: HLCStamp] = [:], bases: [String: HLCStamp] = [:]
    ) {
        self.id = id
        self.entity = entity
        self.entityID = entityID
        self.kind = kind
        self.hlc = hlc
        self.schema = schema ?? entity.schema
        self.fields = fields
        self.stamps = stamps
        self.bases = bases
    }

    /// The stamp of one of the fields the operation sets.
    public func stamp(of field: String) -> HLCStamp { stamps[field] ?? hlc }
}
