public import AtendeCore
import Foundation

/// The lines of `atende server` and `atende admin …` (the commands that work against the
/// call-center server); ``Catalogue`` gives their text in each language.
public enum AdminMessage: Sendable, Equatable {
    // atende server
    case serverListening(address: String, dataDir: String)
    case serverStopped
    /// The server cannot listen at `address` (in use, or not this machine's).
    case serverCannotListen(address: String)
    /// The server's store or data folder cannot be opened.
    case serverStoreUnusable(path: String)
    /// An option of `atende server` out of its range.
    case serverOptionRange(option: String, from: Int, to: Int, unit: OptionUnit)
    case serverLogLevel(given: String)
    // Logging in
    case serverAddressInvalid(option: String, value: String)
    case needsUser(command: String)
    case noPassword(user: String)
    /// A request the server refused after the login (its code, and its reason in its words).
    case serverRefused(code: ServerProblem.Code, detail: String)
    // Acts on the floor
    case callPlaced(phone: String, service: String, through: UInt64)
    case extensionDigits
    case agentPaused(extension: String, reason: String)
    case agentLoggedOut(extension: String)
    case monitorForSupervisors
    case switchUnreachable
    /// The server at this address did not answer (an admin command).
    case serverUnreachable(address: String)
    case linkLost
    case linkBack
    // The monitor (SV-7)
    case floorAgentsTitle
    case floorQueuesTitle
    /// The day's figures, and how the service level is counted (answered within `threshold` s over answered).
    case floorTodayTitle(threshold: Int)
    case floorAgent(
        extension: String, nickname: String, loggedIn: Bool, state: ExtensionState, since: String, pause: String?, wrapUp: Bool,
        help: Bool, call: String?)
    case floorQueue(group: String, waiting: Int, longest: String)
    case floorKPI(queue: String, offered: Int, answered: Int, abandoned: Int, abandonRate: String, serviceLevel: String, asa: String, aht: String)
    // The registry
    case actionNotOneOf(actions: [String], given: String)
    case needsKey(command: String, kind: String)
    case noSuchItem(kind: String, key: String)
    case itemAdded(kind: String, key: String, version: Int)
    case itemChanged(kind: String, key: String, version: Int)
    case itemRemoved(kind: String, key: String, version: Int)
    case agentNeeds(command: String, options: String)
    case agentAdded(String, version: Int)
    case agentChanged(String, version: Int)
    case agentDisabled(String, version: Int)
    case agentEnabled(String, version: Int)
    case passwordReset(String)
    case agentRow(nickname: String, extension: String, name: String, groups: String, role: String, disabled: Bool)
    case agentContact(email: String, sector: String)
    case agentPermissions(String)
    case choiceRefused(option: String, choices: String, given: String)
    case unknownPermission(String, known: String)
    case serviceRow(name: String, number: String, group: String)
    case pauseReasonRow(name: String, kind: String, code: String?)
    case codeRow(code: String, label: String, tags: String)
    case groupRow(name: String, title: String)
    case recordingReasonRow(code: String, label: String)
    case auditRow(at: String, actor: String, action: String, detail: String)
    /// `atende admin export` stopped midway (the server went away or went silent): `rows`
    /// written so far; `path` nil for standard output.
    case exportInterrupted(rows: Int, path: String?)
    /// A row of data shown as it is.
    case row(String)
    // The telephone network (`atende admin sim …`)
    case simIncoming(phone: String, service: String, through: UInt64)
    case simRing(phone: String, extension: String, through: UInt64)
    case simAbandon(queue: String, through: UInt64)
    case simHangup(extension: String, through: UInt64)
    case simAnswer(extension: String, through: UInt64)
    case simTraffic(rate: String)
    case simTrafficRange(given: String)
    case simNothingWaiting(queue: String?)
    case simNoSuchCall(String)
    case simUnknownService(String)

    /// What the numbers of an option's range count.
    public enum OptionUnit: Sendable, Equatable {
        case none, seconds, callsPerMinute
    }
}
