import AtendeCore
import AtendeRemote
import AtendeSync
import FaultProxy
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TestSupport

/// The fault-injecting proxy on real loopback sockets: an echo server (or a server that reads
/// nothing until told) behind it, raw clients in front of it, and a real `atende server`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct FaultProxyTests {
    @Test func bytesPassUnchangedOnManyConnectionsAtOnceAndAHalfCloseIsPassedOn() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        // Given eight clients sending 512 kB each at once, then half-closing.
        var random = SplitMix64(state: 12)
        let payloads = (0..<8).map { _ in (0..<(512 << 10)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        var clients: [TestPeer] = []
        for payload in payloads {
            let client = try await TestPeer.connect(to: proxy.port)
            client.write(payload, thenHalfClose: true)
            clients.append(client)
        }
        // Then each gets its own bytes back whole and in order, and the echo's end of stream.
        for (client, payload) in zip(clients, payloads) {
            #expect(await client.endOfStream())
            #expect(client.bytes == payload)
            client.close()
        }
        #expect(await proxy.waitUntil { $0.open == 0 })
        let stats = proxy.stats
        #expect(stats.accepted == 8 && stats.bytesToServer == 8 * (512 << 10) && stats.bytesToClient == stats.bytesToServer)
        #expect(stats.resets == 0 && stats.droppedToServer == 0)

        // Stopped, it closes what is open and listens no more.
        let open = try await TestPeer.connect(to: proxy.port)
        #expect(await proxy.waitUntil { $0.open == 1 })
        await proxy.stop()
        #expect(await open.ended() != nil)
        await #expect(throws: (any Error).self) { try await TestPeer.connect(to: proxy.port) }
        await echo.stop()
    }

    @Test func aPartitionHoldsTheBytesAndHealingResetsWhatLostSomeAndLetsNewConnectionsThrough() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        let idle = try await TestPeer.connect(to: proxy.port)
        #expect(await proxy.waitUntil { $0.open == 1 })

        // Given a partition both ways, a client's bytes vanish and it hangs.
        await proxy.set(.partition(.both))
        let client = try await TestPeer.connect(to: proxy.port)
        client.write(Array("hello".utf8))
        #expect(await proxy.waitUntil { $0.droppedToServer == 5 })
        #expect(await client.received(atLeast: 1, within: .milliseconds(150)) == false)
        #expect(proxy.stats.bytesToServer == 0 && client.end == nil)

        // When it heals: the connection that lost bytes is reset, the idle one lives on.
        await proxy.heal()
        #expect(await client.ended() == .reset)
        #expect(proxy.stats.resets == 1)
        idle.write(Array("still here".utf8))
        #expect(await idle.received(atLeast: 10))
        #expect(idle.bytes == Array("still here".utf8))

        // And a new connection goes through.
        let after = try await TestPeer.connect(to: proxy.port)
        after.write(Array("again".utf8))
        #expect(await after.received(atLeast: 5))
        #expect(after.bytes == Array("again".utf8))
        await proxy.stop()
        await echo.stop()
    }

    @Test func aPartitionOneWayDropsOnlyThatWay() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        let client = try await TestPeer.connect(to: proxy.port)
        // Given the answers' way cut: the request reaches the server, its echo does not come back.
        await proxy.set(.partition(.toClient))
        client.write(Array("ping".utf8))
        #expect(await proxy.waitUntil { $0.bytesToServer == 4 && $0.droppedToClient == 4 })
        #expect(await client.received(atLeast: 1, within: .milliseconds(150)) == false)
        // When the other way is cut instead, the answers' way is forwarding again: the connection
        // that lost an answer is reset.
        await proxy.set(.partition(.toServer))
        #expect(await client.ended() == .reset)
        await proxy.stop()
        await echo.stop()
    }

    @Test func resetAllResetsEveryConnectionOnBothSides() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        let first = try await TestPeer.connect(to: proxy.port), second = try await TestPeer.connect(to: proxy.port)
        for client in [first, second] {
            client.write([1, 2, 3])
            #expect(await client.received(atLeast: 3))
        }
        await proxy.resetAll()
        #expect(await first.ended() == .reset)
        #expect(await second.ended() == .reset)
        #expect(await echo.resets.wait { $0 == 2 })
        #expect(await proxy.waitUntil { $0.open == 0 && $0.resets == 2 })
        await proxy.stop()
        await echo.stop()
    }

    @Test func refusingResetsTheOpenConnectionsAndEveryNewOneUntilHealed() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        let open = try await TestPeer.connect(to: proxy.port)
        #expect(await proxy.waitUntil { $0.open == 1 })
        await proxy.set(.refuse)
        #expect(await open.ended() == .reset)

        // A new connection is reset at once, the server never hears of it.
        let turnedAway: TestPeer.End?
        do {
            // (Nothing written: a write racing the reset may close the socket before the reset is read.)
            let client = try await TestPeer.connect(to: proxy.port)
            turnedAway = await client.ended()
            #expect(client.bytes.isEmpty)
        } catch {
            turnedAway = .reset
        }
        #expect(turnedAway == .reset)
        #expect(proxy.stats.refused == 1 && proxy.stats.bytesToServer == 0)

        await proxy.heal()
        let after = try await TestPeer.connect(to: proxy.port)
        after.write(Array("back".utf8))
        #expect(await after.received(atLeast: 4))
        await proxy.stop()
        await echo.stop()
    }

    @Test func aDelayHoldsEveryChunkAndKeepsTheirOrder() async throws {
        let echo = try await TestServer.start(.echo)
        let proxy = try await FaultProxy.start(forwardingTo: echo.port)
        let client = try await TestPeer.connect(to: proxy.port)
        await proxy.set(.delay(milliseconds: 40))
        let start = ContinuousClock.now
        var sent: [UInt8] = []
        for chunk in 0..<50 {
            let bytes = Array("chunk \(chunk);".utf8)
            sent += bytes
            client.write(bytes)
        }
        #expect(await client.received(atLeast: sent.count))
        // There and back: at least twice the delay.
        #expect(ContinuousClock.now - start >= .milliseconds(80))
        #expect(client.bytes == sent)
        // Healed, bytes go straight through again.
        await proxy.heal()
        #expect(proxy.fault == nil)
        client.write([9])
        #expect(await client.received(atLeast: sent.count + 1))
        await proxy.stop()
        await echo.stop()
    }

    @Test func aServerThatReadsNothingStopsTheProxyReadingTheClient() async throws {
        let sink = try await TestServer.start(.sinkReadingWhenTold)
        let proxy = try await FaultProxy.start(forwardingTo: sink.port)
        let client = try await TestPeer.connect(to: proxy.port)
        let total = 32 << 20
        client.write([UInt8](repeating: 7, count: total))
        // The socket buffers fill and the proxy stops reading: nowhere near all of it is taken.
        #expect(await proxy.waitUntil { $0.bytesToServer >= 1 << 20 })
        #expect(await proxy.waitUntil(within: .milliseconds(300)) { $0.bytesToServer >= total } == false)
        #expect(proxy.stats.bytesToServer < 16 << 20)
        // Once the server reads, everything arrives.
        sink.startReading()
        #expect(await sink.received.wait(within: .seconds(20)) { $0 == total })
        #expect(proxy.stats.bytesToServer == total)
        await proxy.stop()
        await sink.stop()
    }

    @Test func scheduleIsTheSameForTheSameSeedAndDrawsEveryKindOfFault() {
        let one = Array(FaultSchedule(seed: 7, steps: 200)), again = Array(FaultSchedule(seed: 7, steps: 200))
        #expect(one == again && one.count == 200)
        #expect(Array(FaultSchedule(seed: 8, steps: 200)) != one)
        let actions = Set(one.map(\.action).map { action -> String in
            switch action {
            case .heal: "heal"
            case .resetAll: "reset"
            case .set(.delay(let ms)): ms >= 5 && ms <= 300 ? "delay" : "delay out of range"
            case .set(let fault): "\(fault)"
            }
        })
        #expect(actions == ["heal", "reset", "delay", "refuse", "partition(FaultProxy.FaultProxy.Direction.both)",
                            "partition(FaultProxy.FaultProxy.Direction.toServer)", "partition(FaultProxy.FaultProxy.Direction.toClient)"])
        #expect(one.allSatisfy { $0.duration >= .milliseconds(50) && $0.duration <= .milliseconds(1_000) })
    }

    @Test func aRealServerThroughTheProxyIsUnreachableWhilePartitionedAndAnswersOnceHealed() async throws {
        let tmp = TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        defer { _ = server.terminate() }
        let proxy = try await FaultProxy.start(forwardingTo: server.port)
        let address = ServerAddress("127.0.0.1:\(proxy.port)")!
        let patient = ServerClient(server: address)
        let login = try await patient.login(agent: "fabio", password: "Segredo-123")
        #expect(try await patient.syncPull(after: 0, token: login.token).changes.isEmpty)
        // Only the request that must hang is given a short limit (a loaded machine answers slowly).
        let impatient = ServerClient(server: address, timeout: 1)

        // Given a partition both ways, the request hangs until the client's own time limit.
        await proxy.set(.partition(.both))
        do {
            _ = try await impatient.syncPull(after: 0, token: login.token)
            Issue.record("a partitioned server answered")
        } catch {
            #expect(error.code == .unreachable)
        }
        #expect(proxy.stats.droppedToServer > 0 && proxy.stats.bytesToClient > 0)
        // Refused, the request fails at once. NB: HTTPExchange takes a plain connection reset
        // before any answer for a TLS mismatch, so the code is not checked here.
        await proxy.set(.refuse)
        do {
            _ = try await patient.syncPull(after: 0, token: login.token)
            Issue.record("a refused connection answered")
        } catch {
            #expect(proxy.stats.refused == 1)
        }

        await proxy.heal()
        #expect(try await patient.syncPull(after: 0, token: login.token).complete)
        #expect(proxy.stats.accepted >= 3 && proxy.stats.refused == 1)
        await proxy.stop()
    }

    @Test func theSwitchLinkThroughTheProxyIsLostOnAResetAndComesBackByItself() async throws {
        let tmp = TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        defer { server.kill() }
        let proxy = try await FaultProxy.start(forwardingTo: server.port)
        let address = ServerAddress("127.0.0.1:\(proxy.port)")!
        let login = try await ServerClient(server: address).login(agent: "fabio", password: "Segredo-123")
        let link = RemoteSwitchLink(server: address, token: login.token, logger: Logger(label: "test.proxy"))
        let feed = FeedFollower(await link.events(for: .everything))
        await link.start()
        defer { Task { await link.stop() } }
        _ = try await link.send(.login(extension: "2050", paused: nil))

        // When the WebSocket's connection (the only one left open) is reset, the link says so,
        // reconnects through the proxy by itself and starts again from the switch's state.
        #expect(await proxy.waitUntil { $0.open == 1 })
        await proxy.resetAll()
        #expect(await feed.next { $0 == .lost } == .lost)
        let back = await feed.next { if case .restored = $0 { return true } else { return false } }
        guard case .restored(let snapshot)? = back else { Issue.record("the link did not come back"); return }
        #expect(snapshot.lines.first { $0.extension == "2050" }?.loggedIn == true)
        #expect(proxy.stats.resets == 1 && proxy.stats.accepted >= 3)
        await proxy.stop()
    }
}

