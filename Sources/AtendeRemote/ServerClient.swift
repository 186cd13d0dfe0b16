public import AtendeCore
public import AtendeSync
public import AtendeWorkstation
public import Foundation
import NIOCore
import NIOHTTP1

/// The server's HTTP API as the workstation and `atende admin` use it.
///
/// Every failure is a ``ServerProblem``: the server's own (wrong password, locked, forbidden …)
/// or `.unreachable` when it cannot be reached; over TLS, `.untrustedCertificate` when the server's
/// certificate is not trusted and `.tlsMismatch` when only one side speaks TLS. For example:
/// ```swift
/// let client = ServerClient(server: ServerAddress("127.0.0.1:5000")!)
/// let login = try await client.login(agent: "intelbras", password: "s3cret")
/// try await client.call(phone: "4832819500", service: "Suporte", token: login.token)
/// ```
public struct ServerClient: Sendable {
    public let server: ServerAddress
    let timeout: TimeInterval

    /// `timeout`: for the whole exchange, the server's slow password hash included.
    public init(server: ServerAddress, timeout: TimeInterval = 30) {
        self.server = server
        self.timeout = timeout
    }

    public func login(agent: String, password: String) async throws(ServerProblem) -> ServerLogin {
        try await request("POST", "/api/v1/login", body: ServerLoginRequest(agent: agent, password: password), token: nil)
    }

    /// Whether the agent's first login on the server is still to come (a password to create).
    public func loginStep(agent: String) async throws(ServerProblem) -> Bool {
        let answer: [String: Bool] = try await request("POST", "/api/v1/login/step", body: ["agent": agent], token: nil)
        return answer["createPassword"] ?? false
    }

    /// Changes the password of the session's agent (the current one is checked and counted).
    public func changePassword(current: String, new: String, token: String) async throws(ServerProblem) {
        let _: [String: String] = try await request("POST", "/api/v1/password", body: ["current": current, "new": new], token: token)
    }

    public func logout(token: String) async throws(ServerProblem) {
        let _: [String: String] = try await request("POST", "/api/v1/logout", body: Empty?.none, token: token)
    }

    /// A customer calls a service (the telephone network, played by an admin).
    @discardableResult
    public func call(phone: String, service: String, token: String) async throws(ServerProblem) -> SwitchReceipt {
        try await request("POST", "/api/v1/admin/call", body: ["phone": phone, "service": service], token: token)
    }

    /// The telephone network acts on the switch (admins): `atende admin sim …`.
    @discardableResult
    public func network(_ act: NetworkAct, token: String) async throws(ServerProblem) -> NetworkActReceipt {
        try await request("POST", "/api/v1/admin/sim", body: act, token: token)
    }

    /// The whole floor (supervisors and admins).
    public func floor(token: String) async throws(ServerProblem) -> SwitchSnapshot {
        try await request("GET", "/api/v1/floor", body: Empty?.none, token: token)
    }

    /// Each queue's figures over the day (supervisors and admins).
    public func kpis(token: String) async throws(ServerProblem) -> [QueueKPIFigures] {
        try await request("GET", "/api/v1/floor/kpis", body: Empty?.none, token: token)
    }

    /// A supervisor puts the agent at `extension` in a productive pause.
    @discardableResult
    public func pauseAgent(extension ext: String, reason: String, token: String) async throws(ServerProblem) -> SwitchReceipt {
        try await request("POST", "/api/v1/admin/agents/\(ext)/pause", body: ["reason": reason], token: token)
    }

    /// A supervisor logs the agent at `extension` out (their calls ended).
    public func logoutAgent(extension ext: String, token: String) async throws(ServerProblem) {
        let _: [String: String] = try await request("POST", "/api/v1/admin/agents/\(ext)/logout", body: Empty?.none, token: token)
    }

    public func registry(token: String) async throws(ServerProblem) -> Registry {
        try await request("GET", "/api/v1/registry", body: Empty?.none, token: token)
    }

