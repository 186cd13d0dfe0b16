import AtendeCore
import AtendeSwitch
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Logging
import Synchronization

/// The switch route's context: Hummingbird's, with the connection's channel, so a session can
/// close a connection whose client stopped reading.
struct SwitchSocketContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}

/// One workstation's (or monitor's) WebSocket on the server's switch.
///
/// The first message is a ``LinkWelcome`` with the snapshot to start from; then every batch with
/// something for the session's audience (its agent's team, or the whole floor for a monitor) is
/// pushed, in order, once it is on disk, through a bounded buffer (`--session-buffer`; batches
/// that waited together go out as one message): a client that falls 10,000 messages behind is
/// sent a goodbye instead of what waited, and nothing more (it reconnects and starts from a fresh
/// snapshot), instead of slowing the switch or the other sessions; one that reads nothing at all
/// (its socket takes no more) has its connection closed. A request is answered once its batches
/// are written and pushed, so the reply's receipt also says "you have everything of yours up to here".
/// Requests are authorised against the session's agent: their own seat only, and the outside
/// world's requests for admins only.
struct SwitchSession {
    let principal: Principal
    let service: SwitchService
    let floor: Floor
    let broadcaster: Broadcaster
    let writer: RecordWriter
    let metrics: ServerMetrics
    let logger: Logger
    /// What the session follows: its agent's team, every event of the floor (a supervisor's
    /// monitor), or nothing (a connection that only makes requests: the telephone network's trunk).
    let follows: Follows

    enum Follows: String {
        case team, everything, nothing
    }

    /// Messages that may wait for the socket (`--session-buffer`, 10,000 by default).
    let bufferLimit: Int
    /// Closes the connection at once, whatever waits to be written on it.
    let hangUp: @Sendable () -> Void
    /// Whether the socket takes writes now (its client reads).
    let socketWritable: @Sendable () -> Bool

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let agent = principal.agent
        let id = UUID()
        let outbox = SessionOutbox(limit: bufferLimit)
        let send: @Sendable (SessionOutbox.Item) -> Void = { [hangUp, socketWritable, logger] item in
            guard outbox.push(item) == .overflowed else { return }
            // A client that reads nothing would never get its goodbye: its connection is closed.
            logger.warning("switch session too far behind", metadata: ["agent": "\(agent.nickname)"])
            if !socketWritable() { hangUp() }
        }
        guard
            await floor.connected(
                id, agent: agent.nickname, goodbye: { reason in outbox.finish(with: .goodbye(reason)) },
                registryChanged: { send(.message(.registryChanged(version: $0))) },
                audiences: Set(CallCenterServer.audiences(of: agent)), syncChanged: { send(.message(.syncChanged)) })
        else {
            try await outbound.write(.text(Self.encode(.goodbye("server shutting down"))))
            return
        }
        var seat = await floor.seat(of: agent.nickname)?.extension ?? agent.extension
        let everything = follows == .everything && principal.isSupervisor
        var audience: SwitchAudience = everything ? .everything : .team(extension: seat, groups: agent.groups)
        await service.snapshot(for: audience) { [broadcaster, audience, follows] snapshot in
            send(.message(.welcome(LinkWelcome(agent: agent.nickname, role: agent.role, audience: audience, snapshot: snapshot))))
            guard follows != .nothing else { return }
            broadcaster.add(id, audience: audience, after: snapshot.through) { frame in send(.batch(frame)) }
        }

