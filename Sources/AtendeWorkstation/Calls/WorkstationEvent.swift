public import AtendeCore
public import AtendeSwitch
public import Foundation

/// Something that happened to the agent's calls or day, for the REPL (and the CRM) to show.
public enum WorkstationEvent: Sendable, Equatable {
    /// A call rings here, with the contact its caller ID matched (CT-2).
    case ringing(SwitchCall, contact: Contact?)
    /// An outbound or internal call is being placed; `dialString` for external numbers (CC-15).
    case dialing(SwitchCall, dialString: String?)
    /// An inbound call was answered here.
    case answered(SwitchCall)
    /// The called party answered.
    case calledPartyAnswered(SwitchCall)
    case held(SwitchCall)
    case retrieved(SwitchCall)
    case transferred(SwitchCall, to: String)
    case conferenced(SwitchCall)
    case captured(SwitchCall, from: String)
    case barged(SwitchCall, into: String)
    /// A call of this agent ended and its attendance was recorded.
    case ended(Attendance, by: EndedBy)
    /// A call rang here unanswered until the ring timeout, or its caller gave up while it rang.
    case missed(SwitchCall)
    /// Qualification is due for this attendance; no new call until it is given (CC-17).
    case qualificationRequired(Attendance, wrapUpSeconds: Int?)
    case wrapUpEnded(attendanceNumber: Int, qualified: Bool)
    case qualified(Attendance, code: String)
    /// Calls wait in a queue of the agent's groups while the agent is paused (CC-16 queue alert).
    case queueAlert(waiting: Int)
    case paused(PauseReason)
    case unpaused(seconds: Int)
    case helpRequested(Bool)
    case recordingStarted(reason: String)
    case recordingStopped(seconds: Int)
    /// An agenda event has started (AG-2).
    case agendaReminder(AgendaEvent)
    /// A lost call was recorded (a badge changes).
    case lossRecorded(Loss)
}
