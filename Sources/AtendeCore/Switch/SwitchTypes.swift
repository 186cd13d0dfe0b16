public import Foundation

/// A call's identity: unique across switches and restarts, so a workstation's record of a call
/// and the server's are the same call.
public typealias CallID = UUID

/// The version of the switch's wire types (``SwitchRequest``, ``SwitchEvent``, ``SwitchBatch`` …).
///
/// Changes are additive only: a new optional field or a new case bumps it; a peer that sees a
/// higher version than its own ignores what it does not know.
public enum SwitchWire {
    public static let version = 1
}

/// What an extension is doing (SL-3).
public enum ExtensionState: String, Sendable, Equatable, Codable, CaseIterable {
    case loggedOut = "logged-out"
    case free
    case ringing
    /// Dialling out: the called party (customer or extension) has not answered yet.
    case dialing
    case talking
    /// Its only call is on hold.
    case onHold = "on-hold"
    /// A call on hold and a second (consult) call up.
    case consulting
    case conference
}

/// Who is at the other end of a call for an agent.
public enum Party: Hashable, Sendable, Codable {
    case customer(phone: String)
    case agent(extension: String)
}

/// An agent seated at an extension, as the switch knows them.
public struct AgentLine: Sendable, Equatable, Codable {
    public var nickname: String
    public var `extension`: String
    public var groups: [String]
    public var loggedIn: Bool
    /// The pause reason while paused (eventual reasons by name, productive ones by name too).
    public var pause: String?
    public var pausedSince: Date?
    /// In wrap-up (CC-17): gets no queue calls until it ends.
    public var wrapUp: Bool
    /// Asked the supervisor for help (CC-10).
    public var helpRequested: Bool
    public var state: ExtensionState
    public var stateSince: Date
    /// When the agent last became free: the longest idle is offered the next queue call.
    public var idleSince: Date
    /// The call the extension has now (ringing, dialling, connected or in conference).
    public var currentCall: CallID?
    /// The call it holds (alone, or with a consult as `currentCall`).
    public var heldCall: CallID?

    public init(nickname: String, extension: String, groups: [String], now: Date) {
        self.nickname = nickname
        self.extension = `extension`
        self.groups = groups
        loggedIn = false
        pause = nil
        pausedSince = nil
        wrapUp = false
        helpRequested = false
        state = .loggedOut
        stateSince = now
        idleSince = now
    }
}

/// Where a call stands.
public enum CallPhase: String, Sendable, Equatable, Codable {
    /// Waiting in its group's queue.
    case queued
    /// Ringing at an extension.
    case ringing
    /// Outbound or internal: waiting for the called party to answer.
    case dialing
    case connected
    case ended
}

/// One call in the switch.
public struct SwitchCall: Sendable, Equatable, Codable {
    public var id: CallID
    /// The switch's running count of calls: the order calls were created in, for ties.
    public var ordinal: Int
    public var type: CallType
    /// The service a customer called (inbound through a queue).
    public var service: String?
    public var group: String?
    /// The customer's phone, as the network gave it (inbound) or as dialled (outbound); nil for internal calls.
    public var phone: String?
    /// The extension that placed an internal or outbound call.
    public var from: String?
    /// The extension a call rings at, or is connected to (the agent who has it).
    public var agent: String?
    /// Internal calls and consults: the called extension.
    public var to: String?
    public var phase: CallPhase
    public var onHold: Bool
    /// Extensions joined to this call besides `agent` (conference, barge-in).
    public var joined: [String]
    /// A consult: the call held meanwhile (the customer's), for whom it was placed.
    public var consultOf: CallID?
    /// Extensions that refused this queue call while it rang: it is not offered to them again.
    public var declinedBy: [String]
    public var queuedAt: Date?
    public var ringingAt: Date?
    public var answeredAt: Date?
    public var endedAt: Date?

    public init(id: CallID, ordinal: Int = 0, type: CallType, phase: CallPhase) {
        self.id = id
        self.ordinal = ordinal
        self.type = type
        self.phase = phase
        onHold = false
        joined = []
        declinedBy = []
    }
}

/// Why a call left the switch.
public enum CallEnd: String, Sendable, Equatable, Codable {
    /// The agent hung up.
    case agent
    /// The customer (or the called party) hung up.
    case customer
    /// The agent transferred it and left.
    case transfer
    /// Gave up waiting in the queue.
    case abandonedInQueue = "abandoned-in-queue"
    /// Gave up while ringing at an agent.
    case abandonedAtAgent = "abandoned-at-agent"
}

/// Queue figures of a group (SL-1).
public struct QueueFigures: Sendable, Equatable, Codable {
    public var group: String
    public var waiting: Int
    /// When the call waiting longest was queued; nil when none waits.
    public var oldestQueuedAt: Date?

    public init(group: String, waiting: Int, oldestQueuedAt: Date?) {
        self.group = group
        self.waiting = waiting
        self.oldestQueuedAt = oldestQueuedAt
    }
}

/// Something the switch tells the workstations. Every event names the extensions it concerns.
public enum SwitchEvent: Sendable, Equatable, Codable {
    case agentChanged(AgentLine)
    case queued(SwitchCall)
    /// The call rings at `call.agent`.
    case ringing(SwitchCall)
    /// The call rang at `extension` for the ring timeout without an answer and went back to the queue.
    case ringNoAnswer(SwitchCall, extension: String)
    /// The agent at `extension` refused the call ringing there: a queue call went back to its
    /// queue (for the next agent), a direct or internal call ended.
    case declined(SwitchCall, extension: String)
    /// `extension` left a call it had joined (barge-in, conference); the others stay on it.
    case left(SwitchCall, extension: String)
    /// Outbound/internal: the call is dialling out from `call.from`.
    case dialing(SwitchCall)
    case connected(SwitchCall)
    case held(SwitchCall)
    case retrieved(SwitchCall)
    /// The agent at `from` handed the call over to `to` (blind or completing a consult).
    case transferred(SwitchCall, from: String, to: String)
    case conferenced(SwitchCall)
    /// `by` picked up the call that was ringing at `from`.
    case captured(SwitchCall, from: String, by: String)
    case barged(SwitchCall, by: String)
    /// The call ended, for every party on it; `by` is the extension that hung up, when one did.
    case ended(SwitchCall, reason: CallEnd, by: String? = nil)
    case queueChanged(QueueFigures)
}

/// Why the switch refused a command; the workstation maps it to the user's line.
public enum SwitchRefusal: Error, Sendable, Equatable, Codable {
    case unknownExtension(String)
    case notLoggedIn(String)
    case alreadyLoggedIn(String)
    case nothingRinging
    case noCall
    case callInProgress
    /// A consult is up (the caller is held): `return` or `transfer` first.
    case consultInProgress
    /// The consulted party has not answered yet.
    case consultRinging
    case notOnHold
    case noHeldCall
    case notConsulting
    case targetBusy(String)
    case targetLoggedOut(String)
    case nothingToCapture
    case nothingToBarge(String)
    case unknownService(String)
    /// The group's queue is full: the caller gets busy.
    case queueFull(String)
    case noQueuedCall
    case notPaused
    case alreadyPaused
    case invalidPhone(String)
    case unknownCall(CallID)
    /// The server refused the request for this session (another agent's extension, the outside
    /// world's requests without the admin role).
    case forbidden(String)
    /// The server could not be reached: the request was not carried out.
    case unreachable
}
