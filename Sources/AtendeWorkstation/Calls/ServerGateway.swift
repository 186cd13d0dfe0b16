public import AtendeCore
import Synchronization

/// The call-center server as the workstation logs in to it (LG-1, LG-5): implemented over HTTP
/// and a WebSocket by AtendeRemote; absent when the workstation runs standalone.
public protocol ServerGateway: Sendable {
    /// Where the server is, as the agent is told (`host:port`).
    var address: String { get }
    /// Whether the agent has a password on the server (or must create one).
    func loginStep(agent: String) async throws(ServerProblem) -> LoginStep
    /// Logs in on the server (creating the password on the agent's first login there) and opens
    /// a link to its switch for the session.
    func open(agent: String, password: String) async throws(ServerProblem) -> ServerSession
}

/// A session on the server: what the login answered, and the switch link it opened.
public struct ServerSession: Sendable {
    public var login: ServerLogin
    public var link: any SwitchLink
    /// Ends the session on the server (the link stops, the token is revoked).
    public var close: @Sendable () async -> Void
    /// Changes the agent's password on the server (current, new).
    public var changePassword: @Sendable (String, String) async throws(ServerProblem) -> Void
    /// The registry versions the server puts in force while the session lasts (pushed on the link).
    public var registryChanges: @Sendable () async -> AsyncStream<Int>
    /// Each time the server applied a change this agent may see (pushed on the link).
    public var syncChanges: @Sendable () async -> AsyncStream<Void>
    /// The registry in force on the server now.
    public var fetchRegistry: @Sendable () async throws(ServerProblem) -> Registry
    /// The server's sync endpoint for this session, when it has one.
    public var sync: (any SyncTransport)?

    public init(
        login: ServerLogin, link: any SwitchLink, close: @escaping @Sendable () async -> Void,
        changePassword: @escaping @Sendable (String, String) async throws(ServerProblem) -> Void,
        registryChanges: @escaping @Sendable () async -> AsyncStream<Int> = { AsyncStream { $0.finish() } },
        syncChanges: @escaping @Sendable () async -> AsyncStream<Void> = { AsyncStream { $0.finish() } },
        fetchRegistry: @escaping @Sendable () async throws(ServerProblem) -> Registry = { () throws(ServerProblem) in
            throw ServerProblem(.notFound, "no registry")
        },
        sync: (any SyncTransport)? = nil
    ) {
        self.login = login
        self.link = link
        self.close = close
        self.changePassword = changePassword
        self.registryChanges = registryChanges
        self.syncChanges = syncChanges
        self.fetchRegistry = fetchRegistry
        self.sync = sync
    }
}

/// The registry in force, replaced when the server sends a newer one.
public final class RegistryBox: Sendable {
    private let state: Mutex<Registry>
    init(_ registry: Registry) { state = Mutex(registry) }
    public var value: Registry {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