// MARK: - Peers on the loopback

/// A value shared with event-loop handlers, and waits until it satisfies a condition.
final class Watched<Value: Sendable>: Sendable {
    private struct Waiter {
        let condition: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }
    private let state: Mutex<(value: Value, waiters: [Int: Waiter], next: Int)>

    init(_ value: Value) { state = Mutex((value, [:], 0)) }

    var value: Value { state.withLock { $0.value } }

    func update(_ change: (inout Value) -> Void) {
        let ready: [(Waiter, Value)] = state.withLock { s in
            change(&s.value)
            let value = s.value
            let ids = s.waiters.filter { $0.value.condition(value) }.map(\.key)
            return ids.compactMap { s.waiters.removeValue(forKey: $0) }.map { ($0, value) }
        }
        for (waiter, _) in ready { waiter.continuation.resume(returning: true) }
    }

    /// Whether `condition` holds within `limit` (a deadline, not a sleep: it returns as soon as it holds).
    func wait(within limit: Duration = .seconds(5), _ condition: @escaping @Sendable (Value) -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let id: Int? = state.withLock { s in
                guard !condition(s.value) else { return nil }
                s.next += 1
                s.waiters[s.next] = Waiter(condition: condition, continuation: continuation)
                return s.next
            }
            guard let id else { return continuation.resume(returning: true) }
            let (seconds, attoseconds) = limit.components
            MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
                self.state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: false)
            }
        }
    }
}

