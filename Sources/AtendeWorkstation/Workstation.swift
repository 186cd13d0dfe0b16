public import AtendeCore
public import AtendeStore
public import AtendeSwitch
public import Foundation

/// The logged-in agent and the group they work in.
public struct Session: Sendable, Equatable {
    public var agent: Agent
    public var group: Group
    public var since: Date
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

/// The agent's workstation: session, rules and records, on top of the store.
///
/// Every command of the REPL (and later of the CRM protocols) goes through here, so a rule holds
/// whatever way it is asked. For example:
/// ```swift
/// let ws = try Workstation(store: store, settings: settings, clock: SystemClock())
/// _ = try ws.login(nickname: "fabio", group: "receptivas", password: "s3cret")
/// try ws.addNote("Call the bank")
/// ```
public final class Workstation {
    public let store: Store
    public let settings: WorkstationSettings
    public let clock: any AtendeClock
    public private(set) var session: Session?
    /// The switch, when this workstation has a call engine (standalone: in-process).
    public let link: (any SwitchLink)?
    let hasher: PasswordHasher
    let dates: DateInput
    var book = CallBook()
    /// The dial string of the outbound call being placed, for its record.
    var pendingDialString: String?
    /// Simulated inbound traffic (`sim traffic`), and the time it was last drawn up to.
    var traffic: (generator: TrafficGenerator, until: Date)?
    /// The configuration in force, until this workstation changes it or the session changes.
    var cachedConfiguration: WorkstationConfig?

    public init(store: Store, settings: WorkstationSettings, clock: any AtendeClock, link: (any SwitchLink)? = nil) throws {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.link = link
        hasher = PasswordHasher(iterations: settings.passwordIterations)
        dates = DateInput(calendar: settings.calendar)
        // Standalone: the registry of Config/ is the call center's catalogue.
        try store.catalog.refresh(with: settings.registry)
    }

    public var registry: Registry { settings.registry }
    public var calendar: Calendar { settings.calendar }
    public var now: Date { clock.now() }

    /// The session, or the refusal every command that needs one gives.
    public func requireSession() throws(AtendeError) -> Session {
        guard let session else { throw .notLoggedIn }
        return session
    }

    // MARK: Login (LG-1 … LG-7)

    /// Checks the agent and group, and tells whether a password or a new one is needed.
    public func loginStep(nickname: String, group: String) throws -> LoginStep {
        let (agent, _) = try resolve(nickname: nickname, group: group)
        return try store.credentials.credential(for: agent.nickname) == nil ? .createPassword : .password
    }

    /// Logs in with an existing password.
    public func login(nickname: String, group: String, password: String) throws -> LoginOutcome {
        if let session { throw AtendeError.alreadyLoggedIn(agent: session.agent.nickname) }
        let (agent, group) = try resolve(nickname: nickname, group: group)
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
        return try start(agent: agent, group: group, createdPassword: false)
    }

    /// First login: saves the new password (typed twice) and logs in (LG-2).
    public func firstLogin(nickname: String, group: String, password: String, confirmation: String) throws -> LoginOutcome {
        if let session { throw AtendeError.alreadyLoggedIn(agent: session.agent.nickname) }
        let (agent, group) = try resolve(nickname: nickname, group: group)
        guard try store.credentials.credential(for: agent.nickname) == nil else { throw AtendeError.passwordMissing }
        try savePassword(password, confirmation: confirmation, for: agent)
        return try start(agent: agent, group: group, createdPassword: true)
    }

    /// Changes the logged-in agent's password (LG-4).
    public func changePassword(current: String, new: String, confirmation: String) throws {
        let session = try requireSession()
        guard let credential = try store.credentials.credential(for: session.agent.nickname),
            try hasher.verify(current, salt: credential.salt, hash: credential.hash, iterations: credential.iterations)
        else { throw AtendeError.wrongPassword(attemptsLeft: settings.login.attemptsBeforeLock) }
        guard current != new else { throw AtendeError.passwordUnchanged }
        try savePassword(new, confirmation: confirmation, for: session.agent)
    }

    /// Ends the session (LG-7): refused while a call is up unless `force`, which hangs it up.
    @discardableResult
    public func logout(force: Bool = false) throws -> (Session, [WorkstationEvent]) {
        let session = try requireSession()
        let events = try leaveSwitch(session, force: force)
        self.session = nil
        cachedConfiguration = nil
        return (session, events)
    }

    private func savePassword(_ password: String, confirmation: String, for agent: Agent) throws {
        guard password.count >= settings.login.minimumPasswordLength else {
            throw AtendeError.passwordTooShort(minimum: settings.login.minimumPasswordLength)
        }
        guard password == confirmation else { throw AtendeError.passwordsDiffer }
        let (salt, hash) = try hasher.hash(password)
        try store.credentials.save(
            Credential(
                nickname: agent.nickname, algorithm: PasswordHasher.algorithm, iterations: hasher.iterations, salt: salt,
                hash: hash), at: clock.now())
    }

    private func start(agent: Agent, group: Group, createdPassword: Bool) throws -> LoginOutcome {
        let applied = try applyDefaultConfigurationIfNeeded(for: agent)
        let session = Session(agent: agent, group: group, since: clock.now())
        self.session = session
        cachedConfiguration = nil
        let events: [WorkstationEvent]
        do {
            events = try joinSwitch(session)
        } catch {
            self.session = nil
            throw error
        }
        return LoginOutcome(
            session: session, createdPassword: createdPassword, appliedDefaultConfiguration: applied, events: events)
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
