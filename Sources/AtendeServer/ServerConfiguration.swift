public import AtendeCore
public import Foundation

/// How a call-center server runs: built from flags and files by the executable, from values by tests.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0: any free port (tests); the bound one is announced on standard error and by `onRunning`.
    public var port: Int
    /// Folder of `server.sqlite`.
    public var dataDir: URL
    /// The registry a new server store starts from (Config/registry.json); an existing store keeps its own.
    public var seedRegistry: Registry
    /// Simulated inbound calls a minute across the registry's services (0: none).
    public var traffic: Double
    public var clock: any AtendeClock
    /// How long a login's token is good for.
    public var tokenLifetime: TimeInterval
    /// Wrong passwords in a row before an agent is locked out, and for how long.
    public var maxLoginAttempts: Int
    public var lockout: TimeInterval
    /// How long a disconnected agent keeps their seat before the server logs them out.
    public var seatGrace: TimeInterval
    public var passwordIterations: Int
    /// Messages a session may have waiting for its socket; a client that falls further behind is dropped.
    public var sessionBuffer: Int
    /// HTTPS and WSS on the same port when set; plain HTTP and WS otherwise.
    public var tls: ServerTLS?

    public init(
        host: String = "127.0.0.1", port: Int = 5000, dataDir: URL, seedRegistry: Registry, traffic: Double = 0,
        clock: any AtendeClock = SystemClock(), tokenLifetime: TimeInterval = 12 * 3600, maxLoginAttempts: Int = 5,
        lockout: TimeInterval = 15 * 60, seatGrace: TimeInterval = 120, passwordIterations: Int = 210_000,
        tls: ServerTLS? = nil, sessionBuffer: Int = 10_000
    ) {
        self.sessionBuffer = sessionBuffer
        self.host = host
        self.port = port
        self.dataDir = dataDir
        self.seedRegistry = seedRegistry
        self.traffic = traffic
        self.clock = clock
        self.tokenLifetime = tokenLifetime
        self.maxLoginAttempts = maxLoginAttempts
        self.lockout = lockout
        self.seatGrace = seatGrace
        self.passwordIterations = passwordIterations
        self.tls = tls
    }
}
