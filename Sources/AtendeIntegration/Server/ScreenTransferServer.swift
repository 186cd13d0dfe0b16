public import AtendeCore
import Foundation
public import Logging
import NIOCore
import NIOPosix

/// The TCP listener of Annex I: several CRM clients at once, each with its own frame decoder.
///
/// Commands are handed to `execute` one at a time on a private queue, so a slow command never
/// holds up the event loop, and one client's garbage never touches another's stream.
/// For example:
/// ```swift
/// let server = ScreenTransferServer(host: "127.0.0.1", port: 3000, logger: logger) { command, client in [] }
/// let port = try server.start()
/// server.broadcast(.endedByAgent)
/// ```
public final class ScreenTransferServer: @unchecked Sendable {
    /// Runs a command from a client; returns the frames to answer that client with.
    public typealias Execute = @Sendable (CRMCommand, _ client: String) -> [CRMEvent]

    let host: String
    let requestedPort: Int
    let logger: Logger
    let execute: Execute
    let limits: FrameLimits
    private let group: MultiThreadedEventLoopGroup
    private let commands = DispatchQueue(label: "atende.screen-transfer.commands")
    private let lock = NSLock()
    private var clients: [ObjectIdentifier: (channel: any Channel, label: String)] = [:]
    private var serverChannel: (any Channel)?
    /// The frames that tell a client connecting now of the call in progress (set on the event loop).
    private var callInProgress: [CRMEvent] = []

    public init(host: String, port: Int, limits: FrameLimits = .init(), logger: Logger, execute: @escaping Execute) {
        self.host = host
        self.requestedPort = port
        self.limits = limits
        self.logger = logger
        self.execute = execute
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds and listens; returns the port (useful when asked for port 0).
    @discardableResult
    public func start() throws(AtendeError) -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // One read of at most 8 kB per connection per turn of the loop (a frame is at most
            // 258 bytes): a peer that floods waits its turn, and the others' events go out between.
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 8192))
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CRMConnectionHandler(server: self, limits: self.limits))
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: host, port: requestedPort).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw AtendeError.transferCannotListen(address: "\(host):\(requestedPort)", problem: Self.problem(error))
        }
        lock.withLock { serverChannel = channel }
        return channel.localAddress?.port ?? requestedPort
    }

    /// Why binding failed, in the catalogue's words (NIO's error text is not for the user).
    static func problem(_ error: any Error) -> SystemProblem {
        switch error {
        case let e as IOError: return SystemProblem(errno: e.errnoCode)
        case is SocketAddressError: return .unknownHost
        default: return SystemProblem(error)
        }
    }

    /// Closes the listener and every client.
    public func stop() {
        let (server, open) = lock.withLock { () -> ((any Channel)?, [any Channel]) in
            defer {
                serverChannel = nil
                clients = [:]
            }
            return (serverChannel, clients.values.map(\.channel))
        }
        for c in open { _ = try? c.close().wait() }
        _ = try? server?.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// The connected clients, as `address:port`.
    public var clientLabels: [String] {
        lock.withLock { clients.values.map(\.label).sorted() }
    }

    /// The port being listened on.
    public var port: Int? {
        lock.withLock { serverChannel?.localAddress?.port }
    }

    /// Sends an event to every connected client; a client that does not read is skipped, not waited for.
    ///
    /// Events and new connections are taken in one at a time on the event loop, and a client is
    /// sent the call in progress when it is taken in: one that connects as a call rings gets the
    /// ring, whether the system handed its connection over before the event or after.
    public func broadcast(_ event: CRMEvent) {
        guard let loop = lock.withLock({ serverChannel?.eventLoop }) else { return }
        loop.execute { [self] in
            let targets = lock.withLock { () -> [(channel: any Channel, label: String)] in
                if let state = event.callInProgress { callInProgress = state }
                return clients.values.map { $0 }
            }
            for target in targets {
                send([event], to: target.channel, label: target.label)
            }
        }
    }

    func send(_ events: [CRMEvent], to channel: any Channel, label: String) {
        guard channel.isActive else { return }
        guard channel.isWritable else {
            logger.warning("screen transfer client not reading: event dropped", metadata: ["crm.peer": "\(label)"])
            return
        }
        var buffer = channel.allocator.buffer(capacity: 64)
        for e in events { buffer.writeBytes(e.bytes) }
        channel.writeAndFlush(buffer, promise: nil)
    }

    func connected(_ channel: any Channel) -> String {
        let label = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let catchUp = lock.withLock { () -> [CRMEvent] in
            clients[ObjectIdentifier(channel)] = (channel, label)
            return callInProgress
        }
        logger.info("screen transfer client connected", metadata: ["crm.peer": "\(label)"])
        if !catchUp.isEmpty { send(catchUp, to: channel, label: label) }
        return label
    }

    func disconnected(_ channel: any Channel, label: String) {
        lock.withLock { _ = clients.removeValue(forKey: ObjectIdentifier(channel)) }
        logger.info("screen transfer client left", metadata: ["crm.peer": "\(label)"])
    }

    func received(_ command: CRMCommand, from channel: any Channel, label: String) {
        commands.async { [self] in
            let replies = execute(command, label)
            if !replies.isEmpty { send(replies, to: channel, label: label) }
        }
    }

    func rejected(_ reason: String, from label: String) {
        logger.warning("screen transfer frame rejected", metadata: ["crm.peer": "\(label)", "reason": "\(reason)"])
    }

    /// The rejections of a peer held back within a second, as one line.
    func rejected(_ summary: RejectionLog.Summary, from label: String) {
        logger.warning(
            "screen transfer frames rejected", metadata: ["crm.peer": "\(label)", "count": "\(summary.total)", "reasons": "\(summary.kinds)"])
    }
}

