public import Foundation

/// A command for the switch, as a value: what a workstation sends, in-process or over the wire.
public enum SwitchRequest: Sendable, Equatable, Codable {
    /// `agent` (a nickname) sits at `extension`; nil: the agent registered there (CC-0).
    case login(extension: String, paused: String?, agent: String? = nil)
    case logout(extension: String)
    case pause(extension: String, reason: String)
    case unpause(extension: String)
    case wrapUp(extension: String, on: Bool)
    case help(extension: String, on: Bool)
    case answer(extension: String)
    case hangup(extension: String)
    case dial(extension: String, phone: String)
    case call(extension: String, target: String)
    case hold(extension: String)
    case consult(extension: String, target: Party)
    case transfer(extension: String, target: Party)
    case completeTransfer(extension: String)
    case returnToHeld(extension: String)
    case conference(extension: String)
    case capture(extension: String)
    case barge(extension: String, target: String)
    // The outside world (simulator).
    case incoming(phone: String, service: String)
    case directIncoming(phone: String, extension: String)
    case remoteAnswer(extension: String)
    case remoteHangup(extension: String)
    case abandonOldest
    /// The caller of this queued call gives up (`atende admin sim abandon SERVICE`).
    case abandon(call: CallID)
}


/// What the switch answers a request it carried out: how far its event sequence got.
///
/// Every event the request caused has a sequence number up to `through`; a workstation that has
/// handled its events up to there has seen everything the request did.
public struct SwitchReceipt: Sendable, Equatable, Codable {
    public var version: Int
    public var through: UInt64

    public init(through: UInt64) {
        version = SwitchWire.version
        self.through = through
    }
}

/// Events the switch published together (one request, or one instant of its clock), as a
/// subscriber receives them: only the events that concern it, and how far the sequence got.
public struct SwitchBatch: Sendable, Equatable, Codable {
    public var version: Int
    /// The sequence number of the last event of this batch (and of any left out for this subscriber).
    public var through: UInt64
    public var events: [SwitchEvent]

    public init(through: UInt64, events: [SwitchEvent]) {
        version = SwitchWire.version
        self.through = through
        self.events = events
    }
}

/// The switch's state as a workstation needs it when it (re)joins: every line, the calls, the queues.
public struct SwitchSnapshot: Sendable, Equatable, Codable {
    public var version: Int
    /// The sequence number this state is current at: events up to it are already in it.
    public var through: UInt64
    public var lines: [AgentLine]
    public var calls: [SwitchCall]
    public var queues: [QueueFigures]
    /// Who this state is for, when the switch narrowed it (a ``SwitchAudience/team(extension:groups:)``
    /// on the server): a follower drops what leaves that view.
    public var audience: SwitchAudience?

    public init(through: UInt64, lines: [AgentLine], calls: [SwitchCall], queues: [QueueFigures], audience: SwitchAudience? = nil) {
        version = SwitchWire.version
        self.through = through
        self.lines = lines
        self.calls = calls
        self.queues = queues
        self.audience = audience
    }
}