/// A client on the loopback: what it received, and how its connection ended.
final class TestPeer: Sendable {
    enum End: Sendable, Equatable {
        /// The peer closed (end of stream), no error.
        case closedByPeer
        /// The connection was reset (or broke).
        case reset
    }

    struct Seen: Sendable {
        var bytes: [UInt8] = []
        var endOfStream = false
        var error = false
        var closed = false
    }

    let channel: any Channel
    let seen: Watched<Seen>

    private init(channel: any Channel, seen: Watched<Seen>) {
        self.channel = channel
        self.seen = seen
    }

    static func connect(to port: Int) async throws -> TestPeer {
        let seen = Watched(Seen())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(seen)) }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TestPeer(channel: channel, seen: seen)
    }

    var bytes: [UInt8] { seen.value.bytes }
    /// How the connection ended, nil while it is open.
    var end: End? {
        let seen = seen.value
        return seen.closed ? (seen.error ? .reset : .closedByPeer) : nil
    }

    func write(_ bytes: [UInt8], thenHalfClose: Bool = false) {
        // A write the peer's reset refused counts as the reset (it may come before any read).
        let seen = seen
        channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenFailure { _ in seen.update { $0.error = true } }
        if thenHalfClose { channel.close(mode: .output, promise: nil) }
    }

    func close() { channel.close(promise: nil) }

    func received(atLeast count: Int, within limit: Duration = .seconds(5)) async -> Bool {
        await seen.wait(within: limit) { $0.bytes.count >= count }
    }

    /// How the connection ended (nil: it had not within `limit`).
    func ended(within limit: Duration = .seconds(5)) async -> End? {
        _ = await seen.wait(within: limit) { $0.closed }
        return end
    }

    /// Whether the peer's end of stream came within `limit` (without a reset). A connection
    /// already half-closed by this side closes whole on it, without an `inputClosed`.
    func endOfStream(within limit: Duration = .seconds(5)) async -> Bool {
        await seen.wait(within: limit) { $0.endOfStream || $0.closed } && !seen.value.error
    }

    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let seen: Watched<Seen>

        init(_ seen: Watched<Seen>) { self.seen = seen }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            seen.update { $0.bytes += buffer.readableBytesView }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed? = event as? ChannelEvent { seen.update { $0.endOfStream = true } }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            seen.update { $0.error = true }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            seen.update { $0.closed = true }
        }
    }
}