extension FrameRejection {
    /// The rejection's name, for counting.
    var kind: String {
        switch self {
        case .bytesOutsideFrame: return "bytesOutsideFrame"
        case .fieldTooLong: return "fieldTooLong"
        case .frameTooLong: return "frameTooLong"
        case .nonASCII: return "nonASCII"
        case .emptyFrame: return "emptyFrame"
        case .unterminatedFrame: return "unterminatedFrame"
        }
    }
}

extension CRMCommandError {
    /// The error's name, for counting.
    var kind: String {
        switch self {
        case .unknownType: return "unknownType"
        case .wrongFieldCount: return "wrongFieldCount"
        case .invalidField: return "invalidField"
        }
    }
}

extension CRMEvent {
    /// What a client connecting after this event is sent of the call: the event itself while a
    /// call rings or goes on, nothing once it ended; nil for a reply that says nothing of a call.
    var callInProgress: [CRMEvent]? {
        switch self {
        case .incomingRinging, .dialStarted, .incomingAnswered, .dialledAnswered: return [self]
        case .endedByAgent, .endedByCustomer: return []
        case .dateTime: return nil
        }
    }
}

/// One CRM connection: bytes in, frames decoded, commands parsed and handed to the server.
final class CRMConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let server: ScreenTransferServer
    private var decoder: FrameDecoder
    private var label = "?"
    /// Rejections are logged at most once a second per peer (a flood of STX is a line a second).
    private var rejections = RejectionLog()

    init(server: ScreenTransferServer, limits: FrameLimits) {
        self.server = server
        decoder = FrameDecoder(limits: limits)
    }

    func channelActive(context: ChannelHandlerContext) {
        label = server.connected(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        handle(decoder.finish(), context: context)
        if let summary = rejections.finish() { server.rejected(summary, from: label) }
        server.disconnected(context.channel, label: label)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        handle(decoder.feed(bytes), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reject("connectionError", "connection error: \(error)", context: context)
        context.close(promise: nil)
    }

    private func handle(_ items: [DecodedItem], context: ChannelHandlerContext) {
        for item in items {
            switch item {
            case .frame(let fields):
                do {
                    server.received(try CRMCommand.parse(fields), from: context.channel, label: label)
                } catch {
                    reject(error.kind, "\(error)", context: context)
                }
            case .rejected(let rejection):
                reject(rejection.kind, "\(rejection)", context: context)
            }
        }
    }

    /// Logs a rejection now, or counts it for the summary at the end of the second; the reason's
    /// text is made only when it is logged (a flood is a million rejections).
    private func reject(_ kind: String, _ reason: @autoclosure () -> String, context: ChannelHandlerContext) {
        switch rejections.record(kind, now: NIODeadline.now().uptimeNanoseconds) {
        case .logNow:
            server.rejected(reason(), from: label)
        case .held(let flushAt?):
            context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(flushAt)) { [self] in
                if let summary = rejections.flush(now: NIODeadline.now().uptimeNanoseconds) { server.rejected(summary, from: label) }
            }
        case .held(nil):
            break
        }
    }
}
