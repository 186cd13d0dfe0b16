import AtendeCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// One HTTP/1.1 request and its answer on a connection of its own, over TLS when the server's
/// address says `https` — what ``ServerClient`` sends. Small on purpose: JSON bodies, no
/// redirects, no keep-alive; a custom CA is trusted as ``ServerAddress/clientTLS()`` says.
enum HTTPExchange {
    struct Answer {
        var status: Int
        var body: Data
    }

    /// Why no answer came.
    enum Failure: Error {
        case unreachable
        /// No whole answer within the time allowed.
        case timedOut
        /// The server's certificate is not signed by a trusted CA, or is not for this address.
        case untrusted
        /// A streamed answer stopped before its end (the server went away, or went silent).
        case interrupted
        /// One side speaks TLS and the other does not.
        case tlsMismatch
    }

    static func send(
        _ method: HTTPMethod, _ path: String, to server: ServerAddress, headers: [(String, String)], body: Data?,
        timeout: TimeInterval
    ) async throws(Failure) -> Answer {
        let context: NIOSSLContext?
        do {
            context = try server.clientTLS().map { try NIOSSLContext(configuration: $0) }
        } catch {
            throw .untrusted
        }
        do {
            return try await withThrowingTaskGroup(of: Answer.self) { group in
                group.addTask {
                    var answer = Answer(status: 0, body: Data())
                    try await exchange(
                        method, path, server, headers, body, context, timeout: timeout,
                        head: { status, _ in answer.status = status },
                        body: { chunk in
                            answer.body.append(contentsOf: chunk.readableBytesView)
                            // No answer of the server is this large (the registry, a page of the audit):
                            // whatever sends it is not the server, and its flood is not kept.
                            guard answer.body.count <= Self.answerLimit else { throw Failure.unreachable }
                        })
                    return answer
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    throw Failure.timedOut
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw Failure.unreachable }
                return first
            }
        } catch {
            throw classify(error, tls: context != nil)
        }
    }

    /// One request whose answer's body is handed to `body` a part at a time as it comes (an
    /// export), with constant memory: `head` first gets the status and headers. Connecting is
    /// bounded by `timeout`, and each wait for more of the answer by `idle`; after the head, a
    /// connection that closes before the answer's end is ``Failure/interrupted``; `end` gets the
    /// trailers of a whole answer. What `head`, `body` or `end` throw is thrown as it is.
    static func stream(
        _ method: HTTPMethod, _ path: String, to server: ServerAddress, headers: [(String, String)], timeout: TimeInterval,
        idle: TimeInterval, head: (Int, HTTPHeaders) throws -> Void, body: (ByteBuffer) throws -> Void,
        end: (HTTPHeaders?) throws -> Void
    ) async throws {
        let context: NIOSSLContext?
        do {
            context = try server.clientTLS().map { try NIOSSLContext(configuration: $0) }
        } catch {
            throw Failure.untrusted
        }
        var answered = false
        do {
            try await exchange(
                method, path, server, headers, nil, context, timeout: timeout, idle: idle,
                head: { status, headers in
                    answered = true
                    do { try head(status, headers) } catch { throw Refused(error: error) }
                },
                body: { chunk in
                    do { try body(chunk) } catch { throw Refused(error: error) }
                },
                end: { trailers in
                    do { try end(trailers) } catch { throw Refused(error: error) }
                })
        } catch let refused as Refused {
            throw refused.error
        } catch {
            if answered, !(error is Failure) { throw Failure.interrupted }
            throw classify(error, tls: context != nil)
        }
    }

    /// What the receiver of an answer threw: not the connection's failure.
    private struct Refused: Error {
        let error: any Error
    }

    /// The exchange itself: the request, then the answer's head and body parts to `head` and `body`.
    private static func exchange(
        _ method: HTTPMethod, _ path: String, _ server: ServerAddress, _ headers: [(String, String)], _ body: Data?,
        _ context: NIOSSLContext?, timeout: TimeInterval, idle: TimeInterval? = nil,
        head onHead: (Int, HTTPHeaders) throws -> Void, body onBody: (ByteBuffer) throws -> Void,
        end onEnd: (HTTPHeaders?) throws -> Void = { _ in }
    ) async throws {
        // An IP address is not sent as the TLS server name: the certificate is then checked
        // against the address connected to (its IP subject alternative names).
        let name = ServerAddress.isIPAddress(server.host) ? nil : server.host
        let (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .connect(host: server.host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    var handshake: EventLoopFuture<Void>?
                    if let idle {
                        // Nothing read for `idle`: the connection is closed, and the answer is incomplete.
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .milliseconds(Int64(idle * 1000))))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    }
                    if let context {
                        let watch = HandshakeWatch(channel.eventLoop.makePromise(), within: .seconds(Int64(min(timeout, 8))))
                        handshake = watch.done.futureResult
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: name))
                        try channel.pipeline.syncOperations.addHandler(watch)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let wrapped = try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    return (wrapped, handshake)
                }
            }
        if let handshake {
            do {
                try await handshake.get()
            } catch {
                try? await channel.channel.close()
                throw error
            }
        }
        try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "\(server.host):\(server.port)")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Length", value: "\(body?.count ?? 0)")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            // In one write: a server that answers on the head alone (a GET) and closes must not
            // find the rest of the request still to come.
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            for try await part in inbound {
                switch part {
                case .head(let h): try onHead(Int(h.status.code), h.headers)
                case .body(let chunk): try onBody(chunk)
                case .end(let trailers):
                    try onEnd(trailers)
                    return
                }
            }
            throw EndedEarly()
        }
    }

    /// Closes the connection when the idle state handler says nothing came for too long.
    final class CloseWhenIdle: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is IdleStateHandler.IdleStateEvent {
                context.close(promise: nil)
                return
            }
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The most an answer's body may hold.
    static let answerLimit = 64 << 20

    /// The connection closed before a whole answer came.
    struct EndedEarly: Error {}

    /// Completes `done` when the TLS handshake does, fails it when the handshake fails, the
    /// connection closes, or nothing comes `within` (a plain server waits for an HTTP request
    /// and answers a TLS greeting with silence).
    final class HandshakeWatch: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<Void>
        let within: TimeAmount
        private var finished = false
        private var timer: Scheduled<Void>?

        init(_ done: EventLoopPromise<Void>, within: TimeAmount) {
            self.done = done
            self.within = within
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let loop = context.eventLoop
            let channel = context.channel
            timer = loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: within) { [self] in
                finish(.failure(Failure.tlsMismatch))
                channel.close(promise: nil)
            }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let e = event as? TLSUserEvent, case .handshakeCompleted = e { finish(.success(())) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.fireErrorCaught(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(EndedEarly()))
            context.fireChannelInactive()
        }

        private func finish(_ result: Result<Void, any Error>) {
            guard !finished else { return }
            finished = true
            timer?.cancel()
            done.completeWith(result)
        }
    }

    private static func classify(_ error: any Error, tls: Bool) -> Failure {
        if let failure = error as? Failure { return failure }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("failedToValidateHostname") { return .untrusted }
        if tls, error is NIOSSLError || error is BoringSSLError || error is EndedEarly { return .tlsMismatch }
        // A TLS server answers a plain request with a TLS alert, or closes without a word.
        if !tls, error is HTTPParserError || error is EndedEarly { return .tlsMismatch }
        return .unreachable
    }
}
