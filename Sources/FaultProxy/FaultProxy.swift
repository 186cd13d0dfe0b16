import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on the loopback that forwards every connection to one server, and breaks the
/// traffic on demand: partitions one way or both, delays, resets, refusals. For a test harness
/// that puts it between real processes: the client is given the proxy's port instead of the
/// server's, so everything it sends on that port (HTTP requests, a WebSocket) goes through it.
///
/// Backpressure is kept: a side is read only while the other takes what it is sent, so a peer
/// that reads nothing costs the proxy a socket buffer, not memory. A side that closes (or half
/// closes) is closed on the other side in turn; a side reset by its peer is reset on the other.
///
/// For example:
/// ```swift
/// let proxy = try await FaultProxy.start(forwardingTo: server.port)
/// // the client connects to 127.0.0.1:\(proxy.port)
/// await proxy.set(.partition(.toClient))  // the server's answers vanish
/// await proxy.heal()                      // the connections that lost an answer are reset
/// print(proxy.stats.resets)
/// await proxy.stop()
/// ```
public final class FaultProxy: Sendable {
    /// The port of the loopback the proxy listens on.
    public let port: Int
    let core: ProxyCore
    private let listener: any Channel

    private init(port: Int, core: ProxyCore, listener: any Channel) {
        self.port = port
        self.core = core
        self.listener = listener
    }

    /// Listens on a free port of 127.0.0.1 and forwards each connection to `host`:`port`,
    /// normally until a fault is set.
    public static func start(forwardingTo port: Int, host: String = "127.0.0.1") async throws -> FaultProxy {
        let core = ProxyCore(host: host, port: port)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { child in
                core.accept(child)
                return child.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FaultProxy(port: listener.localAddress?.port ?? 0, core: core, listener: listener)
    }

    /// The fault in force, nil when forwarding normally.
    public var fault: Fault? { core.state.withLock { $0.fault } }

    /// What went through so far.
    public var stats: Stats { core.state.withLock { $0.stats } }

    /// Puts `fault` in force for the bytes read from now on (what was already forwarded goes on
    /// as it was). A way that was partitioned and is no longer resets the connections that lost
    /// bytes that way; `.refuse` resets every open connection. Returns once those are reset.
    public func set(_ fault: Fault) async {
        await core.reset(core.change(to: fault))
    }

    /// Forwards normally again; the connections that lost bytes to a partition are reset.
    public func heal() async {
        await core.reset(core.change(to: nil))
    }

    /// Resets (RST) every open connection now, on both sides; the fault in force stays.
    public func resetAll() async {
        await core.reset(core.state.withLock { Array($0.connections.values) })
    }

    /// Does what one step of a ``FaultSchedule`` says.
    public func perform(_ action: FaultSchedule.Action) async {
        switch action {
        case .heal: await heal()
        case .set(let fault): await set(fault)
        case .resetAll: await resetAll()
        }
    }

    /// Waits until `condition` holds for the stats, at most `limit`; false if it did not.
    ///
    /// For example, to know that a partition has swallowed what a client sent:
    /// ```swift
    /// let swallowed = await proxy.waitUntil { $0.droppedToServer >= 5 }
    /// ```
    public func waitUntil(within limit: Duration = .seconds(5), _ condition: @escaping @Sendable (Stats) -> Bool) async -> Bool {
        await core.wait(within: limit, condition)
    }

    /// Resets every connection and stops listening (the port is free once this returns).
    public func stop() async {
        // New connections are refused from now on; the open ones are reset, then the port is closed.
        let open = core.state.withLock { s in
            s.stopped = true
            return Array(s.connections.values)
        }
        for pair in open {
            let done = pair.handler.eventLoop.submit { _ = pair.handler.value.resetPair() }
            try? await done.get()
            try? await pair.finished.get()
        }
        try? await listener.close()
        core.wakeAll()
    }
}

/// The proxy's shared state, read by every connection's handlers on their event loops.
final class ProxyCore: Sendable {
    struct Pair: Sendable {
        /// The handler on the client's side; it reaches the one on the server's.
        let handler: NIOLoopBound<SpliceHandler>
        /// Completed once both sides are closed.
        let finished: EventLoopFuture<Void>
    }

    struct Waiter {
        let condition: @Sendable (FaultProxy.Stats) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    struct State {
        var fault: FaultProxy.Fault?
        var stats = FaultProxy.Stats()
        var nextID = 0
        var connections: [Int: Pair] = [:]
        /// The connections that lost bytes to a partition, each way.
        var lost: [FaultProxy.Flow: Set<Int>] = [:]
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        var stopped = false
    }

