import AtendeCore
import AtendeServerStore
import AtendeSwitch
import Foundation
import Hummingbird

/// The supervisor's side of the server (SV-7): the day's queue figures, and acting on an agent.
///
/// Service level as Asterisk's app_queue reports it (`ServicelevelPerf`): the calls answered
/// within the threshold (20 s) over the calls answered. ASA is the mean wait of the answered
/// calls; the abandon rate is abandoned over offered; AHT is the mean time from answer to end.
extension CallCenterServer {
    static let serviceLevelThreshold: TimeInterval = 20

    func supervisionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/api/v1/floor/kpis") { [auth, records, configuration] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.isSupervisor else { return Self.problem(ServerProblem(.forbidden, "the floor is for supervisors")) }
            let dayStart = Calendar.current.startOfDay(for: configuration.clock.now())
            do {
                return Self.json(try records.queueKPIs(since: dayStart, threshold: Self.serviceLevelThreshold))
            } catch {
                return Self.problem(ServerProblem(.refused, "the server could not read its records"))
            }
        }
        // A supervisor pauses an agent (a productive pause, with its reason) or logs them out.
        router.post("/api/v1/admin/agents/:extension/pause") { [auth, service, registry, writer] request, context in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.isSupervisor else { return Self.problem(ServerProblem(.forbidden, "pausing an agent is for supervisors")) }
            let ext = context.parameters.get("extension") ?? ""
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            guard let asked = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)), let text = asked["reason"] else {
                return Self.problem(ServerProblem(.badRequest, "a JSON body {\"reason\"} is required"))
            }
            guard let reason = try? registry.current.registry.pauseReason(text), reason.kind == .productive else {
                return Self.problem(ServerProblem(.badRequest, "\"\(text.prefix(64))\" is not a productive pause reason"))
            }
            do throws(SwitchRefusal) {
                let receipt = try await service.send(.pause(extension: ext, reason: reason.name))
                await writer.durable(through: receipt.through)
                return Self.json(receipt)
            } catch {
                return Self.problem(ServerProblem(.refused, Self.refusalText(error)))
            }
        }
        router.post("/api/v1/admin/agents/:extension/logout") { [auth, service, floor, writer] request, context in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            guard principal.isSupervisor else { return Self.problem(ServerProblem(.forbidden, "logging an agent out is for supervisors")) }
            let ext = context.parameters.get("extension") ?? ""
            guard let line = await service.line(ext) else { return Self.problem(ServerProblem(.notFound, "no extension \(ext.prefix(16))")) }
            guard line.loggedIn else { return Self.problem(ServerProblem(.refused, "extension \(ext) is not logged in")) }
            await floor.forceLogout(ext)
            await writer.durable(through: await service.sequence)
            return Self.json(["status": "logged out", "extension": ext])
        }
    }

    /// A switch refusal in words, for an admin's HTTP answer.
    static func refusalText(_ refusal: SwitchRefusal) -> String {
        switch refusal {
        case .unknownExtension(let e): return "no extension \(e)"
        case .notLoggedIn(let e): return "extension \(e) is not logged in"
        case .alreadyPaused: return "the agent is already paused"
        default: return "the switch refused: \(refusal)"
        }
    }
}