    /// The registry in force and its version (admins).
    public func adminRegistry(token: String) async throws(ServerProblem) -> VersionedRegistry {
        try await request("GET", "/api/v1/admin/registry", body: Empty?.none, token: token)
    }

    /// One registry change (admins): a new version, audited; a refused one changes nothing.
    @discardableResult
    public func change(_ change: RegistryChange, token: String) async throws(ServerProblem) -> RegistryChangeReceipt {
        try await request("POST", "/api/v1/admin/registry", body: change, token: token)
    }

    /// The latest rows of the server's audit trail, newest first (admins).
    public func audit(limit: Int = 50, token: String) async throws(ServerProblem) -> [AuditLine] {
        try await request("GET", "/api/v1/admin/audit?limit=\(limit)", body: Empty?.none, token: token)
    }

    /// Pushes outbox operations; one answer per operation, in order (SV-5).
    public func syncPush(_ push: SyncPush, token: String) async throws(ServerProblem) -> SyncPushReply {
        try await request("POST", "/api/v1/sync/push", body: push, token: token)
    }

    /// The changes the agent may see after `cursor`, a page at a time.
    public func syncPull(after cursor: UInt64, limit: Int = 5000, token: String) async throws(ServerProblem) -> SyncPage {
        try await request("GET", "/api/v1/sync/pull?after=\(cursor)&limit=\(limit)", body: Empty?.none, token: token)
    }

    /// Streams the server's history (`atende admin export`): `start` gets how many attendances it
    /// holds (nil when the server does not say), then `body` the file's bytes a part at a time;
    /// returns how many it wrote, as the answer's end says (nil when it does not).
    /// Throws a ``ServerProblem`` (a refusal, or `.unreachable` when the server cannot be reached,
    /// goes away or stays silent for `idle` seconds midway: the export is then incomplete), or
    /// what `start` or `body` throw.
    public func export(
        _ request: ServerExportRequest, token: String, idle: TimeInterval = 60, start: (Int?) throws -> Void,
        body: (UnsafeRawBufferPointer) throws -> Void
    ) async throws -> Int? {
        var query = URLComponents()
        query.path = "/api/v1/admin/export"
        query.queryItems = [
            URLQueryItem(name: "format", value: request.format.rawValue), URLQueryItem(name: "excel", value: request.excel ? "1" : "0"),
            URLQueryItem(name: "tz", value: request.timeZone.identifier),
        ]
        if let from = request.from { query.queryItems?.append(URLQueryItem(name: "from", value: String(from))) }
        if let to = request.to { query.queryItems?.append(URLQueryItem(name: "to", value: String(to))) }
        if let agent = request.agent { query.queryItems?.append(URLQueryItem(name: "agent", value: agent)) }
        var status = 0
        var refusal = Data()
        var written: Int?
        do {
            try await HTTPExchange.stream(
                .GET, query.percentEncodedPath + "?" + (query.percentEncodedQuery ?? ""), to: server,
                headers: [("Authorization", "Bearer \(token)")], timeout: timeout, idle: idle,
                head: { code, headers in
                    status = code
                    if (200..<300).contains(code) { try start(headers.first(name: "X-Atende-Rows").flatMap { Int($0) }) }
                },
                body: { chunk in
                    if (200..<300).contains(status) {
                        try chunk.withUnsafeReadableBytes { try body($0) }
                    } else if refusal.count < 64 * 1024 {
                        refusal.append(contentsOf: chunk.readableBytesView)
                    }
                },
                end: { trailers in written = trailers?.first(name: "X-Atende-Rows").flatMap { Int($0) } })
        } catch let failure as HTTPExchange.Failure {
            switch failure {
            case .unreachable, .timedOut: throw ServerProblem(.unreachable, "the server \(server) cannot be reached")
            case .untrusted: throw ServerProblem(.untrustedCertificate, server.description)
            case .tlsMismatch: throw ServerProblem(.tlsMismatch, server.description)
            case .interrupted: throw ServerProblem(.unreachable, "the server \(server) stopped answering")
            }
        }
        guard (200..<300).contains(status) else {
            throw (try? JSONDecoder().decode(ServerProblem.self, from: refusal)) ?? ServerProblem(.refused, "the server answered HTTP \(status)")
        }
        return written
    }