/// The server behind the proxy: an echo (which half-closes when its client does), or one that
/// reads nothing until told and then counts what it gets.
final class TestServer: Sendable {
    enum Kind { case echo, sinkReadingWhenTold }

    let listener: any Channel
    let port: Int
    let received = Watched(0)
    /// Connections that ended with an error (a reset).
    let resets = Watched(0)
    private let accepted = Mutex<[any Channel]>([])

    private init(listener: any Channel) {
        self.listener = listener
        port = listener.localAddress?.port ?? 0
    }

    static func start(_ kind: Kind) async throws -> TestServer {
        let holder = Mutex<TestServer?>(nil)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.autoRead, value: kind == .echo)
            .childChannelInitializer { child in
                let server = holder.withLock { $0 }!
                server.accepted.withLock { $0.append(child) }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Handler(kind: kind, server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = TestServer(listener: listener)
        holder.withLock { $0 = server }
        return server
    }

    func startReading() {
        for channel in accepted.withLock({ $0 }) {
            channel.setOption(.autoRead, value: true).whenSuccess { channel.read() }
        }
    }

    func stop() async {
        try? await listener.close()
        for channel in accepted.withLock({ $0 }) { try? await channel.close() }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let kind: Kind
        let server: TestServer

        init(kind: Kind, server: TestServer) {
            self.kind = kind
            self.server = server
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            server.received.update { $0 += buffer.readableBytes }
            if kind == .echo { context.write(data, promise: nil) }
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed? = event as? ChannelEvent { context.close(mode: .output, promise: nil) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            server.resets.update { $0 += 1 }
            context.close(promise: nil)
        }
    }
}
