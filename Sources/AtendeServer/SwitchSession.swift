import AtendeCore
import AtendeSwitch
import Foundation
import HummingbirdWebSocket
import NIOWebSocket
import Logging
import Synchronization

/// One workstation's (or monitor's) WebSocket on the server's switch.
///
/// The first message is a ``LinkWelcome`` with the snapshot to start from; then every batch with
/// something for the session's audience (its agent's team, or the whole floor for a monitor) is
/// pushed, in order, once it is on disk, through a bounded buffer (`--session-buffer`): a client
/// that falls 10,000 messages behind is sent a goodbye and nothing more (it reconnects and starts
/// from a fresh snapshot), instead of slowing the switch or the other sessions. One that reads
/// nothing at all keeps its socket open until it goes, with its buffer full and no longer growing. A request is answered once its batches are written
/// and pushed, so the reply's receipt also says "you have everything of yours up to here".
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

    /// What waits to be written on the socket: a message, or a batch's text encoded by the broadcaster.
    enum Outgoing: Sendable {
        case message(ServerLinkMessage)
        case batch(String, through: UInt64)
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let agent = principal.agent
        let id = UUID()
        let (outbox, out) = AsyncStream.makeStream(of: Outgoing.self, bufferingPolicy: .unbounded)
        let pending = PendingCount(limit: bufferLimit)
        let send: @Sendable (Outgoing) -> Void = { item in
            guard pending.enter() else {
                out.yield(.message(.goodbye("too far behind")))
                out.finish()
                return
            }
            out.yield(item)
        }
        guard
            await floor.connected(
                id, agent: agent.nickname, goodbye: { reason in send(.message(.goodbye(reason))); out.finish() },
                registryChanged: { send(.message(.registryChanged(version: $0))) })
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
            broadcaster.add(id, audience: audience, after: snapshot.through) { text, through in send(.batch(text, through: through)) }
        }

        let writing = Task {
            for await item in outbox {
                pending.leave()
                let text: String
                switch item {
                case .message(let message): text = Self.encode(message)
                case .batch(let batch, _): text = batch
                }
                do {
                    try await outbound.write(.text(text))
                } catch {
                    break
                }
                if case .batch(_, let through) = item { metrics.delivered(through: through) }
                if case .message(.goodbye) = item {
                    try? await outbound.close(.normalClosure, reason: nil)
                    break
                }
            }
        }
        do {
            for try await frame in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = frame,
                    let message = try? JSONDecoder().decode(ClientLinkMessage.self, from: Data(text.utf8))
                else {
                    send(.message(.goodbye("not a message of this protocol")))
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
        out.finish()
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

    static func encode(_ message: ServerLinkMessage) -> String {
        String(decoding: (try? JSONEncoder().encode(message)) ?? Data(), as: UTF8.self)
    }
}


/// Messages queued for a session's socket and not yet written, bounded.
final class PendingCount: Sendable {
    private let count: Mutex<Int> = Mutex(0)
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func enter() -> Bool { count.withLock { c in guard c < limit else { return false }; c += 1; return true } }
    func leave() { count.withLock { $0 -= 1 } }
}
