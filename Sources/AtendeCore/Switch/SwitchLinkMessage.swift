public import Foundation

/// What a workstation follows of the switch through its link, in order: the switch's batches, and
/// for a remote link, that the link was lost and that it is back with the state to start again from.
public enum SwitchFeed: Sendable, Equatable {
    case batch(SwitchBatch)
    /// The link went down: no event arrives until ``restored(_:)``; requests are refused meanwhile.
    case lost
    /// The link is back: the switch's state now (events up to its sequence are in it).
    case restored(SwitchSnapshot)
}

/// What a workstation sends the server over its switch WebSocket, one JSON text message each.
///
/// `id` correlates a request with its ``ServerLinkMessage/reply(id:_:)``.
public enum ClientLinkMessage: Sendable, Equatable, Codable {
    case request(id: UInt64, SwitchRequest)
    case snapshot(id: UInt64)
    /// A heartbeat; the server answers ``ServerLinkMessage/pong(_:)``.
    case ping(UInt64)
}

/// What the server sends a workstation over its switch WebSocket.
public enum ServerLinkMessage: Sendable, Equatable, Codable {
    /// First message of a connection: who the server knows this session as, and the state to start from.
    case welcome(LinkWelcome)
    case reply(id: UInt64, LinkReply)
    case batch(SwitchBatch)
    case pong(UInt64)
    /// The server ends the connection (shutting down, session revoked), with the reason.
    case goodbye(String)
    /// An admin changed the registry: this version is in force on the server's switch now; the
    /// workstation fetches it (`GET /api/v1/registry`).
    case registryChanged(version: Int)
    /// The server applied a change this session's agent may see (SV-5): the workstation pulls
    /// now rather than at its next period. A workstation that does not know this message skips it.
    case syncChanged
}

public struct LinkWelcome: Sendable, Equatable, Codable {
    public var version: Int
    public var agent: String
    public var role: Role
    public var audience: SwitchAudience
    public var snapshot: SwitchSnapshot

    public init(agent: String, role: Role, audience: SwitchAudience, snapshot: SwitchSnapshot) {
        version = SwitchWire.version
        self.agent = agent
        self.role = role
        self.audience = audience
        self.snapshot = snapshot
    }
}

public enum LinkReply: Sendable, Equatable, Codable {
    case receipt(SwitchReceipt)
    case refusal(SwitchRefusal)
    case snapshot(SwitchSnapshot)
}

/// The server's answer to a login (LG-1): a bearer token for every later request, and the
/// registry the workstation caches (what it reads, offline too).
public struct ServerLogin: Sendable, Equatable, Codable {
    public var token: String
    public var expiresAt: Date
    public var agent: Agent
    /// The password was created by this login (the agent's first on this server).
    public var created: Bool
    public var registry: Registry
    public var registryVersion: Int

    public init(token: String, expiresAt: Date, agent: Agent, created: Bool, registry: Registry, registryVersion: Int) {
        self.token = token
        self.expiresAt = expiresAt
        self.agent = agent
        self.created = created
        self.registry = registry
        self.registryVersion = registryVersion
    }
}

/// A login request to the server.
public struct ServerLoginRequest: Sendable, Equatable, Codable {
    public var agent: String
    public var password: String
    public init(agent: String, password: String) {
        self.agent = agent
        self.password = password
    }
}

/// An error body of the server's HTTP API: a code a client maps to its catalogue, and a detail.
public struct ServerProblem: Error, Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable {
        case badRequest = "bad-request"
        case unknownAgent = "unknown-agent"
        case wrongPassword = "wrong-password"
        case locked
        case unauthorized
        case forbidden
        case notFound = "not-found"
        case refused
        /// The server cannot do it now (its store failed): the same request later may succeed.
        case unavailable
        /// Said by the client, never sent: the server cannot be reached.
        case unreachable
        /// Said by the client, never sent: the server's certificate is not trusted (the detail is its address).
        case untrustedCertificate = "untrusted-certificate"
        /// Said by the client, never sent: only one side speaks TLS (the detail is the server's address).
        case tlsMismatch = "tls-mismatch"
    }
    public var code: Code
    public var detail: String
    /// For `wrongPassword`: attempts left before the lock; for `locked`: until when.
    public var attemptsLeft: Int?
    public var lockedUntil: Date?
    /// For a refused act of the telephone network: the switch's own refusal.
    public var refusal: SwitchRefusal?

    public init(_ code: Code, _ detail: String, attemptsLeft: Int? = nil, lockedUntil: Date? = nil, refusal: SwitchRefusal? = nil) {
        self.code = code
        self.detail = detail
        self.attemptsLeft = attemptsLeft
        self.lockedUntil = lockedUntil
        self.refusal = refusal
    }
}

extension ServerLinkMessage {
    /// The text of `.batch(SwitchBatch(through:events:))` built from events already encoded one by
    /// one (each as ``SwitchEvent/jsonText``, or `JSONEncoder`): the server encodes an event once, not
    /// once for every session it concerns.
    public static func batchText(through: UInt64, encodedEvents: [String]) -> String {
        #"{"batch":{"_0":{"version":\#(SwitchWire.version),"through":\#(through),"events":["#
            + encodedEvents.joined(separator: ",") + "]}}}"
    }
}
