public import AtendeCore
public import AtendeSync
public import Foundation

/// What the server keeps, as its code sees it: repositories that speak domain values only, so a
/// PostgreSQL implementation can take over from ``ServerStore`` (SQLite) for a large site.
public typealias ServerRecords = RegistryRecords & CredentialRecords & SessionRecords & CallLogRecords & AuditRecords

/// The call center's registry, one versioned document.
public protocol RegistryRecords: Sendable {
    /// The newest version, if the registry was ever stored.
    func registry() throws(ServerStoreError) -> (registry: Registry, version: Int)?
    /// Stores `registry` as a new version and audits the change, in one transaction.
    @discardableResult
    func saveRegistry(_ registry: Registry, by actor: String, action: String, detail: String, at: Date) throws(ServerStoreError) -> Int
}

/// A password verifier kept by the server (LG-3): never the password.
public struct StoredCredential: Sendable, Equatable {
    public var agent: String
    public var algorithm: String
    public var iterations: Int
    public var salt: Data
    public var hash: Data
    public var failedAttempts: Int
    public var lockedUntil: Date?

    public init(
        agent: String, algorithm: String, iterations: Int, salt: Data, hash: Data, failedAttempts: Int = 0,
        lockedUntil: Date? = nil
    ) {
        self.agent = agent
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}

public protocol CredentialRecords: Sendable {
    func credential(agent: String) throws(ServerStoreError) -> StoredCredential?
    /// Creates or replaces the verifier (failures cleared).
    func setCredential(_ credential: StoredCredential, at: Date) throws(ServerStoreError)
    /// Counts a wrong password; returns the failures so far. `lockUntil` is set when given.
    func recordFailure(agent: String, lockUntil: Date?) throws(ServerStoreError) -> Int
    func clearFailures(agent: String) throws(ServerStoreError)
    /// Forgets the verifier: the next login creates a password (an admin's reset).
    func removeCredential(agent: String) throws(ServerStoreError)
}

/// An open session, found by its token's hash.
public struct StoredSession: Sendable, Equatable {
    public var agent: String
    public var role: Role
    public var issuedAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(agent: String, role: Role, issuedAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.agent = agent
        self.role = role
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

public protocol SessionRecords: Sendable {
    func openSession(tokenHash: Data, _ session: StoredSession) throws(ServerStoreError)
    func session(tokenHash: Data) throws(ServerStoreError) -> StoredSession?
    func revokeSession(tokenHash: Data, at: Date) throws(ServerStoreError)
    /// Revokes every open session of `agent` (disabled, password reset, forced logout).
    func revokeSessions(agent: String, at: Date) throws(ServerStoreError)
}

/// One line of the switch's log (queue_log-like).
public struct CallLogEntry: Sendable, Equatable {
    public var sequence: UInt64
    public var at: Date
    public var callID: CallID?
    public var queue: String?
    public var agent: String?
    public var `extension`: String?
    public var event: String
    public var data: String?

    public init(
        sequence: UInt64, at: Date, callID: CallID? = nil, queue: String? = nil, agent: String? = nil,
        extension: String? = nil, event: String, data: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.callID = callID
        self.queue = queue
        self.agent = agent
        self.extension = `extension`
        self.event = event
        self.data = data
    }
}

/// A caller who gave up, as the switch saw it.
public struct RecordedLoss: Sendable, Equatable {
    public var callID: CallID
    public var service: String
    public var queue: String
    public var phone: String
    /// `queue` or `agent`.
    public var place: String
    public var at: Date
    public var waited: TimeInterval

    public init(callID: CallID, service: String, queue: String, phone: String, place: String, at: Date, waited: TimeInterval) {
        self.callID = callID
        self.service = service
        self.queue = queue
        self.phone = phone
        self.place = place
        self.at = at
        self.waited = waited
    }
}

/// What one instant of the switch leaves: log lines, finished calls, losses — written together.
public struct SwitchRecord: Sendable, Equatable {
    public var log: [CallLogEntry] = []
    public var finished: [(call: SwitchCall, reason: CallEnd, by: String?)] = []
    public var losses: [RecordedLoss] = []
    /// What the host writes into sync from these records (attendances, losses), applied with them.
    public var sync: [SyncOperation] = []
    /// The switch's numbering this record goes up to: every event is numbered, logged or not
    /// (queue figures are not), and a restarted server numbers on from here.
    public var through: UInt64?

    public init() {}

    public var isEmpty: Bool { log.isEmpty && finished.isEmpty && losses.isEmpty && sync.isEmpty }

    public static func == (a: SwitchRecord, b: SwitchRecord) -> Bool {
        a.log == b.log && a.losses == b.losses && a.sync == b.sync
            && a.finished.map { "\($0.call.id)\($0.reason)\($0.by ?? "")" } == b.finished.map { "\($0.call.id)\($0.reason)\($0.by ?? "")" }
    }
}

/// A queue's figures over a span (SV-7), from the calls the switch finished.
public struct QueueKPI: Sendable, Equatable, Codable {
    public var queue: String
    /// Customer calls that entered the queue and ended in the span.
    public var offered: Int
    public var answered: Int
    /// Answered within the service-level threshold.
    public var answeredWithin: Int
    public var abandoned: Int
    /// Seconds from entering the queue to being answered, summed over the answered calls.
    public var waitSeconds: Double
    /// Seconds from answer to end, summed over the answered calls.
    public var handleSeconds: Double

    public init(
        queue: String, offered: Int, answered: Int, answeredWithin: Int, abandoned: Int, waitSeconds: Double, handleSeconds: Double
    ) {
        self.queue = queue
        self.offered = offered
        self.answered = answered
        self.answeredWithin = answeredWithin
        self.abandoned = abandoned
        self.waitSeconds = waitSeconds
        self.handleSeconds = handleSeconds
    }
}

public protocol CallLogRecords: Sendable {
    /// Each queue's figures for the calls that ended at or after `since`, with `threshold` seconds
    /// as the service level's answer time.
    func queueKPIs(since: Date, threshold: TimeInterval) throws(ServerStoreError) -> [QueueKPI]
    /// Appends the log lines and writes each finished call and loss once (a call id already
    /// written is left as it is), and applies the record's sync operations as `decide` says (each
    /// once, by its id), all in one transaction.
    func append(_ record: SwitchRecord, decide: SyncRule) throws(ServerStoreError)
    func log(call: CallID) throws(ServerStoreError) -> [CallLogEntry]
    func logCount() throws(ServerStoreError) -> Int
    /// The last number the switch gave an event that was written, logged or not (0 for none): a
    /// restarted switch numbers on from it.
    func lastSequence() throws(ServerStoreError) -> UInt64
    func losses(queue: String?) throws(ServerStoreError) -> [RecordedLoss]
    /// The number of finished calls recorded.
    func callCount() throws(ServerStoreError) -> Int
    /// The end reason recorded for a call, if it finished.
    func finishedCall(_ id: CallID) throws(ServerStoreError) -> (agent: String?, reason: String)?
}

public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String

    public init(at: Date, actor: String, action: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}

public protocol AuditRecords: Sendable {
    func audit(_ entry: AuditEntry) throws(ServerStoreError)
    func auditTrail(limit: Int) throws(ServerStoreError) -> [AuditEntry]
}

/// Why the server's store could not do what was asked.
public struct ServerStoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
