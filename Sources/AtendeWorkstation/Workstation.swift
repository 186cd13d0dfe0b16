public import AtendeCore
public import AtendeStore
import AtendeSwitch
public import Foundation

/// The logged-in agent, the group they work in and the extension they sit at (CC-0).
public struct Session: Sendable, Equatable {
    public var agent: Agent
    public var group: Group
    public var since: Date
    /// The workstation's extension (`config extension`), or the agent's registered one when it is empty.
    public var `extension`: String
}

/// What the login of an agent asks for: their password, or a new one on first login.
public enum LoginStep: Sendable, Equatable {
    case password
    case createPassword
}

/// What a successful login did besides logging in.
public struct LoginOutcome: Sendable, Equatable {
    public var session: Session
    public var createdPassword: Bool
    /// The workstation had no configuration: the defaults of `Config/` were saved (LG-2).
    public var appliedDefaultConfiguration: Bool
    /// What joining the switch caused (a pause at login, a queued call ringing at once).
    public var events: [WorkstationEvent]
}

/// The agent's workstation: session, rules and records, on top of the store, and the call engine
/// that follows the switch through its link.
///
/// Every command of the REPL and of the CRM protocols goes through here, so a rule holds whatever
/// way it is asked. Everything the workstation does is also published on its event stream
/// (``subscribe()``): the REPL and the CRM screen transfer are two subscribers. For example:
/// ```swift
/// let ws = try Workstation(store: store, settings: settings, clock: SystemClock(), link: link)
/// let events = await ws.subscribe()
/// _ = try await ws.login(nickname: "fabio", group: "receptivas", password: "s3cret")
/// try await ws.addNote("Call the bank")
/// ```
public actor Workstation {
    let store: Store
    public nonisolated let settings: WorkstationSettings
    public nonisolated let clock: any AtendeClock
    public private(set) var session: Session?
    /// The switch, when this workstation has a call engine (standalone: in-process).
    var link: (any SwitchLink)?
    /// The call-center server, when this workstation works with one (`server.host`): logins go
    /// there, and the session's switch link comes from there.
    let gateway: (any ServerGateway)?
    /// The session on the server, while logged in online.
    var serverSession: ServerSession?
    /// A login made offline while a server is configured: who, and the password given, kept in
    /// memory only for this session, so the workstation logs in on the server when it is back
    /// (``reconnect()``). Nil online, standalone, and once the server refused the password.
    var offlineLogin: (nickname: String, group: String, password: String)?
    /// The try at going online after an offline login, while it runs.
    var reconnecting: Task<Void, Never>?
    /// The login step just found the server out of reach: the login goes offline at once.
    var serverDownAtStep = false
    /// The registry in force: the server's (cached in the store) or the installed/bundled one.
    nonisolated let registryBox: RegistryBox
    let hasher: PasswordHasher
    /// Seals device secrets (`pabx.password`) before they are stored.
    let secrets: SecretBox
    let dates: DateInput
    var book = CallBook()
    /// What the workstation knows of the switch: built from its events and snapshots only.
    var mirror = SwitchMirror()
    /// Where every workstation event goes, to each subscriber.
    let bus = EventBus()
    /// The configuration in force, until this workstation changes it or the session changes.
    var cachedConfiguration: WorkstationConfig?
    /// The event pump of the session's switch subscription.
    var pump: Task<Void, Never>?
    /// The switch's events are handled up to this sequence number.
    var handledThrough: UInt64 = 0
    /// The highest sequence number a request of this workstation caused.
    var expectedThrough: UInt64 = 0
    /// Whether the link to the switch is up (a remote link can go down and come back).
    public internal(set) var linkUp = true
    /// When the outbox last reached the server in full, this process.
    var lastSync: Date?
    /// When the background sync runs next, and its failures in a row.
    var schedule = SyncSchedule()
    /// The sync running now, which another asking for one waits for.
    var syncRun: Task<SyncReport, any Error>?
    /// Wakes the background sync: a change queued, the link back, a run asked for.
    let syncWakeup = Wakeup()
    /// How many times the link came back: a wait for events of an earlier connection ends then.
    var linkEpoch = 0
    /// Follows the registry versions the server pushes during the session.
    var registryFollower: Task<Void, Never>?
    /// This session is logging off the switch (its own logout, not the call center's).
    var leavingSwitch = false
    var settleWaiters: [(through: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    /// Wakes the timer loop (wrap-up, reminders, retries) when a deadline changes.
    let timers = Wakeup()

    public init(
        store: Store, settings: WorkstationSettings, clock: any AtendeClock, link: (any SwitchLink)? = nil,
        gateway: (any ServerGateway)? = nil
    ) throws {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.link = link
        self.gateway = gateway
        registryBox = RegistryBox(settings.registry)
        hasher = PasswordHasher(iterations: settings.passwordIterations)
        secrets = try SecretBox(keyFile: settings.secretKeyFile)
        dates = DateInput(calendar: settings.calendar)
        // Standalone: the registry of Config/ is the call center's catalogue.
        try store.catalog.refresh(with: settings.registry)
        try sealStoredSecrets()
    }

    public nonisolated var registry: Registry { registryBox.value }

    /// Whether this workstation works with a call-center server (and which).
    public nonisolated var serverAddress: String? { gateway?.address }
    public nonisolated var calendar: Calendar { settings.calendar }
    public nonisolated var now: Date { clock.now() }


    /// The session, or the refusal every command that needs one gives.
    public func requireSession() throws(AtendeError) -> Session {
        guard let session else { throw .notLoggedIn }
        return session
    }

    // MARK: Login (LG-1 … LG-7)

    /// Checks the agent and group, and tells whether a password or a new one is needed.
    public func loginStep(nickname: String, group: String) async throws -> LoginStep {
        serverDownAtStep = false
        if let gateway {
            do {
                return try await gateway.loginStep(agent: nickname)
            } catch where Self.outOfReach.contains(error.code) {
                // Offline (LG-5): an agent who logged in here online before logs in against the
                // verifier kept then; a first login needs the server (and hears why it failed).
                // The login that follows does not wait for the server a second time.
                let (agent, _) = try resolve(nickname: nickname, group: group)
                guard try store.credentials.credential(for: agent.nickname) != nil else {
                    throw error.code == .tlsMismatch ? Self.loginRefusal(error, agent: nickname) : AtendeError.serverUnreachable
                }
                serverDownAtStep = true
                return .password
            } catch {
                throw Self.loginRefusal(error, agent: nickname)
            }
        }
        let (agent, _) = try resolve(nickname: nickname, group: group)
        return try store.credentials.credential(for: agent.nickname) == nil ? .createPassword : .password
    }

    /// Logs in with an existing password.
    public func login(nickname: String, group: String, password: String) async throws -> LoginOutcome {
        if let session { throw AtendeError.alreadyLoggedIn(agent: session.agent.nickname) }
        let serverDown = serverDownAtStep
        serverDownAtStep = false
        if serverDown, let gateway { bus.publish(.workingOffline(server: gateway.address)) }
        if gateway != nil, !serverDown, let online = try await loginOnline(nickname: nickname, group: group, password: password) {
            return online
        }
        let (agent, group) = try resolve(nickname: nickname, group: group)
        try verifyPassword(password, of: agent)
        let outcome = try await start(agent: agent, group: group, createdPassword: false)
        if gateway != nil {
            offlineLogin = (agent.nickname, group.name, password)
            syncSoon()
        }
        return outcome
    }

    /// What a login reads as the server out of reach (offline, LG-5): down, silent, or a
    /// connection that ends without a word (read as a protocol mismatch; a workstation that
    /// logged in here before spoke the protocol then).
    static let outOfReach: Set<ServerProblem.Code> = [.refused, .unreachable, .unavailable, .tlsMismatch]

    /// After a login made offline: logs in on the server with the password given then, and the
    /// session goes on online — the server's registry, the switch's link (telephony) and sync —
    /// as a login online would have begun it. True when it did. A refusal of the password (changed
    /// or locked on the server meanwhile) ends the attempts: the agent logs in again to go online.
    func reconnect() async -> Bool {
        guard serverSession == nil, let gateway, let again = offlineLogin, let session else { return false }
        let opened: ServerSession
        do {
            opened = try await gateway.open(agent: again.nickname, password: again.password)
        } catch {
            if !Self.outOfReach.contains(error.code) { offlineLogin = nil }
            return false
        }
        // Logged out (or in again) while the server answered: this session is over.
        guard self.session == session, offlineLogin != nil else {
            await opened.close()
            return false
        }
        do {
            try installServerRegistry(opened.login.registry)
            try keepVerifier(again.password, for: session.agent)
            link = opened.link
            serverSession = opened
            offlineLogin = nil
            followRegistry(of: opened)
            try await joinSwitch(session)
            bus.publish(.linkRestored)
            return true
        } catch {
            // Telephony could not start: sync goes on over the session; the link retries on its own.
            return serverSession != nil
        }
    }

    /// Logs in on the server: its registry is cached in the store (what this workstation reads
    /// from now on, offline too), the password's verifier is kept for offline logins (LG-5), and
    /// the session's switch link is the server's. Nil when the server cannot be reached: the
    /// caller logs in offline against the kept verifier, without telephony.
    private func loginOnline(nickname: String, group: String, password: String, confirmation: String? = nil) async throws
        -> LoginOutcome?
    {
        guard let gateway else { return nil }
        let opened: ServerSession
        do {
            opened = try await gateway.open(agent: nickname, password: password)
        } catch where Self.outOfReach.contains(error.code) {
            // The server down, out of reach or silent: the agent works offline on the kept
            // verifier (LG-5), unless this login was to create the password (only the server can).
            guard confirmation == nil else { throw AtendeError.serverUnreachable }
            bus.publish(.workingOffline(server: gateway.address))
            return nil
        } catch {
            throw Self.loginRefusal(error, agent: nickname)
        }
        do {
            try installServerRegistry(opened.login.registry)
            let (agent, group) = try resolve(nickname: nickname, group: group)
            try keepVerifier(password, for: agent)
            link = opened.link
            serverSession = opened
            let outcome = try await start(agent: agent, group: group, createdPassword: opened.login.created)
            followRegistry(of: opened)
            syncSoon()
            return outcome
        } catch {
            await opened.close()
            link = nil
            serverSession = nil
            throw error
        }
    }

    /// The password's verifier, kept for offline logins (LG-5): replaced when it changed on the server.
    private func keepVerifier(_ password: String, for agent: Agent) throws {
        if let kept = try store.credentials.credential(for: agent.nickname),
            (try? hasher.verify(password, salt: kept.salt, hash: kept.hash, iterations: kept.iterations)) == true
        {
            try store.credentials.clearFailures(for: agent.nickname)
            return
        }
        let (salt, hash) = try hasher.hash(password)
        try store.credentials.save(
            Credential(nickname: agent.nickname, algorithm: PasswordHasher.algorithm, iterations: hasher.iterations, salt: salt, hash: hash),
            at: clock.now())
    }

    /// The server's refusal of a login, as the rule it broke.
    public static func loginRefusal(_ problem: ServerProblem, agent: String) -> AtendeError {
        switch problem.code {
        case .unknownAgent: return .unknownAgent(agent)
        case .wrongPassword: return .wrongPassword(attemptsLeft: problem.attemptsLeft ?? 0)
        case .locked:
            let seconds = problem.lockedUntil.map { Int(max(1, $0.timeIntervalSinceNow.rounded(.up))) } ?? 60
            return .accountLocked(retryAfterSeconds: seconds)
        case .refused, .unreachable, .unavailable: return .serverUnreachable
        case .untrustedCertificate: return .serverCertificateUntrusted(server: problem.detail)
        case .tlsMismatch: return .serverTLSMismatch(server: problem.detail)
        case .badRequest, .unauthorized, .forbidden, .notFound: return .switchForbidden(problem.detail)
        }
    }

    /// Checks `password` against the agent's stored verifier, counting failures (LG-6): after
    /// a few, each further attempt waits; after more, the account is locked for a while. Every
    /// password check goes through here — login, `passwd`, `atende export`, `atende import`,
    /// `atende admin` — so none can be used to guess without the limit.
    func verifyPassword(_ password: String, of agent: Agent) throws {
        guard let credential = try store.credentials.credential(for: agent.nickname) else {
            throw AtendeError.passwordMissing
        }
        let now = clock.now()
        if let locked = credential.lockedUntil, locked > now {
            throw AtendeError.accountLocked(retryAfterSeconds: Int(locked.timeIntervalSince(now).rounded(.up)))
        }
        let delay = settings.login.delay(afterFailures: credential.failedAttempts)
        if delay > 0, let last = credential.lastFailureAt, now < last.addingTimeInterval(TimeInterval(delay)) {
            throw AtendeError.loginThrottled(
                retryAfterSeconds: Int(last.addingTimeInterval(TimeInterval(delay)).timeIntervalSince(now).rounded(.up)))
        }
        let ok = try hasher.verify(
            password, salt: credential.salt, hash: credential.hash, iterations: credential.iterations)
        guard ok else {
            let failures = credential.failedAttempts + 1
            let lock = failures >= settings.login.attemptsBeforeLock
            try store.credentials.recordFailure(
                for: agent.nickname, at: now,
                lockUntil: lock ? now.addingTimeInterval(TimeInterval(settings.login.lockMinutes * 60)) : nil)
            if lock { throw AtendeError.accountLocked(retryAfterSeconds: settings.login.lockMinutes * 60) }
            throw AtendeError.wrongPassword(attemptsLeft: settings.login.attemptsBeforeLock - failures)
        }
        try store.credentials.clearFailures(for: agent.nickname)
    }

    /// First login: saves the new password (typed twice) and logs in (LG-2).
    public func firstLogin(nickname: String, group: String, password: String, confirmation: String) async throws
        -> LoginOutcome
    {
        if let session { throw AtendeError.alreadyLoggedIn(agent: session.agent.nickname) }
        if gateway != nil {
            try checkNewPassword(password, confirmation: confirmation)
            guard let online = try await loginOnline(nickname: nickname, group: group, password: password, confirmation: confirmation)
            else { throw AtendeError.serverUnreachable }
            return online
        }
        let (agent, group) = try resolve(nickname: nickname, group: group)
        guard try store.credentials.credential(for: agent.nickname) == nil else { throw AtendeError.passwordMissing }
        try savePassword(password, confirmation: confirmation, for: agent)
        return try await start(agent: agent, group: group, createdPassword: true)
    }

    /// Changes the logged-in agent's password (LG-4).
    public func changePassword(current: String, new: String, confirmation: String) async throws {
        let session = try requireSession()
        if gateway != nil {
            // The password is the server's: changed there (the current one counted there), then
            // the verifier kept here for offline logins follows.
            guard let opened = serverSession else { throw AtendeError.serverUnreachable }
            guard current != new else { throw AtendeError.passwordUnchanged }
            try checkNewPassword(new, confirmation: confirmation)
            do {
                try await opened.changePassword(current, new)
            } catch {
                throw Self.loginRefusal(error, agent: session.agent.nickname)
            }
            try keepVerifier(new, for: session.agent)
            return
        }
        // Counted like a login (LG-6): a wrong current password is a guess like any other.
        try verifyPassword(current, of: session.agent)
        guard current != new else { throw AtendeError.passwordUnchanged }
        try savePassword(new, confirmation: confirmation, for: session.agent)
    }

    /// Ends the session (LG-7): refused while a call is up unless `force`, which hangs it up.
    @discardableResult
    public func logout(force: Bool = false) async throws -> (Session, [WorkstationEvent]) {
        let session = try requireSession()
        let mark = bus.mark
        offlineLogin = nil
        try await leaveSwitch(session, force: force)
        if let opened = serverSession {
            serverSession = nil
            link = nil
            await opened.close()
        }
        self.session = nil
        cachedConfiguration = nil
        bus.publish(.loggedOut(session))
        return (session, bus.events(since: mark))
    }

    private func checkNewPassword(_ password: String, confirmation: String) throws {
        guard password.count >= settings.login.minimumPasswordLength else {
            throw AtendeError.passwordTooShort(minimum: settings.login.minimumPasswordLength)
        }
        guard password == confirmation else { throw AtendeError.passwordsDiffer }
    }

    private func savePassword(_ password: String, confirmation: String, for agent: Agent) throws {
        try checkNewPassword(password, confirmation: confirmation)
        let (salt, hash) = try hasher.hash(password)
        try store.credentials.save(
            Credential(
                nickname: agent.nickname, algorithm: PasswordHasher.algorithm, iterations: hasher.iterations, salt: salt,
                hash: hash), at: clock.now())
    }

    private func start(agent: Agent, group: Group, createdPassword: Bool) async throws -> LoginOutcome {
        let applied = try applyDefaultConfigurationIfNeeded(for: agent)
        cachedConfiguration = nil
        let configured = try configuration()[.extension]
        let session = Session(
            agent: agent, group: group, since: clock.now(), extension: configured.isEmpty ? agent.extension : configured)
        self.session = session
        cachedConfiguration = nil
        let mark = bus.mark
        bus.publish(.loggedIn(session, createdPassword: createdPassword, appliedDefaultConfiguration: applied))
        do {
            try await joinSwitch(session)
        } catch {
            self.session = nil
            cachedConfiguration = nil
            throw error
        }
        return LoginOutcome(
            session: session, createdPassword: createdPassword, appliedDefaultConfiguration: applied,
            events: Array(bus.events(since: mark).dropFirst()))
    }

    func resolve(nickname: String, group: String) throws(AtendeError) -> (Agent, Group) {
        guard let agent = registry.agent(nickname) else { throw .unknownAgent(nickname) }
        guard let g = registry.group(group) else { throw .unknownGroup(group) }
        guard agent.groups.contains(where: { $0.caseInsensitiveCompare(g.name) == .orderedSame }) else {
            throw .agentNotInGroup(agent: agent.nickname, group: g.name)
        }
        return (agent, g)
    }
}
