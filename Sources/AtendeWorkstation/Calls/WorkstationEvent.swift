public import AtendeCore
import Foundation

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
    /// The caller gave up while the call rang here, or a direct call ended unanswered.
    case missed(SwitchCall)
    /// A queue call rang here for the ring timeout unanswered and moved on to the next agent.
    case ringTimedOut(SwitchCall)
    /// The agent refused the call ringing here: a queue call went back to its queue (for the next
    /// agent), a direct or internal call ended.
    case declined(SwitchCall, backToQueue: Bool)
    /// The agent left a call they had joined (barge-in, conference); the others stay on it.
    case left(SwitchCall)
    /// The call ended but its attendance could not be written yet; the workstation keeps it and retries.
    case attendanceNotSaved(number: Int?, phone: String, reason: String)
    /// An attendance that could not be written before is now saved.
    case attendanceSaved(Attendance)
    /// The agent logged in (LG-1, LG-2): with a new password, with the defaults saved.
    case loggedIn(Session, createdPassword: Bool, appliedDefaultConfiguration: Bool)
    /// The agent logged out.
    case loggedOut(Session)
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
    /// A lost call of the agent's groups was recorded by the switch's host (a badge changes):
    /// `reason` is `.abandonedInQueue` or `.abandonedAtAgent`.
    case lossRecorded(SwitchCall, reason: CallEnd)
    /// The link to the call-center server went down; telephony waits, the rest goes on.
    case linkLost
    /// The link is back.
    case linkRestored
    /// The server could not be reached at login: the agent works offline (agenda, notes,
    /// contacts, history) against the password kept from the last online login; telephony needs
    /// the server (LG-5).
    case workingOffline(server: String)
    /// The call center logged this agent off the switch (a supervisor, or the end of the grace
    /// period of a lost link): the session goes on without telephony until the next login.
    case loggedOutBySwitch(extension: String)
    /// The link came back but the call center did not seat the agent again at `extension`
    /// (refused, or still unreachable after the retries): no calls come until the next login.
    case seatNotTaken(extension: String)
    /// An admin changed the call center's registry: this version is in force here now (agents,
    /// services, codes, reasons). `ownChanged`: this agent's groups or extension changed (or
    /// the agent is gone); the session works with them from its next login.
    case registryUpdated(version: Int, ownChanged: Bool)
    /// A pull brings many changes (a first sync): how far it has come.
    case syncProgress(SyncProgress)
    /// A colleague's chat message arrived (CH-1).
    case chatReceived(ChatMessage)
}
