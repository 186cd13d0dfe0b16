public import AtendeCore
public import AtendeWorkstation
import Foundation
import HTTPTypes
import HummingbirdWSClient
public import Logging

/// The workstation's link to the server's switch: one WebSocket, kept up.
///
/// Requests carry a correlation id and wait for their reply (at most `timeout`); events are
/// pushed; the connection is pinged every 15 s and dropped when a pong does not come. When the
/// link goes down, every follower is told (``SwitchFeed/lost``), requests are refused as
/// ``SwitchRefusal/unreachable``, and the link reconnects with back-off (0.5 s doubling to 30 s,
/// with jitter); when it is back, followers get the switch's state (``SwitchFeed/restored(_:)``).
/// For example:
/// ```swift
/// let link = RemoteSwitchLink(server: ServerAddress("127.0.0.1:5000")!, token: login.token, logger: logger)
/// await link.start()
/// let receipt = try await link.send(.login(extension: "2050", paused: nil))
/// ```
public actor RemoteSwitchLink: SwitchLink {
    public nonisolated let server: ServerAddress
    let token: String
    let logger: Logger
    let timeout: Duration
    let monitor: Bool
    private var writer: WebSocketOutboundWriter?
    private var nextID: UInt64 = 0
    private var pending: [UInt64: CheckedContinuation<LinkReply?, Never>] = [:]
    private var followers: [UUID: AsyncStream<SwitchFeed>.Continuation] = [:]
    private var registryFollowers: [UUID: AsyncStream<Int>.Continuation] = [:]
    private var syncFollowers: [UUID: AsyncStream<Void>.Continuation] = [:]
    private var connection: Task<Void, Never>?
    private var welcome: LinkWelcome?
    private var welcomeWaiters: [CheckedContinuation<Void, Never>] = []
    private var failures = 0
    /// Why the server last closed the link, if it said.
    public private(set) var lastGoodbye: String?

    public init(server: ServerAddress, token: String, logger: Logger, timeout: Duration = .seconds(10), monitor: Bool = false) {
        self.server = server
        self.token = token
        self.logger = logger
        self.timeout = timeout
        self.monitor = monitor
    }

    /// Starts connecting (and reconnecting, until ``stop()``); returns once the first attempt
    /// succeeded or failed, so a login sees at once whether the server is there — at most after
    /// `timeout`: a server that took the connection but does not answer (a network that drops
    /// what it is sent) leaves the link not connected, rather than the login waiting for ever.
    public func start() async {
        guard connection == nil else { return }
        connection = Task { await self.keepConnected() }
        let limit = Task { [timeout] in
            try? await Task.sleep(for: timeout)
            self.releaseWaiters()
        }
        await waitForWelcome()
        limit.cancel()
    }

    public func stop() {
        connection?.cancel()
        connection = nil
        for f in followers.values { f.finish() }
        followers = [:]
        for f in registryFollowers.values { f.finish() }
        registryFollowers = [:]
        for f in syncFollowers.values { f.finish() }
        syncFollowers = [:]
    }

    /// Each time the server says it applied a change this agent may see (`syncChanged`).
    public func syncChanges() -> AsyncStream<Void> {
        let (nudges, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        syncFollowers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unfollowSync(id) } }
        return nudges
    }

    private func unfollowSync(_ id: UUID) {
        syncFollowers[id] = nil
    }

    /// The registry versions the server says are in force from now on (an admin changed it).
    public func registryChanges() -> AsyncStream<Int> {
        let (versions, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        registryFollowers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unfollowRegistry(id) } }
        return versions
    }

    private func unfollowRegistry(_ id: UUID) {
        registryFollowers[id] = nil
    }

    /// Whether the link is up now.
    public var isConnected: Bool { writer != nil }

    // MARK: SwitchLink

    public func send(_ request: SwitchRequest) async throws(SwitchRefusal) -> SwitchReceipt {
        switch await ask({ .request(id: $0, request) }) {
        case .receipt(let r)?: return r
        case .refusal(let refusal)?: throw refusal
        case .snapshot?, nil: throw .unreachable
        }
    }

    public func events(for audience: SwitchAudience) -> AsyncStream<SwitchFeed> {
        let (feed, continuation) = AsyncStream.makeStream(of: SwitchFeed.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = UUID()
        followers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unfollow(id) } }
        return feed
    }

    public func snapshot(for audience: SwitchAudience) async -> SwitchSnapshot {
        if case .snapshot(let s)? = await ask({ .snapshot(id: $0) }) { return s }
        return welcome?.snapshot ?? SwitchSnapshot(through: 0, lines: [], calls: [], queues: [])
    }

    // MARK: Inside

    private func ask(_ make: (UInt64) -> ClientLinkMessage) async -> LinkReply? {
        guard let writer else { return nil }
        nextID += 1
        let id = nextID
        guard let text = try? JSONEncoder().encode(make(id)) else { return nil }
        let timeout = timeout
        return await withCheckedContinuation { continuation in
            pending[id] = continuation
            Task {
                do {
                    try await writer.write(.text(String(decoding: text, as: UTF8.self)))
                } catch {
                    self.answer(id, nil)
                    return
                }
                try? await Task.sleep(for: timeout)
                self.answer(id, nil)
            }
        }
    }

    private func answer(_ id: UInt64, _ reply: LinkReply?) {
        pending.removeValue(forKey: id)?.resume(returning: reply)
    }

    private func unfollow(_ id: UUID) {
        followers[id] = nil
    }

    private func waitForWelcome() async {
        guard welcome == nil, connection != nil else { return }
        await withCheckedContinuation { welcomeWaiters.append($0) }
    }

    private func releaseWaiters() {
        welcomeWaiters.forEach { $0.resume() }
        welcomeWaiters = []
    }

    private func keepConnected() async {
        var url = (server.tls ? "wss://" : "ws://") + "\(server.host):\(server.port)/api/v1/switch"
        if monitor { url += "?audience=everything" }
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        // A message is one frame: a monitor's snapshot of a busy floor (thousands of callers
        // waiting) is megabytes, so frames are taken as large as messages.
        var configuration = WebSocketClientConfiguration(
            maxFrameSize: 64 << 20, additionalHeaders: headers, autoPing: .enabled(timePeriod: .seconds(15)))
        configuration.sniHostname = server.sniHostname
        let tls = try? server.clientTLS()
        while !Task.isCancelled {
            logger.debug("connecting the switch link", metadata: ["server": "\(server)", "failures": "\(failures)"])
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: logger) { inbound, outbound, _ in
                    for try await frame in inbound.messages(maxSize: 64 << 20) {
                        guard case .text(let text) = frame,
                            let message = try? JSONDecoder().decode(ServerLinkMessage.self, from: Data(text.utf8))
                        else { continue }
                        await self.received(message, outbound)
                    }
                }
            } catch {
                logger.debug("switch link attempt failed", metadata: ["server": "\(server)", "reason": "\(error)"])
            }
            dropped()
            failures += 1
            let base = min(30, 0.5 * pow(2, Double(min(failures - 1, 6))))
            try? await Task.sleep(for: .seconds(base * Double.random(in: 0.5...1.0)))
        }
        logger.debug("switch link stopped", metadata: ["server": "\(server)"])
    }

    private func received(_ message: ServerLinkMessage, _ outbound: WebSocketOutboundWriter) {
        switch message {
        case .welcome(let w):
            let back = welcome != nil
            welcome = w
            writer = outbound
            failures = 0
            lastGoodbye = nil
            if back { for f in followers.values { f.yield(.restored(w.snapshot)) } }
            releaseWaiters()
        case .reply(let id, let reply):
            // The server answers once it has pushed every batch of ours up to the receipt, and
            // pushes only batches with something for us: followers are complete up to it.
            if case .receipt(let receipt) = reply {
                for f in followers.values { f.yield(.batch(SwitchBatch(through: receipt.through, events: []))) }
            }
            answer(id, reply)
        case .batch(let batch):
            for f in followers.values { f.yield(.batch(batch)) }
        case .pong:
            break
        case .goodbye(let reason):
            lastGoodbye = reason
            logger.notice("the server closed the switch link", metadata: ["reason": "\(reason)"])
        case .registryChanged(let version):
            for f in registryFollowers.values { f.yield(version) }
        case .syncChanged:
            for f in syncFollowers.values { f.yield(()) }
        }
    }

    private func dropped() {
        releaseWaiters()
        guard writer != nil else { return }
        writer = nil
        for f in followers.values { f.yield(.lost) }
        for (id, _) in pending { answer(id, nil) }
    }
}

/// `host:port` of a call-center server, and whether it is reached over TLS (`https://host:port`).
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// HTTPS and WSS: the server's certificate is checked against the system's CAs, or `caCertificate`.
    public var tls: Bool = false
    /// A PEM file of the CA (or the self-signed certificate) to trust for this server instead of the system's.
    public var caCertificate: String?

    /// Reads `HOST:PORT` or `HOST` (port 5000), either after `https://` (TLS) or `http://`.
    public init?(_ text: String) {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        for (scheme, secure) in [("https://", true), ("http://", false)] where trimmed.lowercased().hasPrefix(scheme) {
            trimmed = String(trimmed.dropFirst(scheme.count))
            if trimmed.hasSuffix("/") { trimmed.removeLast() }
            tls = secure
        }
        guard !trimmed.isEmpty, trimmed.count <= 253 else { return nil }
        if let colon = trimmed.lastIndex(of: ":") {
            guard let port = Int(trimmed[trimmed.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            host = String(trimmed[..<colon])
            self.port = port
        } else {
            host = trimmed
            port = 5000
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
    }

    public var description: String { (tls ? "https://" : "") + "\(host):\(port)" }
}
