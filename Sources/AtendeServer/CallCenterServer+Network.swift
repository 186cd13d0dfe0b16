import AtendeCore
import AtendeSwitch
import Foundation
import Hummingbird
import Logging

/// The telephone network played by an admin against the running switch (SV-4, `atende admin sim …`):
/// calls to services and extensions, answers, hang-ups, abandons, and the offered traffic's rate.
/// An agent's or supervisor's token is refused (403); a refused act changes nothing and says why,
/// with the switch's own refusal.
extension CallCenterServer {
    func networkRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/api/v1/admin/sim") { [self] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.role == .admin else {
                return Self.problem(ServerProblem(.forbidden, "the telephone network's requests need the admin role"))
            }
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024)
            guard let act = try? JSONDecoder().decode(NetworkAct.self, from: Data(buffer: body)) else {
                return Self.problem(ServerProblem(.badRequest, "a JSON network act is required"))
            }
            do throws(ServerProblem) {
                let receipt = try await perform(act)
                logger.info("network act", metadata: ["by": "\(principal.agent.nickname)", "act": "\(act)"])
                return Self.json(receipt)
            } catch {
                return Self.problem(error)
            }
        }
    }

    func perform(_ act: NetworkAct) async throws(ServerProblem) -> NetworkActReceipt {
        func send(_ r: SwitchRequest) async throws(ServerProblem) -> UInt64 {
            do throws(SwitchRefusal) {
                let through = try await service.send(r).through
                await writer.durable(through: through)
                return through
            } catch {
                throw ServerProblem(.refused, Self.refusalText(error), refusal: error)
            }
        }
        switch act {
        case .incoming(let phone, let name):
            return NetworkActReceipt(through: try await send(.incoming(phone: phone, service: name)))
        case .ring(let phone, let ext):
            return NetworkActReceipt(through: try await send(.directIncoming(phone: phone, extension: ext)), extension: ext)
        case .answer(let ext):
            return NetworkActReceipt(through: try await send(.remoteAnswer(extension: ext)), extension: ext)
        case .hangup(let target):
            var ext = target
            if let id = UUID(uuidString: target) {
                let calls = await service.snapshot(for: .everything).calls
                guard let call = calls.first(where: { $0.id == id }), let agent = call.agent else {
                    throw ServerProblem(.notFound, "no call \(target)", refusal: .unknownCall(id))
                }
                ext = agent
            }
            return NetworkActReceipt(through: try await send(.remoteHangup(extension: ext)), extension: ext)
        case .abandon(let queue):
            let names = self.registry.current.registry
            var group: String?
            if let queue {
                guard let name = names.service(queue)?.group ?? names.group(queue)?.name else {
                    throw ServerProblem(.notFound, "no service or group \"\(queue.prefix(64))\"", refusal: .unknownService(queue))
                }
                group = name
            }
            let queued = await service.snapshot(for: .everything).calls
                .filter { $0.phase == .queued && (group == nil || $0.group?.caseInsensitiveCompare(group ?? "") == .orderedSame) }
                .min { ($0.queuedAt ?? .distantPast, $0.ordinal) < ($1.queuedAt ?? .distantPast, $1.ordinal) }
            guard let queued else {
                throw ServerProblem(.refused, "no caller is waiting" + (group.map { " in \($0)" } ?? ""), refusal: .noQueuedCall)
            }
            return NetworkActReceipt(through: try await send(.abandon(call: queued.id)), queue: queued.group)
        case .traffic(let rate):
            guard rate.isFinite, rate >= 0, rate <= NetworkAct.maximumTraffic else {
                throw ServerProblem(.badRequest, "the rate must be 0 to \(Int(NetworkAct.maximumTraffic)) calls a minute")
            }
            await simulator.startTraffic(callsPerMinute: rate, services: registry.current.registry.services)
            return NetworkActReceipt(through: await service.snapshot(for: .everything).through)
        }
    }
}
