import AtendeCore
import AtendeSwitch
import Foundation
import Logging
import Prometheus

/// The floor as the server runs it: the shared switch, the sessions of workstations and monitors
/// on it, who is seated where, and what happens to a seat whose workstation went away.
actor Floor {
    let service: SwitchService
    let metrics: ServerMetrics
    let logger: Logger
    let grace: TimeInterval
    let clock: any AtendeClock
    private var connections: [UUID: Connection] = [:]
    /// Seats whose workstation went away, by agent: the server logs them out at the deadline.
    private var graceDeadlines: [String: (agent: String, until: Date)] = [:]
    /// Wakes the timer loop of ``run()`` when a deadline was set.
    private let wakeup = Wakeup()
    private var closing = false

    struct Connection {
        var agent: String
        var goodbye: @Sendable (String) -> Void
        var registryChanged: @Sendable (Int) -> Void
        /// What the session's agent may see of sync's changes (`agent:NICK`, `group:NAME` …).
        var audiences: Set<String> = []
        var syncChanged: @Sendable () -> Void = {}
    }

    init(service: SwitchService, metrics: ServerMetrics, logger: Logger, grace: TimeInterval, clock: any AtendeClock) {
        self.clock = clock
        self.service = service
        self.metrics = metrics
        self.logger = logger
        self.grace = grace
    }

    /// A session opens: the agent's seat is kept (a grace period ends here).
    func connected(
        _ id: UUID, agent: String, goodbye: @escaping @Sendable (String) -> Void,
        registryChanged: @escaping @Sendable (Int) -> Void = { _ in },
        audiences: Set<String> = [], syncChanged: @escaping @Sendable () -> Void = {}
    ) -> Bool {
        guard !closing else { return false }
        connections[id] = Connection(
            agent: agent, goodbye: goodbye, registryChanged: registryChanged, audiences: audiences, syncChanged: syncChanged)
        graceDeadlines[agent.lowercased()] = nil
        metrics.sessions.set(Double(connections.count))
        return true
    }

    /// A session closed. If it was the agent's last and they are still seated, a call ringing
    /// there goes to the next agent, and the seat is kept for the grace period.
    func disconnected(_ id: UUID) async {
        guard let gone = connections.removeValue(forKey: id) else { return }
        metrics.sessions.set(Double(connections.count))
        guard !closing, !connections.values.contains(where: { $0.agent.caseInsensitiveCompare(gone.agent) == .orderedSame }),
            let line = await seat(of: gone.agent)
        else { return }
        logger.notice("workstation disconnected, seat kept", metadata: ["agent": "\(gone.agent)", "extension": "\(line.extension)"])
        if line.state == .ringing { _ = try? await service.send(.hangup(extension: line.extension)) }
        graceDeadlines[gone.agent.lowercased()] = (gone.agent, clock.now().addingTimeInterval(grace))
        wakeup.signal()
    }

    /// When the next grace period ends, if any.
    var nextDeadline: Date? { graceDeadlines.values.map(\.until).min() }

    /// Logs out every agent whose grace period ended by the clock's time.
    func fireDue() async {
        let now = clock.now()
        for (key, seat) in graceDeadlines where seat.until <= now {
            graceDeadlines[key] = nil
            await graceEnded(seat.agent)
        }
    }

    /// The grace periods' timer loop on a real clock, until cancelled.
    func run() async {
        await Alarm.run(clock: clock, wakeup: wakeup, next: { await self.nextDeadline }, fire: { await self.fireDue() })
    }

    private func graceEnded(_ agent: String) async {
        guard !connections.values.contains(where: { $0.agent.caseInsensitiveCompare(agent) == .orderedSame }),
            let line = await seat(of: agent)
        else { return }
        logger.notice("grace period over, agent logged out", metadata: ["agent": "\(agent)", "extension": "\(line.extension)"])
        await forceLogout(line.extension)
    }

    /// Where `agent` is seated at the switch, if anywhere.
    func seat(of agent: String) async -> AgentLine? {
        await service.lines.first { $0.loggedIn && $0.nickname.caseInsensitiveCompare(agent) == .orderedSame }
    }

    /// Ends every call of the extension (recorded as ended by the agent) and logs it out.
    func forceLogout(_ ext: String) async {
        _ = try? await service.send(.wrapUp(extension: ext, on: true))
        for _ in 0..<8 {
            guard let line = await service.line(ext), line.loggedIn else { return }
            if line.currentCall != nil || line.heldCall != nil || line.state == .ringing {
                _ = try? await service.send(.hangup(extension: ext))
                continue
            }
            if (try? await service.send(.logout(extension: ext))) != nil { return }
        }
    }

    /// An admin disabled the agent or reset their password: their sessions are told and closed,
    /// their calls ended and recorded, their seat given up (no grace period).
    func dismiss(agent: String, reason: String) async {
        for c in connections.values where c.agent.caseInsensitiveCompare(agent) == .orderedSame { c.goodbye(reason) }
        graceDeadlines[agent.lowercased()] = nil
        if let line = await seat(of: agent) { await forceLogout(line.extension) }
        graceDeadlines[agent.lowercased()] = nil
    }

    /// Sync applied changes these audiences see: each session that sees one of them is told.
    func syncChanged(audiences: Set<String>) {
        for c in connections.values where !c.audiences.isDisjoint(with: audiences) { c.syncChanged() }
    }

    /// An admin changed the registry: every session is told the version now in force.
    func registryChanged(version: Int) {
        for c in connections.values { c.registryChanged(version) }
    }

    /// Shutting down (SIGTERM): every session is told, every call in progress is ended and
    /// recorded, every agent logged out.
    func close(reason: String) async {
        closing = true
        graceDeadlines = [:]
        for c in connections.values { c.goodbye(reason) }
        for line in await service.lines where line.loggedIn {
            await forceLogout(line.extension)
        }
    }
}
