public import AtendeCore
public import AtendeSwitch
import Foundation

/// The `sim` commands of the standalone REPL (SV-4): the simulated outside world of the switch,
/// played for the workstation at the keyboard.
///
/// The world itself is a ``SwitchSimulator`` that drives the switch service from outside; this
/// only reads what the agent typed (phones by the workstation's area code, names from the
/// registry), and waits until the workstation has followed what happened, so a script sees each
/// event before its next line. Each method returns the workstation events it caused.
/// ```swift
/// let sim = CallCenterSimulation(simulator: simulator, workstation: ws)
/// _ = try await sim.incoming(phone: "4832819500", service: "Suporte")
/// _ = try await sim.advance(seconds: 30)
/// ```
public struct CallCenterSimulation: Sendable {
    public let simulator: SwitchSimulator
    public let workstation: Workstation
    /// `sim advance` refuses more than this many seconds at once (seven days).
    public static let maximumAdvance = 7 * 86_400
    /// `sim traffic` refuses more calls a minute than this.
    public static let maximumTraffic = 120.0
    /// `sim advance` with traffic on refuses a span in which more calls than this would arrive:
    /// each is simulated, so the work is the calls, and seven days at 120 a minute is 1.2 million.
    public static let maximumArrivals = 5_000.0

    public init(simulator: SwitchSimulator, workstation: Workstation) {
        self.simulator = simulator
        self.workstation = workstation
    }

    /// A customer calls a service (name or number).
    public func incoming(phone: String, service: String) async throws -> [WorkstationEvent] {
        let phone = try await workstation.canonicalPhone(phone)
        return try await acting { try await simulator.incoming(phone: phone, service: service) }
    }

    /// A customer calls this agent's extension directly.
    public func ring(phone: String) async throws -> [WorkstationEvent] {
        let ext = try await workstation.requireSession().extension
        let phone = try await workstation.canonicalPhone(phone)
        return try await acting { try await simulator.ring(phone: phone, extension: ext) }
    }

    /// The party this agent is calling answers.
    public func answer() async throws -> [WorkstationEvent] {
        let ext = try await workstation.requireSession().extension
        return try await acting { try await simulator.answer(at: ext) }
    }

    /// The other party of this agent's call hangs up.
    public func hangup() async throws -> [WorkstationEvent] {
        let ext = try await workstation.requireSession().extension
        return try await acting { try await simulator.hangup(at: ext) }
    }

    /// The caller waiting longest gives up.
    public func abandon() async throws -> [WorkstationEvent] {
        try await acting { try await simulator.abandon() }
    }

    /// A colleague (by nickname) logs in or out, pauses, frees up, answers, hangs up or calls.
    public func colleague(_ name: String, _ action: ColleagueAction) async throws -> [WorkstationEvent] {
        let registry = workstation.registry
        guard let agent = registry.agent(name) else { throw AtendeError.unknownAgent(name) }
        var action = action
        if case .call(let target) = action {
            if let other = registry.agent(target) {
                action = .call(other.extension)
            } else if !registry.agents.contains(where: { $0.extension == target }) {
                throw AtendeError.unknownExtension(target)
            }
        }
        let ext = await simulator.service.lines.first { $0.loggedIn && $0.nickname == agent.nickname }?.extension ?? agent.extension
        let pause = try registry.pauseReason(nil).name
        return try await acting { [action] in try await simulator.colleague(ext, action, pause: pause) }
    }

    /// Random inbound calls to the agent's groups at `callsPerMinute` (0 stops them).
    public func traffic(callsPerMinute: Double) async {
        let session = await workstation.session
        let services = workstation.registry.services.filter { s in
            session?.agent.groups.contains { $0.caseInsensitiveCompare(s.group) == .orderedSame } ?? true
        }
        await simulator.startTraffic(callsPerMinute: callsPerMinute, services: services)
    }

    /// Moves a manual clock on by `seconds`, stopping at every deadline on the way — ring
    /// timeouts, simulated arrivals, wrap-up ends, reminders — so each happens at its own instant.
    public func advance(seconds: Int) async throws -> [WorkstationEvent] {
        guard let clock = workstation.clock as? ManualClock else { throw AtendeError.clockNotManual }
        guard seconds > 0 else { throw AtendeError.invalidNumber(String(seconds)) }
        let rate = await simulator.trafficRate
        let bound = rate > 0 ? min(Self.maximumAdvance, Int(Self.maximumArrivals * 60 / rate)) : Self.maximumAdvance
        guard seconds <= bound else { throw AtendeError.advanceTooLong(maximum: bound) }
        let mark = workstation.lastEvent
        let target = clock.now().addingTimeInterval(TimeInterval(seconds))
        var stalled = 0
        while true {
            let now = clock.now()
            let deadlines = [
                await simulator.service.nextDeadline, await simulator.nextArrival, await workstation.nextDeadline(),
            ].compactMap { $0 }
            let next = min(target, max(now, deadlines.min() ?? target))
            // A deadline that does not move time on is fired at most a few times in a row.
            stalled = next == now ? stalled + 1 : 0
            if stalled > 3 && next < target {
                clock.set(min(target, now.addingTimeInterval(1)))
            } else {
                clock.set(next)
            }
            let receipt = await simulator.trafficDue()
            await workstation.settle(through: receipt.through)
            await workstation.fireDue()
            if clock.now() >= target { break }
        }
        return workstation.events(since: mark)
    }

    private func acting(_ body: @Sendable () async throws -> SwitchReceipt) async throws -> [WorkstationEvent] {
        let mark = workstation.lastEvent
        let receipt: SwitchReceipt
        do {
            receipt = try await body()
        } catch {
            throw Workstation.rule(error)
        }
        await workstation.settle(through: receipt.through)
        return workstation.events(since: mark)
    }
}