        let writing = Task {
            writing: while true {
                let items = await outbox.take()
                guard !items.isEmpty else { break }
                for (text, through, last) in Self.messages(items) {
                    do {
                        try await outbound.write(.text(text))
                    } catch {
                        break writing
                    }
                    if let through { metrics.delivered(through: through) }
                    if last {
                        try? await outbound.close(.normalClosure, reason: nil)
                        break writing
                    }
                }
            }
        }
        do {
            for try await frame in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = frame,
                    let message = try? JSONDecoder().decode(ClientLinkMessage.self, from: Data(text.utf8))
                else {
                    outbox.finish(with: .goodbye("not a message of this protocol"))
                    break
                }
                switch message {
                case .ping(let n):
                    send(.message(.pong(n)))
                case .snapshot(let n):
                    send(.message(.reply(id: n, .snapshot(await service.snapshot(for: audience)))))
                case .request(let n, let request):
                    let reply = await carryOut(request, seat: &seat)
                    if !everything, case .team(let followed, _) = audience, followed != seat {
                        audience = .team(extension: seat, groups: agent.groups)
                        broadcaster.move(id, to: audience)
                    }
                    // Answered once its batches are on disk and pushed; the next request need not wait for it.
                    if case .receipt(let receipt) = reply {
                        writer.whenDurable(through: receipt.through) { send(.message(.reply(id: n, reply))) }
                    } else {
                        send(.message(.reply(id: n, reply)))
                    }
                }
            }
        } catch {
            logger.debug("switch session ended", metadata: ["agent": "\(agent.nickname)", "reason": "\(error)"])
        }
        // What is queued (a goodbye, say) is written before the connection closes.
        broadcaster.remove(id)
        outbox.finish()
        await writing.value
        await floor.disconnected(id)
    }

    /// Carries out `request` if this session may make it.
    private func carryOut(_ request: SwitchRequest, seat: inout String) async -> LinkReply {
        let authorised: SwitchRequest
        switch Self.authorise(request, principal: principal, seat: seat, registry: service.registry) {
        case .failure(let refusal): return .refusal(refusal)
        case .success(let r): authorised = r
        }
        // A workstation that comes back (restarted, reconnected) finds its agent still seated.
        if case .login(let ext, _, _) = authorised, let line = await service.line(ext), line.loggedIn,
            line.nickname.caseInsensitiveCompare(principal.agent.nickname) == .orderedSame
        {
            seat = ext
            return .receipt(SwitchReceipt(through: await service.sequence))
        }
        do {
            let receipt = try await service.send(authorised)
            if case .login(let ext, _, _) = authorised { seat = ext }
            return .receipt(receipt)
        } catch {
            return .refusal(error)
        }
    }

    /// What a session may ask of the switch: everything at its own seat (a login seats its own
    /// agent, wherever) that the server's registry lets its agent do — the same rules the
    /// workstation applies, for a client that would not; the telephone network's requests only
    /// with the admin role.
    static func authorise(
        _ request: SwitchRequest, principal: Principal, seat: String, registry: Registry
    ) -> Result<SwitchRequest, SwitchRefusal> {
        let me = principal.agent.nickname
        let agent = principal.agent
        switch request {
        case .barge where agent.role != .admin:
            return .failure(.forbidden("barging in needs the admin role"))
        case .capture where !agent.may(.capture):
            return .failure(.forbidden("capturing a call needs the capture permission"))
        case .conference where !agent.may(.conference):
            return .failure(.forbidden("a conference needs the conference permission"))
        case .pause(_, let reason) where (try? registry.pauseReason(reason))?.kind == .productive && !agent.may(.productivePause):
            return .failure(.forbidden("a productive pause needs the productive-pause permission"))
        default:
            break
        }
        switch request {
        case .login(let ext, let paused, _):
            return .success(.login(extension: ext, paused: paused, agent: me))
        case .incoming, .directIncoming, .remoteAnswer, .remoteHangup, .abandonOldest, .abandon:
            return principal.role == .admin ? .success(request) : .failure(.forbidden("the telephone network's requests need the admin role"))
        case .logout(let e), .pause(let e, _), .unpause(let e), .wrapUp(let e, _), .help(let e, _), .answer(let e),
            .hangup(let e), .dial(let e, _), .call(let e, _), .hold(let e), .consult(let e, _), .transfer(let e, _),
            .completeTransfer(let e), .returnToHeld(let e), .conference(let e), .capture(let e), .barge(let e, _):
            return e == seat ? .success(request) : .failure(.forbidden("extension \(e) is not this session's seat (\(seat))"))
        }
    }

    /// How much of the events' text one message carries when batches are written together.
    static let mergedMessageLimit = 512 * 1024

    /// The texts to write for what waited: consecutive batches as one (up to
    /// ``mergedMessageLimit`` of events each), with the number they are complete through; `last`
    /// after a goodbye.
    static func messages(_ items: [SessionOutbox.Item]) -> [(text: String, through: UInt64?, last: Bool)] {
        var out: [(text: String, through: UInt64?, last: Bool)] = []
        var batches: [BatchFrame] = []
        var size = 0
        func flush() {
            guard let last = batches.last else { return }
            out.append((BatchFrame.text(of: batches[...]), last.through, false))
            batches.removeAll()
            size = 0
        }
        for item in items {
            switch item {
            case .batch(let frame):
                let bytes = frame.events.reduce(0) { $0 + $1.utf8.count }
                if size + bytes > Self.mergedMessageLimit { flush() }
                batches.append(frame)
                size += bytes
            case .message(let message):
                flush()
                if case .goodbye = message {
                    out.append((encode(message), nil, true))
                    return out
                }
                out.append((encode(message), nil, false))
            }
        }
        flush()
        return out
    }

    static func encode(_ message: ServerLinkMessage) -> String {
        String(decoding: (try? JSONEncoder().encode(message)) ?? Data(), as: UTF8.self)
    }
}


