import Foundation
import AtendeCore

/// Every line Atende says that is not an error; ``Catalogue`` gives its text in each language.
public enum Message: Sendable, Equatable {
    case welcome
    case firstLogin(agent: String)
    case passwordPrompt
    case newPasswordPrompt
    case confirmPasswordPrompt
    case currentPasswordPrompt
    case passwordCreated
    case passwordChanged
    case loggedIn(name: String, group: String)
    case defaultConfigurationApplied
    case configurationPrompt
    case loggedOut(agent: String)
    case goodbye
    /// Ctrl-D on a terminal with a call up: Atende stays.
    case callStillUp
    /// The end of a script with a call up: the call is ended and recorded.
    case endedAtEndOfInput
    /// `config extension` while logged in.
    case extensionAtNextLogin(String)
    case noteAdded(Int)
    case noteEdited(Int)
    case noteRemoved(Int)
    case noNotes
    case contactAdded(Int, name: String)
    case contactEdited(Int)
    case noContacts
    case noExtensions
    case agendaAdded(Int)
    case agendaEdited(Int)
    case agendaDone(Int)
    case agendaReopened(Int)
    case noAgenda
    case configSet(key: String, value: String)
    case noCalls
    /// `count` customer attendances, besides `legs` consult legs and unanswered dials.
    case callsTotal(count: Int, legs: Int, duration: String)
    case noLosses
    case nothingFound(String)
    case statsTitle(day: String)
    case statsTotals(calls: Int, talk: String, wait: String, hold: String, pause: String)
    case importDone(imported: Int, rejected: Int)
    case importRow(line: Int, reason: String)
    case exportDone(rows: Int, path: String)
    case promptFor(field: String)
    case helpHeader
    case helpFooter
    case helpUsage
    case helpAliases
    case helpShortcut
    case didYouMean(String)
    case statusAgenda(Int)
    case statusLosses(Int)
    case statusChat(Int)
    case statusSync(Int)
    case syncSent(sent: Int, refused: Int, received: Int, pending: Int)
    case syncWaiting(lag: String?, conflicts: Int)
    case noConflicts
    case conflictRestored(Int)
    case chatSent(to: [String])
    case noChat
    case syncOffline(pending: Int)
    case syncStandalone(pending: Int)
    case syncHeldBack(String)
    case syncLast(String?)
    case statusServer(String, online: Bool)
    case statusStandalone
    case statusQueue(waiting: Int, longest: String)
    case statusPause(String)
    case statusNoPause
    case statusQualify(Int)
    /// The current call: its attendance number once it is answered (or placed), service, phone, contact.
    case statusCall(attendance: Int?, service: String, phone: String, contact: String)
    case trafficSet(rate: String)
    case screenTransferStatus(mode: String, clients: String)
    case crmRefused(source: String, reason: String)
    case configurationRefused(file: String, location: String, reason: ConfigProblem)
    /// Added to the error of a `login`/`passwd` that failed before asking for a password.
    case noPasswordAsked
    /// A line after such a failure that is not a command: skipped, neither run, kept nor shown.
    case lineSkippedAfterFailure(command: String)
    /// The password prompt of `atende export`, `import` and `admin` (on standard error).
    case signInPrompt(user: String)
    /// `atende admin registry load` done.
    case registryInstalled(file: String, by: String, agents: Int, groups: Int)
    /// `--registry` / `ATENDE_REGISTRY`: a registry given per run is not read.
    case registryPerRunRefused(source: String)
    /// An admin set a `transfer.host` that is not loopback.
    case transferHostOpen(host: String)
    /// An existing store is being brought to this version's schema (can take a while on years of history).
    case upgradingStore(from: Int, to: Int)
    /// The store's clock was left ahead (a run with its clock in the future) and was brought back.
    case clockRepaired(aheadUntil: String, restamped: Int)
}