    let host: String
    let port: Int
    let state = Mutex(State())

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// A new connection from a client (on its event loop): refused, or spliced to a new
    /// connection to the server on the same loop.
    func accept(_ child: any Channel) {
        let pair: Pair? = state.withLock { s in
            if s.stopped || s.fault == .refuse {
                s.stats.refused += 1
                return nil
            }
            s.nextID += 1
            s.stats.accepted += 1
            s.stats.open += 1
            let (near, finished) = SpliceHandler.pair(id: s.nextID, core: self, loop: child.eventLoop)
            let pair = Pair(handler: NIOLoopBound(near, eventLoop: child.eventLoop), finished: finished)
            s.connections[s.nextID] = pair
            return pair
        }
        guard let pair else {
            // Reset once active: closed before then, the socket may go with a plain FIN.
            try? child.pipeline.syncOperations.addHandler(Refusal())
            wakeWaiters()
            return
        }
        wakeWaiters()
        let near = pair.handler.value
        do {
            try child.pipeline.syncOperations.addHandler(near)
        } catch {
            _ = near.resetPair()
            return
        }
        guard let far = near.partner else { return }
        let farBound = NIOLoopBound(far, eventLoop: child.eventLoop)
        ClientBootstrap(group: child.eventLoop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(.seconds(5))
            .channelInitializer { upstream in
                upstream.eventLoop.makeCompletedFuture { try upstream.pipeline.syncOperations.addHandler(farBound.value) }
            }
            .connect(host: host, port: port)
            .whenFailure { _ in farBound.value.upstreamFailed() }
    }

    /// Whether `bytes` read going `flow` on connection `id` are forwarded, and after how long;
    /// nil when a partition drops them (0 bytes: the end of the stream).
    func pass(_ bytes: Int, _ flow: FaultProxy.Flow, connection id: Int) -> TimeAmount? {
        let delay: TimeAmount? = state.withLock { s in
            if let fault = s.fault, fault.drops(flow) {
                s.lost[flow, default: []].insert(id)
                if flow == .toServer { s.stats.droppedToServer += bytes } else { s.stats.droppedToClient += bytes }
                return nil
            }
            if flow == .toServer { s.stats.bytesToServer += bytes } else { s.stats.bytesToClient += bytes }
            if case .delay(let ms)? = s.fault { return .milliseconds(Int64(ms)) }
            return .zero
        }
        wakeWaiters()
        return delay
    }

    /// Puts `fault` in force and returns the connections to reset for it.
    func change(to fault: FaultProxy.Fault?) -> [Pair] {
        state.withLock { s in
            s.fault = fault
            var doomed = Set<Int>()
            if fault == .refuse {
                doomed = Set(s.connections.keys)
                s.lost = [:]
            } else {
                for flow in FaultProxy.Flow.allCases where !(fault?.drops(flow) ?? false) {
                    doomed.formUnion(s.lost.removeValue(forKey: flow) ?? [])
                }
            }
            return doomed.compactMap { s.connections[$0] }
        }
    }

    /// Resets each pair on its event loop, and counts those that were still open.
    func reset(_ pairs: [Pair]) async {
        for pair in pairs {
            let reset = pair.handler.eventLoop.submit { pair.handler.value.resetPair() }
            if (try? await reset.get()) == true { countReset() }
        }
    }

    func countReset() {
        state.withLock { $0.stats.resets += 1 }
        wakeWaiters()
    }

    /// Both sides of connection `id` are closed.
    func finished(_ id: Int) {
        state.withLock { s in
            guard s.connections.removeValue(forKey: id) != nil else { return }
            s.stats.open -= 1
            for flow in FaultProxy.Flow.allCases { s.lost[flow]?.remove(id) }
        }
        wakeWaiters()
    }

    func wait(within limit: Duration, _ condition: @escaping @Sendable (FaultProxy.Stats) -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let id: Int? = state.withLock { s in
                guard !condition(s.stats), !s.stopped else { return nil }
                s.nextWaiter += 1
                s.waiters[s.nextWaiter] = Waiter(condition: condition, continuation: continuation)
                return s.nextWaiter
            }
            guard let id else {
                continuation.resume(returning: state.withLock { condition($0.stats) })
                return
            }
            let (seconds, attoseconds) = limit.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(nanoseconds)) {
                self.state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: false)
            }
        }
    }

    private func wakeWaiters() {
        let ready: [Waiter] = state.withLock { s in
            guard !s.waiters.isEmpty else { return [] }
            let stats = s.stats
            let ids = s.waiters.filter { $0.value.condition(stats) }.map(\.key)
            return ids.compactMap { s.waiters.removeValue(forKey: $0) }
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Every waiter is told whether its condition holds now (the proxy stopped).
    func wakeAll() {
        let (all, stats) = state.withLock { s in
            defer { s.waiters = [:] }
            return (Array(s.waiters.values), s.stats)
        }
        for waiter in all { waiter.continuation.resume(returning: waiter.condition(stats)) }
    }
}

/// Resets a refused connection as soon as it is active.
final class Refusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        SpliceHandler.reset(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
