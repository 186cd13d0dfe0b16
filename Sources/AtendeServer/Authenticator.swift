public import AtendeCore
import AtendeServerStore
import Crypto
public import Foundation

/// Who a request comes from: the agent and role of an open session, as the server's own registry
/// says (a role never comes from the client).
public struct Principal: Sendable, Equatable {
    public var agent: Agent
    public var tokenHash: Data
    public var expiresAt: Date

    public var role: Role { agent.role }
    public var isSupervisor: Bool { agent.role == .supervisor || agent.role == .admin }
}

/// Logins against the server (LG-1 … LG-4, SV-6): slow salted hashes, lock-out after repeated
/// failures, bearer tokens kept as their hash only, expiring and revocable.
struct Authenticator: Sendable {
    let records: any ServerRecords
    let registry: RegistryHolder
    let configuration: ServerConfiguration
    let hasher: PasswordHasher

    init(records: any ServerRecords, registry: RegistryHolder, configuration: ServerConfiguration) {
        self.records = records
        self.registry = registry
        self.configuration = configuration
        hasher = PasswordHasher(iterations: configuration.passwordIterations)
    }

    /// Checks (or, on an agent's first login, creates) the password and opens a session.
    func login(_ request: ServerLoginRequest, openSession: Bool = true) throws(ServerProblem) -> ServerLogin {
        let now = configuration.clock.now()
        let (current, version) = registry.current
        guard let agent = current.agent(request.agent), !agent.disabled else {
            throw ServerProblem(.unknownAgent, "unknown agent \"\(request.agent.prefix(64))\"")
        }
        guard !request.password.isEmpty, request.password.utf8.count <= 1024 else {
            throw ServerProblem(.badRequest, "a password of 1 to 1024 bytes is required")
        }
        let created: Bool
        do {
            if let credential = try records.credential(agent: agent.nickname) {
                if let until = credential.lockedUntil, until > now {
                    throw ServerProblem(.locked, "locked after repeated failures", lockedUntil: until)
                }
                let good = (try? hasher.verify(
                    request.password, salt: credential.salt, hash: credential.hash, iterations: credential.iterations)) ?? false
                guard good else {
                    // A lock that ran out starts a new count.
                    if credential.lockedUntil != nil { try records.clearFailures(agent: agent.nickname) }
                    let failures = (credential.lockedUntil != nil ? 0 : credential.failedAttempts) + 1
                    let lock = failures >= configuration.maxLoginAttempts ? now.addingTimeInterval(configuration.lockout) : nil
                    _ = try records.recordFailure(agent: agent.nickname, lockUntil: lock)
                    if let lock { throw ServerProblem(.locked, "locked after repeated failures", lockedUntil: lock) }
                    throw ServerProblem(
                        .wrongPassword, "wrong password", attemptsLeft: configuration.maxLoginAttempts - failures)
                }
                if credential.failedAttempts > 0 { try records.clearFailures(agent: agent.nickname) }
                created = false
            } else {
                let (salt, hash) = try hasher.hash(request.password)
                try records.setCredential(
                    StoredCredential(
                        agent: agent.nickname, algorithm: PasswordHasher.algorithm, iterations: hasher.iterations, salt: salt,
                        hash: hash),
                    at: now)
                created = true
            }
            let token = Self.newToken()
            let expires = now.addingTimeInterval(configuration.tokenLifetime)
            guard openSession else {
                return ServerLogin(token: "", expiresAt: now, agent: agent, created: created, registry: current, registryVersion: version)
            }
            try records.openSession(
                tokenHash: Self.hash(token), StoredSession(agent: agent.nickname, role: agent.role, issuedAt: now, expiresAt: expires))
            return ServerLogin(token: token, expiresAt: expires, agent: agent, created: created, registry: current, registryVersion: version)
        } catch let problem as ServerProblem {
            throw problem
        } catch {
            throw ServerProblem(.refused, "the server could not record the login")
        }
    }

    /// Changes the session's agent's password: the current one is checked and counted like a
    /// login (LG-4, LG-6).
    func changePassword(_ principal: Principal, current: String, new: String) throws(ServerProblem) {
        guard !new.isEmpty, new.utf8.count <= 1024 else { throw ServerProblem(.badRequest, "a new password of 1 to 1024 bytes is required") }
        _ = try login(ServerLoginRequest(agent: principal.agent.nickname, password: current), openSession: false)
        do {
            let (salt, hash) = try hasher.hash(new)
            let now = configuration.clock.now()
            try records.setCredential(
                StoredCredential(
                    agent: principal.agent.nickname, algorithm: PasswordHasher.algorithm, iterations: hasher.iterations, salt: salt,
                    hash: hash),
                at: now)
        } catch {
            throw ServerProblem(.refused, "the server could not record the new password")
        }
    }

    /// Whether `agent` has yet to create a password (their first login on this server).
    func needsPassword(_ agent: String) throws(ServerProblem) -> Bool {
        guard let known = registry.current.registry.agent(agent), !known.disabled else {
            throw ServerProblem(.unknownAgent, "unknown agent \"\(agent.prefix(64))\"")
        }
        do {
            return try records.credential(agent: known.nickname) == nil
        } catch {
            throw ServerProblem(.refused, "the server could not read its records")
        }
    }

    /// The principal of a bearer token, if it is open, unexpired and its agent still enabled.
    func principal(bearer header: String?) -> Principal? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        let token = String(header.dropFirst("Bearer ".count))
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        let tokenHash = Self.hash(token)
        guard let session = try? records.session(tokenHash: tokenHash), session.revokedAt == nil,
            session.expiresAt > configuration.clock.now(),
            let agent = registry.current.registry.agent(session.agent), !agent.disabled
        else { return nil }
        return Principal(agent: agent, tokenHash: tokenHash, expiresAt: session.expiresAt)
    }

    func logout(_ principal: Principal) {
        try? records.revokeSession(tokenHash: principal.tokenHash, at: configuration.clock.now())
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
}
