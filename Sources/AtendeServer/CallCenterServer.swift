public import AtendeCore
public import AtendeServerStore
import AtendeSwitch
public import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
public import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The call-center server (SV-1 … SV-4, SV-6): one switch that every workstation shares, its
/// records, logins, and the HTTP + WebSocket API. For example:
/// ```swift
/// let server = try CallCenterServer(ServerConfiguration(port: 0, dataDir: dir, seedRegistry: registry), logger: logger)
/// try await server.run { port in print("listening on \(port)") }   // until SIGINT / SIGTERM
/// ```
public final class CallCenterServer: Sendable {
    public let configuration: ServerConfiguration
    let records: ServerStore
    let registry: RegistryHolder
    let service: SwitchService
    let simulator: SwitchSimulator
    let metrics: ServerMetrics
    let auth: Authenticator
    let floor: Floor
    let broadcaster: Broadcaster
    let writer: RecordWriter
    let logger: Logger

    public init(_ configuration: ServerConfiguration, logger: Logger) throws(ServerStoreError) {
        self.configuration = configuration
        self.logger = logger
        records = try ServerStore(path: configuration.dataDir.appendingPathComponent("server.sqlite").path)
        let now = configuration.clock.now()
        let stored: (registry: Registry, version: Int)
        if let existing = try records.registry() {
            stored = existing
        } else {
            let version = try records.saveRegistry(
                configuration.seedRegistry, by: "server", action: "registry.seed", detail: "seeded from the bundled registry", at: now)
            stored = (configuration.seedRegistry, version)
        }
        registry = RegistryHolder(stored.registry, version: stored.version)
        metrics = ServerMetrics()
        let sequence = try records.lastSequence()
        broadcaster = Broadcaster()
        writer = RecordWriter(records: records, broadcaster: broadcaster, logger: logger, startingAt: sequence)
        service = SwitchService(
            registry: stored.registry, clock: configuration.clock,
            recorder: ServerRecorder(writer: writer, metrics: metrics, logger: logger),
            startingAt: sequence, registryVersion: stored.version)
        simulator = SwitchSimulator(service: service)
        auth = Authenticator(records: records, registry: registry, configuration: configuration)
        floor = Floor(service: service, metrics: metrics, logger: logger, grace: configuration.seatGrace, clock: configuration.clock)
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully: sessions are told, calls in
    /// progress are ended and recorded, agents logged out. `onRunning` gets the bound port.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var server: HTTPServerBuilder = .http1WebSocketUpgrade(webSocketRouter: webSocketRouter())
        if let tls = configuration.tls { server = try .tls(server, tlsConfiguration: tls.configuration) }
        let app = Application(
            router: httpRouter(),
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "atende"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        writer.start { [floor] audiences in Task { await floor.syncChanged(audiences: audiences) } }
        if configuration.traffic > 0 {
            await simulator.startTraffic(callsPerMinute: configuration.traffic, services: registry.current.registry.services)
        }
        let group = ServiceGroup(
            configuration: .init(
                // Shut down last to first: the floor closes (calls recorded) while the HTTP
                // server still runs, then the server, then the switch's timers.
                services: [
                    .init(service: SwitchLoops(service: service, simulator: simulator, floor: floor)),
                    .init(service: app),
                    .init(service: FloorCloser(floor: floor, writer: writer)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            await writer.finish()
            throw error
        }
        await writer.finish()
    }

    // MARK: Routes

    private func httpRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/health") { _, _ in
            Self.json(["status": "ok"])
        }
        router.get("/metrics") { [metrics] _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.post("/api/v1/login") { [auth, metrics] request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            guard let login = try? JSONDecoder().decode(ServerLoginRequest.self, from: Data(buffer: body)) else {
                return Self.problem(ServerProblem(.badRequest, "a JSON body {\"agent\", \"password\"} is required"))
            }
            do throws(ServerProblem) {
                let session = try auth.login(login)
                metrics.logins.increment()
                return Self.json(session)
            } catch {
                metrics.loginFailures.increment()
                return Self.problem(error)
            }
        }
        router.post("/api/v1/login/step") { [auth] request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            guard let step = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)), let agent = step["agent"] else {
                return Self.problem(ServerProblem(.badRequest, "a JSON body {\"agent\"} is required"))
            }
            do throws(ServerProblem) {
                return Self.json(["createPassword": try auth.needsPassword(agent)])
            } catch {
                return Self.problem(error)
            }
        }
        router.post("/api/v1/password") { [auth] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            var request = request
            let body = try await request.collectBody(upTo: 8192)
            guard let change = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)),
                let current = change["current"], let new = change["new"]
            else {
                return Self.problem(ServerProblem(.badRequest, "a JSON body {\"current\", \"new\"} is required"))
            }
            do throws(ServerProblem) {
                try auth.changePassword(principal, current: current, new: new)
                return Self.json(["status": "changed"])
            } catch {
                return Self.problem(error)
            }
        }
        router.post("/api/v1/logout") { [auth] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            auth.logout(principal)
            return Self.json(["status": "logged out"])
        }
        router.get("/api/v1/registry") { [auth, registry] request, _ in
            guard auth.principal(bearer: request.headers[.authorization]) != nil else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            return Self.json(registry.current.registry)
        }
        router.get("/api/v1/floor") { [auth, service] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.isSupervisor else { return Self.problem(ServerProblem(.forbidden, "the floor is for supervisors")) }
            return Self.json(await service.snapshot(for: .everything))
        }
        router.post("/api/v1/admin/call") { [auth, service, writer] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.role == .admin else { return Self.problem(ServerProblem(.forbidden, "placing network calls needs the admin role")) }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            guard let call = try? JSONDecoder().decode(AdminCall.self, from: Data(buffer: body)) else {
                return Self.problem(ServerProblem(.badRequest, "a JSON body {\"phone\", \"service\"} is required"))
            }
            do {
                let receipt = try await service.send(.incoming(phone: call.phone, service: call.service))
                await writer.durable(through: receipt.through)
                return Self.json(receipt)
            } catch {
                return Self.problem(ServerProblem(.refused, "\(error)"))
            }
        }
        supervisionRoutes(router)
        networkRoutes(router)
        syncRoutes(router)
        historyRoutes(router)
        router.get("/api/v1/admin/registry") { [auth, registry] request, _ in
            if let refusal = Self.adminOnly(auth.principal(bearer: request.headers[.authorization])) { return refusal }
            let (current, version) = registry.current
            return Self.json(VersionedRegistry(version: version, registry: current))
        }
        router.post("/api/v1/admin/registry") { [auth, registry, records, floor, service, configuration, logger] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            if let refusal = Self.adminOnly(principal) { return refusal }
            var request = request
            let body = try await request.collectBody(upTo: 256 * 1024)
            guard let change = try? JSONDecoder().decode(RegistryChange.self, from: Data(buffer: body)) else {
                return Self.problem(ServerProblem(.badRequest, "a JSON registry change is required"))
            }
            do throws(ServerProblem) {
                let receipt = try Self.apply(
                    change, by: principal.agent.nickname, registry: registry, records: records, at: configuration.clock.now())
                logger.info("registry changed", metadata: ["by": "\(principal.agent.nickname)", "action": "\(change.action)"])
                // The running switch works from the new registry at once (no restart).
                // Connected workstations are told, and fetch it.
                let inForce = registry.current
                await service.adopt(inForce.registry, version: inForce.version)
                if case .resetPassword = change {} else { await floor.registryChanged(version: inForce.version) }
                switch change {
                case .disableAgent(let nickname):
                    await floor.dismiss(agent: nickname, reason: "disabled by an admin")
                case .resetPassword(let nickname):
                    await floor.dismiss(agent: nickname, reason: "password reset by an admin; log in again")
                default: break
                }
                return Self.json(receipt)
            } catch {
                return Self.problem(error)
            }
        }
        router.get("/api/v1/admin/audit") { [auth, records] request, _ in
            if let refusal = Self.adminOnly(auth.principal(bearer: request.headers[.authorization])) { return refusal }
            let limit = min(max(request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 50, 1), 10_000)
            guard let trail = try? records.auditTrail(limit: limit) else {
                return Self.problem(ServerProblem(.refused, "the server could not read its audit trail"))
            }
            return Self.json(trail.map { AuditLine(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.detail) })
        }
        return router
    }

    private func webSocketRouter() -> Router<SwitchSocketContext> {
        let router = Router(context: SwitchSocketContext.self)
        router.ws(
            "/api/v1/switch",
            shouldUpgrade: { [auth] request, _ in
                guard auth.principal(bearer: request.headers[.authorization]) != nil else { throw HTTPError(.unauthorized) }
                return .upgrade([:])
            },
            onUpgrade: { [auth, service, floor, broadcaster, writer, metrics, logger, configuration] inbound, outbound, context in
                guard let principal = auth.principal(bearer: context.request.headers[.authorization]) else { return }
                let follows = context.request.uri.queryParameters["audience"].flatMap { SwitchSession.Follows(rawValue: String($0)) } ?? .team
                let session = SwitchSession(
                    principal: principal, service: service, floor: floor, broadcaster: broadcaster, writer: writer,
                    metrics: metrics, logger: logger, follows: follows, bufferLimit: configuration.sessionBuffer,
                    hangUp: { [channel = context.requestContext.channel] in channel.close(promise: nil) },
                    socketWritable: { [channel = context.requestContext.channel] in channel.isWritable })
                try await session.run(inbound: inbound, outbound: outbound)
            })
        return router
    }

    // MARK: Inside

    /// Nil for an admin's session; otherwise the refusal to answer.
    static func adminOnly(_ principal: Principal?) -> Response? {
        guard let principal else { return problem(ServerProblem(.unauthorized, "log in first")) }
        guard principal.role == .admin else { return problem(ServerProblem(.forbidden, "managing the registry needs the admin role")) }
        return nil
    }

    /// One admin change (SV-2): checked with the registry's rules, then saved as a new version
    /// with its audit row in one transaction and put in force. A refused change changes nothing.
    /// Disabling an agent or resetting their password also revokes their sessions.
    static func apply(
        _ change: RegistryChange, by actor: String, registry: RegistryHolder, records: ServerStore, at now: Date
    ) throws(ServerProblem) -> RegistryChangeReceipt {
        let detail = change.detail
        var receipt = RegistryChangeReceipt(version: 0, detail: detail)
        _ = try registry.change { current, version throws(ServerProblem) in
            let next: Registry
            do throws(RegistryProblem) {
                next = try current.applying(change)
                try next.validate()
            } catch {
                throw ServerProblem(.badRequest, error.description)
            }
            do {
                switch change {
                case .resetPassword(let nickname), .disableAgent(let nickname):
                    let agent = current.agent(nickname)?.nickname ?? nickname
                    if case .resetPassword = change { try records.removeCredential(agent: agent) }
                    try records.revokeSessions(agent: agent, at: now)
                default: break
                }
                if case .resetPassword = change {
                    try records.audit(AuditEntry(at: now, actor: actor, action: change.action, detail: detail))
                    receipt.version = version
                    return (current, version)
                }
                let saved = try records.saveRegistry(next, by: actor, action: change.action, detail: detail, at: now)
                receipt.version = saved
                return (next, saved)
            } catch {
                throw ServerProblem(.refused, "the server could not record the change")
            }
        }
        return receipt
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func problem(_ problem: ServerProblem) -> Response {
        let status: HTTPResponse.Status
        switch problem.code {
        case .badRequest: status = .badRequest
        case .unknownAgent, .wrongPassword, .unauthorized: status = .unauthorized
        case .locked: status = .init(code: 423, reasonPhrase: "Locked")
        case .forbidden: status = .forbidden
        case .notFound: status = .notFound
        case .refused: status = .conflict
        case .unavailable: status = .serviceUnavailable
        case .unreachable, .untrustedCertificate, .tlsMismatch: status = .badRequest
        }
        return json(problem, status: status)
    }
}

/// `POST /api/v1/admin/call`: a customer calls a service (the telephone network, played by an admin).
struct AdminCall: Codable {
    var phone: String
    var service: String
}

/// The switch's ring timeouts, the simulated traffic and the seats' grace periods, on the real clock.
struct SwitchLoops: ServiceLifecycle.Service {
    let service: SwitchService
    let simulator: SwitchSimulator
    let floor: Floor

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await service.run() }
                group.addTask { await simulator.run() }
                group.addTask { await floor.run() }
            }
        }
    }
}

/// Closes the floor when the server is asked to stop (before the HTTP server goes).
struct FloorCloser: ServiceLifecycle.Service {
    let floor: Floor
    let writer: RecordWriter

    func run() async throws {
        try? await gracefulShutdown()
        await floor.close(reason: "server shutting down")
        // The calls just ended are on disk before the sessions' sockets close.
        await writer.finish()
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
