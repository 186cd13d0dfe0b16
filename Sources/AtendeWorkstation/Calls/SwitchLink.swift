public import AtendeCore
public import AtendeSwitch
import Foundation

/// The workstation's line to the switch: send a request, follow the events, start from a snapshot.
///
/// The same protocol for the switch in this process (standalone) and on the server (remote, next),
/// so the call engine never reads the switch's memory. For example:
/// ```swift
/// let events = await link.events(for: .workstation(extension: "2050", groups: ["receptivas"]))
/// let receipt = try await link.send(.answer(extension: "2050"))
/// ```
public protocol SwitchLink: Sendable {
    /// Carries out a request; throws the switch's refusal, and then nothing changed.
    func send(_ request: SwitchRequest) async throws(SwitchRefusal) -> SwitchReceipt
    /// The batches of events for `audience`, from now on; a remote link also says when it is
    /// lost and when it is back (with a snapshot).
    func events(for audience: SwitchAudience) async -> AsyncStream<SwitchFeed>
    /// The state `audience` starts from, current at its sequence number.
    func snapshot(for audience: SwitchAudience) async -> SwitchSnapshot
}

/// The standalone mode: the switch service runs in this process.
///
/// With a simulator, the other registered agents are simulated colleagues: a login first seats
/// them (paused) and hands this extension to the agent.
public struct InProcessSwitchLink: SwitchLink {
    public let service: SwitchService
    public let simulator: SwitchSimulator?

    public init(_ service: SwitchService, simulator: SwitchSimulator? = nil) {
        self.service = service
        self.simulator = simulator
    }

    public func send(_ request: SwitchRequest) async throws(SwitchRefusal) -> SwitchReceipt {
        if case .login(let ext, _, let agent) = request, let simulator {
            let seat = service.registry.pauseReasons.first { $0.kind == .eventual }?.name ?? "Login"
            await simulator.seatColleagues(except: ext, agent: agent, pause: seat)
        }
        return try await service.send(request)
    }

    public func events(for audience: SwitchAudience) async -> AsyncStream<SwitchFeed> {
        let batches = await service.subscribe(audience)
        let (feed, continuation) = AsyncStream.makeStream(of: SwitchFeed.self)
        let forward = Task {
            for await batch in batches { continuation.yield(.batch(batch)) }
            continuation.finish()
        }
        continuation.onTermination = { _ in forward.cancel() }
        return feed
    }

    public func snapshot(for audience: SwitchAudience) async -> SwitchSnapshot {
        await service.snapshot(for: audience)
    }
}
