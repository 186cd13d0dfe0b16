import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One side of a proxied connection: what its channel reads goes to the partner's channel
/// (through the proxy's fault), what the partner reads is written on its channel.
///
/// A side reads only while its partner can take more (its socket takes writes and less than
/// ``delayedLimit`` bytes wait for a delay), so neither side buffers without bound. Everything
/// runs on the one event loop both channels share.
final class SpliceHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What a side is asked to do on its channel, in the order its partner read it.
    enum Outgoing {
        case bytes(ByteBuffer)
        /// The partner's peer half-closed: close the output once the bytes before are written.
        case end
        /// The partner's channel closed: close once the bytes before are written.
        case close
        /// The partner's peer reset its connection: reset this one.
        case reset
    }

    /// The most bytes that may wait for a delay on one side before its partner stops reading.
    static let delayedLimit = 1 << 20

    let id: Int
    /// Which way what this side reads travels.
    let flow: FaultProxy.Flow
    let core: ProxyCore
    let finished: EventLoopPromise<Void>
    /// The other side; nil once both are closed.
    var partner: SpliceHandler?

    private var context: ChannelHandlerContext?
    private var active = false
    private var closed = false
    private var resetting = false
    /// A channel closed before it is registered does not send its peer a reset: it is reset
    /// once registered.
    private var registered = false
    /// Both sides closed and the pair's end reported.
    private var over = false
    private var pendingRead = false
    private var sawError = false
    private var queue = CircularBuffer<(due: NIODeadline, item: Outgoing)>()
    private var queuedBytes = 0
    private var lastDue = NIODeadline.uptimeNanoseconds(0)
    private var timer: Scheduled<Void>?
    private var lastWrite: EventLoopFuture<Void>?
    private var unflushed = false

    private init(id: Int, flow: FaultProxy.Flow, core: ProxyCore, finished: EventLoopPromise<Void>) {
        self.id = id
        self.flow = flow
        self.core = core
        self.finished = finished
    }

    /// The client's side of a new connection, its partner the server's side; and the future of
    /// both being closed.
    static func pair(id: Int, core: ProxyCore, loop: any EventLoop) -> (SpliceHandler, EventLoopFuture<Void>) {
        let finished = loop.makePromise(of: Void.self)
        let near = SpliceHandler(id: id, flow: .toServer, core: core, finished: finished)
        let far = SpliceHandler(id: id, flow: .toClient, core: core, finished: finished)
        near.partner = far
        far.partner = near
        return (near, finished.futureResult)
    }

    /// Resets `channel` (RST: SO_LINGER 0, then close), on its event loop.
    static func reset(_ channel: any Channel) {
        if let options = channel as? any SocketOptionProvider {
            _ = options.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        }
        channel.close(promise: nil)
    }

    // MARK: Both sides at once

    /// Resets both sides; false if they were already closed or being reset.
    func resetPair() -> Bool {
        guard !resetting, !(closed && (partner?.closed ?? true)) else { return false }
        resetting = true
        partner?.resetting = true
        resetChannel()
        partner?.resetChannel()
        return true
    }

    /// The server could not be reached: the client's side is reset.
    func upstreamFailed() {
        guard !closed else { return }
        closed = true
        if let partner, !partner.resetting {
            partner.resetting = true
            partner.resetChannel()
            core.countReset()
        }
        finishIfBothClosed()
    }

    private func resetChannel() {
        guard let context, !closed, registered else { return }
        SpliceHandler.reset(context.channel)
    }

    private func finishIfBothClosed() {
        guard closed, !over, partner?.closed ?? true else { return }
        over = true
        partner?.over = true
        partner?.partner = nil
        partner = nil
        core.finished(id)
        finished.succeed(())
    }

    // MARK: Reading this side

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // A channel closed before it was ever active has no `channelInactive`: its close is
        // known from its close future.
        context.channel.closeFuture.assumeIsolated().whenComplete { [self] _ in
            closed = true
            finishIfBothClosed()
        }
        if context.channel.isActive { becameActive(context) }
    }

    func channelRegistered(context: ChannelHandlerContext) {
        registered = true
        context.fireChannelRegistered()
        if resetting { SpliceHandler.reset(context.channel) }
    }

    func channelActive(context: ChannelHandlerContext) {
        becameActive(context)
        context.fireChannelActive()
    }

    private func becameActive(_ context: ChannelHandlerContext) {
        guard !active else { return }
        active = true
        if resetting {
            SpliceHandler.reset(context.channel)
            return
        }
        sendDue()
        partner?.resumeReading()
    }

    func read(context: ChannelHandlerContext) {
        if partner?.canTakeMore ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let delay = core.pass(buffer.readableBytes, flow, connection: id) else { return }
        partner?.send(.bytes(buffer), after: delay)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed? = event as? ChannelEvent, !resetting,
            let delay = core.pass(0, flow, connection: id)
        {
            partner?.send(.end, after: delay)
            partner?.flushIfNeeded()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A peer that vanished (reset, broken pipe): this side closes, the other is reset.
        sawError = true
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        closed = true
        timer?.cancel()
        timer = nil
        queue.removeAll()
        queuedBytes = 0
        if !resetting, let delay = core.pass(0, flow, connection: id) {
            partner?.send(sawError ? .reset : .close, after: delay)
            partner?.flushIfNeeded()
        }
        finishIfBothClosed()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Writing what the partner read

    /// Whether the partner may read more for this side.
    private var canTakeMore: Bool {
        guard active, !closed, let context else { return false }
        return context.channel.isWritable && queuedBytes < SpliceHandler.delayedLimit
    }

    private func resumeReading() {
        guard pendingRead, let context, !closed, partner?.canTakeMore ?? false else { return }
        pendingRead = false
        context.read()
    }

    /// Writes `item` on this side `delay` after now, never before what came before it.
    private func send(_ item: Outgoing, after delay: TimeAmount) {
        guard !closed else { return }
        let now = NIODeadline.now()
        let due = max(now + delay, lastDue)
        lastDue = due
        if queue.isEmpty, due <= now, active {
            perform(item)
            return
        }
        queue.append((due, item))
        if case .bytes(let buffer) = item { queuedBytes += buffer.readableBytes }
        armTimer()
    }

    private func armTimer() {
        guard active, timer == nil, let first = queue.first, let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: first.due) { [self] in
            timer = nil
            sendDue()
        }
    }

    /// Performs every queued item that is due, then waits for the next.
    private func sendDue() {
        let now = NIODeadline.now()
        while active, let first = queue.first, first.due <= now {
            queue.removeFirst()
            if case .bytes(let buffer) = first.item { queuedBytes -= buffer.readableBytes }
            perform(first.item)
        }
        flushIfNeeded()
        armTimer()
        partner?.resumeReading()
    }

    private func perform(_ item: Outgoing) {
        guard let context, !closed else { return }
        switch item {
        case .bytes(let buffer):
            let written = context.eventLoop.makePromise(of: Void.self)
            context.write(wrapOutboundOut(buffer), promise: written)
            lastWrite = written.futureResult
            unflushed = true
        case .end, .close:
            flushIfNeeded()
            let mode: CloseMode = if case .end = item { .output } else { .all }
            let whenWritten = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
            whenWritten.assumeIsolated().whenComplete { [self] _ in
                self.context?.close(mode: mode, promise: nil)
            }
        case .reset:
            resetting = true
            resetChannel()
        }
    }

    private func flushIfNeeded() {
        guard unflushed else { return }
        unflushed = false
        context?.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }
}