    struct Empty: Encodable {}

    private func request<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, body: Body?, token: String?
    ) async throws(ServerProblem) -> Answer {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var payload: Data?
        if let body {
            headers.append(("Content-Type", "application/json"))
            payload = try? JSONEncoder().encode(body)
        }
        let reply: HTTPExchange.Answer
        do {
            reply = try await HTTPExchange.send(
                HTTPMethod(rawValue: method), path, to: server, headers: headers, body: payload, timeout: timeout)
        } catch {
            switch error {
            case .unreachable: throw ServerProblem(.unreachable, "the server \(server) cannot be reached")
            case .timedOut: throw ServerProblem(.unreachable, "the server \(server) did not answer within \(Int(timeout)) s")
            case .untrusted: throw ServerProblem(.untrustedCertificate, server.description)
            case .tlsMismatch: throw ServerProblem(.tlsMismatch, server.description)
            case .interrupted: throw ServerProblem(.unreachable, "the server \(server) stopped answering")
            }
        }
        let (status, data) = (reply.status, reply.body)
        guard (200..<300).contains(status) else {
            throw (try? JSONDecoder().decode(ServerProblem.self, from: data))
                ?? ServerProblem(.refused, "the server answered HTTP \(status)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw ServerProblem(.refused, "the server's answer to \(path) could not be read")
        }
        return answer
    }
}

/// What `atende admin export` asks the server for: days as Unix seconds (nil: the oldest, the
/// newest), one agent or everyone the user may see, the format, and the time zone of its times.
public struct ServerExportRequest: Sendable {
    public var from: Int64?
    public var to: Int64?
    public var agent: String?
    public var format: ExportFormat
    public var excel: Bool
    public var timeZone: TimeZone

    public init(from: Int64?, to: Int64?, agent: String?, format: ExportFormat, excel: Bool, timeZone: TimeZone) {
        self.from = from
        self.to = to
        self.agent = agent
        self.format = format
        self.excel = excel
        self.timeZone = timeZone
    }
}

/// A queue's figures over the day as the server sends them (see `GET /api/v1/floor/kpis`).
public struct QueueKPIFigures: Sendable, Equatable, Codable {
    public var queue: String
    public var offered: Int
    public var answered: Int
    public var answeredWithin: Int
    public var abandoned: Int
    public var waitSeconds: Double
    public var handleSeconds: Double

    /// Answered within the threshold over answered (app_queue's `ServicelevelPerf`), in percent.
    public var serviceLevel: Double? { answered > 0 ? 100 * Double(answeredWithin) / Double(answered) : nil }
    /// Mean wait of the answered calls, in seconds.
    public var averageSpeedOfAnswer: Double? { answered > 0 ? waitSeconds / Double(answered) : nil }
    /// Abandoned over offered, in percent.
    public var abandonRate: Double? { offered > 0 ? 100 * Double(abandoned) / Double(offered) : nil }
    /// Mean time from answer to end, in seconds.
    public var averageHandleTime: Double? { answered > 0 ? handleSeconds / Double(answered) : nil }
}

/// The server's sync endpoint for an agent's session: what the workstation's outbox sender and
/// puller call.
public struct ServerSyncTransport: SyncTransport {
    let client: ServerClient
    let token: String

    public init(client: ServerClient, token: String) {
        self.client = client
        self.token = token
    }

    public func push(_ push: SyncPush) async throws(ServerProblem) -> SyncPushReply {
        try await client.syncPush(push, token: token)
    }

    public func pull(after cursor: UInt64, limit: Int) async throws(ServerProblem) -> SyncPage {
        try await client.syncPull(after: cursor, limit: limit, token: token)
    }
}

