public import AtendeCore
public import Foundation

/// A workstation's push: operations from its outbox, oldest first.
public struct SyncPush: Sendable, Equatable, Codable {
    public var version: Int
    /// The workstation's store (its id, stable across restarts).
    public var workstation: String
    public var operations: [SyncOperation]

    public init(workstation: String, operations: [SyncOperation], version: Int = SyncWire.version) {
        self.version = version
        self.workstation = workstation
        self.operations = operations
    }
}

/// The server's word on one pushed operation.
public struct SyncAck: Sendable, Equatable, Codable {
    public enum Outcome: Sendable, Equatable, Codable {
        /// Applied now: the outbox entry may go.
        case applied
        /// Applied by an earlier push (a retry after a lost reply): the outbox entry may go.
        case duplicate
        /// Not applied, and never will be as it is: kept by the server with its reason.
        case refused(SyncRejection)
    }

    public var id: UUID
    public var outcome: Outcome

    public init(id: UUID, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    /// Whether the workstation may drop the operation from its outbox.
    public var isDone: Bool {
        switch outcome {
        case .applied, .duplicate: true
        // A clock ahead is the workstation's to repair: it restamps and pushes again.
        case .refused(.aheadOfClock): false
        case .refused: true
        }
    }
}

public struct SyncPushReply: Sendable, Equatable, Codable {
    public var version: Int
    /// One per pushed operation, in the push's order.
    public var acks: [SyncAck]
    /// The server's clock when it answered (Unix milliseconds), so that a workstation whose
    /// clock is wrong learns by how much (SY-3). Absent from servers before it.
    public var serverMillis: Int64?

    public init(acks: [SyncAck], serverMillis: Int64? = nil, version: Int = SyncWire.version) {
        self.version = version
        self.acks = acks
        self.serverMillis = serverMillis
    }
}

/// One operation the server applied, numbered in the order it applied them.
public struct SyncChange: Sendable, Equatable, Codable {
    public var sequence: UInt64
    public var operation: SyncOperation
    public var origin: SyncOrigin

    public init(sequence: UInt64, operation: SyncOperation, origin: SyncOrigin) {
        self.sequence = sequence
        self.operation = operation
        self.origin = origin
    }
}

/// A page of a pull: the changes an agent may see after a cursor, and how far the agent is
/// complete once it applied them.
public struct SyncPage: Sendable, Equatable, Codable {
    public var version: Int
    public var changes: [SyncChange]
    /// Everything the agent may see up to here is in this page or before it: the next cursor.
    public var checkpoint: UInt64
    /// Whether there was nothing more to see when the page was read.
    public var complete: Bool
    /// How many changes the agent may see after the cursor, this page included (for a progress bar).
    public var remaining: Int

    public init(changes: [SyncChange], checkpoint: UInt64, complete: Bool, remaining: Int, version: Int = SyncWire.version) {
        self.version = version
        self.changes = changes
        self.checkpoint = checkpoint
        self.complete = complete
        self.remaining = remaining
    }
}

/// Who may write a record and who sees it (SV-6, per-agent visibility).
public enum SyncVisibility {
    /// The field naming a record's owner, for the entities an agent owns.
    public static func ownerField(_ entity: SyncEntity) -> String? {
        switch entity {
        case .note, .agenda, .attendance, .qualification, .pause: "agent"
        case .chat: "from"
        case .contact, .loss, .preference: nil
        }
    }

    /// The owner an operation gives its record: the owner field's text, if it has one.
    public static func owner(of operation: SyncOperation) -> String? {
        guard let field = ownerField(operation.entity), case .text(let owner)? = operation.fields[field] else { return nil }
        return owner
    }

    /// Why `agent` (with `role`), pushing from `workstation`, may not push `operation` on a record
    /// owned by `owner` (nil: new or unowned), or nil when they may.
    ///
    /// A preference is its workstation's: its id begins with the workstation's.
    public static func refusal(
        agent: String, role: Role, workstation: String, operation: SyncOperation, owner: String?
    ) -> SyncRejection? {
        if operation.entity == .loss { return .forbidden("losses are written by the switch's host") }
        if operation.entity == .preference {
            return operation.entityID.hasPrefix(workstation + "/") ? nil : .forbidden("preference \(operation.entityID) is another workstation's")
        }
        guard ownerField(operation.entity) != nil else { return nil }
        let claimed = Self.owner(of: operation) ?? owner ?? agent
        let mine = Registry.sameName(claimed, agent) && (owner.map { Registry.sameName($0, agent) } ?? true)
        // A supervisor puts agenda events in an agent's agenda.
        if !mine, operation.entity == .agenda, role != .agent { return nil }
        return mine ? nil : .forbidden("\(operation.entity.rawValue) \(operation.entityID) is not \(agent)'s")
    }

    /// Who sees a record: `agent:NICK` for each agent it belongs to, `group:NAME` for a group's
    /// agents, `supervise:NAME` for a group's supervisors and admins, `all` for everyone.
    public static func audiences(entity: SyncEntity, fields: [String: SyncValue], owner: String?) -> [String] {
        switch entity {
        case .contact:
            return ["all"]
        case .preference:
            // Kept by the server for its workstation, which has it already.
            return []
        case .loss:
            guard case .text(let group)? = fields["group"] else { return ["all"] }
            return ["group:" + Registry.nameKey(group)]
        case .chat:
            var to: [String] = []
            if case .list(let list)? = fields["to"] {
                for case .text(let nick) in list { to.append(nick) }
            }
            return ([owner].compactMap { $0 } + to).map { "agent:" + Registry.nameKey($0) }
        case .agenda:
            // The agent's, and their group's supervisors' (who put events in agents' agendas).
            let supervisors = fields["group"].flatMap { if case .text(let g) = $0 { "supervise:" + Registry.nameKey(g) } else { nil } }
            return [owner].compactMap { $0 }.map { "agent:" + Registry.nameKey($0) } + [supervisors].compactMap { $0 }
        default:
            return [owner].compactMap { $0 }.map { "agent:" + Registry.nameKey($0) }
        }
    }
}
