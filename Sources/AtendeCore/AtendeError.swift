import Foundation
/// A rule of the workstation that a request broke; the REPL turns each into one line for the user.
///
/// Values that identify customers (phones, names) are kept out of the cases' descriptions
/// on purpose: only what the user typed, echoed back to them, goes into the rendered line.
public enum AtendeError: Error, Equatable, Sendable {
    // Session
    case notLoggedIn
    case alreadyLoggedIn(agent: String)
    case unknownAgent(String)
    case unknownGroup(String)
    case agentNotInGroup(agent: String, group: String)
    case wrongPassword(attemptsLeft: Int)
    case loginThrottled(retryAfterSeconds: Int)
    case accountLocked(retryAfterSeconds: Int)
    case passwordsDiffer
    case passwordTooShort(minimum: Int)
    case passwordMissing
    case passwordUnchanged
    /// `atende export`, `atende import` and `atende admin registry load` run only for a user who
    /// gives their nickname (`--user`) and password.
    case signInNeeded(command: String)
    /// Installing a registry is an admin act.
    case registryAdminOnly
    // Input
    case invalidDate(String)
    /// A date and time the time zone skips (clocks move forward when daylight saving time starts).
    case timeInGap(String, timeZone: String)
    case invalidTimeRange(String)
    case endBeforeStart
    case invalidPhone(String, PhoneError)
    case emptyField(String)
    case fieldTooLong(field: String, maximum: Int)
    case invalidNumber(String)
    // Records
    case noSuchNote(Int)
    case noSuchAgendaEvent(Int)
    case noSuchContact(String)
    case ambiguousContact(String, matches: Int)
    /// `contacts edit N --remove-phone P` with a phone the contact does not have.
    case phoneNotOnContact(contact: Int, phone: String)
    case agendaEventAlreadyDone(Int)
    case agendaEventNotDone(Int)
    case unknownAgentForAgenda(String)
    // Configuration
    case unknownConfigKey(String)
    case invalidConfigValue(key: String, value: String, expected: ConfigExpectation)
    case lossReportDisabled
    /// `transfer.host` other than loopback: only an admin opens the CRM port to the network.
    case transferHostNotLoopback(String)
    case permissionDenied(Permission)
    /// Only supervisors and admins may act for other agents.
    case supervisorOnly
    // Calls (CC-1 … CC-18)
    case noCallEngine
    /// The server refused the request for this session (its reason).
    case switchForbidden(String)
    /// The call-center server cannot be reached: telephony waits for the link to come back.
    case serverUnreachable
    /// A sync run did not complete (the server's reason); nothing left the outbox unanswered.
    case syncFailed(String)
    /// There is no conflict with this number (`sync conflicts`).
    case noSuchConflict(Int)
    /// This lost value cannot be put back as an edit here (its record is not one the REPL edits,
    /// or it is gone).
    case conflictNotRestorable(Int)
    /// A chat names an agent the registry does not have.
    case unknownChatAgent(String)
    /// `chat , MESSAGE`: no agent named.
    case noChatRecipient
    case nothingRinging
    case noCall
    case callInProgress
    case consultInProgress
    case consultRinging
    /// Another agent is logged in at this extension (or this agent at another one).
    case extensionTaken(String)
    /// The group's queue holds as many callers as the switch allows.
    case queueFull(String)
    /// `sim advance` past its bound, in seconds.
    case advanceTooLong(maximum: Int)
    case notOnHold
    case noHeldCall
    case notConsulting
    case targetBusy(String)
    case targetLoggedOut(String)
    case unknownExtension(String)
    case nothingToCapture
    case captureBlocked
    case nothingToBarge(String)
    case unknownService(String)
    case noQueuedCall
    case notPaused
    case alreadyPaused
    case unknownPauseReason(String)
    case unknownQualificationCode(String)
    case unknownRecordingReason(String)
    /// `record REASON` while a recording runs (`record` alone stops it).
    case alreadyRecording
    case qualificationPending(Int)
    case nothingToQualify
    case nothingToRedial
    case logoutDuringCall
    case adminOnly
    /// `sim advance` moves only a manual clock (`--clock manual`).
    case clockNotManual
    // Screen transfer (IN-1, IN-2)
    /// The TCP screen transfer cannot listen on `address` (`host:port`).
    case transferCannotListen(address: String, problem: SystemProblem)
    /// The TXT screen transfer's folder cannot be created or used.
    case transferFolderUnusable(path: String, problem: SystemProblem)
    // Files
    case fileNotFound(String)
    case fileUnreadable(String, problem: SystemProblem)
    /// A text file (a contacts CSV) in another encoding than UTF-8: UTF-16, Latin-1, Windows-1252.
    case fileNotUTF8(String)
    case csvMissingColumn(String)
    case invalidFormat(String)
    /// A file to write is a symbolic link: it is never followed.
    case refusedSymlink(String)
    /// The `config transfer txt` folder does not exist (only the per-extension folders are created).
    case transferFolderMissing(String)
    /// The device-secret key file (`DATA/secret.key`) is not a key of 32 bytes.
    case secretKeyInvalid(String)
    // The server's TLS (SV-6)
    /// A certificate, key or CA file given with `option` cannot be read as PEM.
    case tlsFileUnreadable(option: String, path: String)
    /// The key of `--tls-key` is not the one of the certificate of `--tls-cert`.
    case tlsKeyMismatch(certificate: String, key: String)
    /// `--tls-cert` without `--tls-key`, or the other way round.
    case tlsPairIncomplete
    /// The server's certificate is not signed by a CA this client trusts, or not for its address.
    case serverCertificateUntrusted(server: String)
    /// Only one side speaks TLS: a plain address for a TLS server, or `https://` for a plain one.
    case serverTLSMismatch(server: String)
}

/// What a configuration value has to look like, for the refusal message.
public enum ConfigExpectation: Equatable, Sendable {
    case onOff
    case port
    case digits(count: ClosedRange<Int>)
    case areaCode
    case transfer
    case sound
    case seconds(ClosedRange<Int>)
    case url
    case language
}
