public import AtendeCore
public import Foundation

/// The outside world of a switch (SV-4): customers who call, answer and hang up, colleagues
/// played at their extensions, and random inbound traffic — all as requests to the service,
/// the way a telephone network and other agents would drive it.
///
/// ```swift
/// let simulator = SwitchSimulator(service: service)
/// try await simulator.incoming(phone: "+554832819500", service: "Suporte")
/// try await simulator.colleague("2071", .free)
/// ```
public actor SwitchSimulator {
    public nonisolated let service: SwitchService
    /// Simulated inbound traffic (`sim traffic`), and the time it was last drawn up to.
    private var traffic: (generator: TrafficGenerator, until: Date)?
    private let wakeup = Wakeup()

    public init(service: SwitchService) {
        self.service = service
    }

    /// Standalone, the other registered agents are simulated colleagues: seated and paused with
    /// `pause` until `sim agent NAME free`, so queue calls come to the agent at the keyboard
    /// first. The extension `ext` is left to the agent who logs in there.
    public func seatColleagues(except ext: String, agent nickname: String?, pause: String) async {
        let registered = service.registry.agents.first { $0.extension == ext }?.nickname
        let newcomer = nickname ?? registered
        for line in await service.lines where line.loggedIn {
            if line.extension == ext || line.nickname.caseInsensitiveCompare(newcomer ?? "") == .orderedSame {
                _ = try? await service.send(.logout(extension: line.extension))
            }
        }
        for agent in service.registry.agents where agent.extension != ext && agent.nickname != nickname {
            if await service.line(agent.extension)?.loggedIn == false {
                _ = try? await service.send(.login(extension: agent.extension, paused: pause))
            }
        }
    }

    /// A customer calls a service (name or number).
    @discardableResult
    public func incoming(phone: String, service name: String) async throws(SwitchRefusal) -> SwitchReceipt {
        try await service.send(.incoming(phone: phone, service: name))
    }

    /// A customer calls an extension directly.
    @discardableResult
    public func ring(phone: String, extension ext: String) async throws(SwitchRefusal) -> SwitchReceipt {
        try await service.send(.directIncoming(phone: phone, extension: ext))
    }

    /// The party `ext` is calling answers.
    @discardableResult
    public func answer(at ext: String) async throws(SwitchRefusal) -> SwitchReceipt {
        try await service.send(.remoteAnswer(extension: ext))
    }

    /// The other party of `ext`'s call hangs up.
    @discardableResult
    public func hangup(at ext: String) async throws(SwitchRefusal) -> SwitchReceipt {
        try await service.send(.remoteHangup(extension: ext))
    }

    /// The caller waiting longest gives up.
    @discardableResult
    public func abandon() async throws(SwitchRefusal) -> SwitchReceipt {
        try await service.send(.abandonOldest)
    }

    /// A colleague at `ext` logs in or out, pauses (with `pause`), frees up, answers, hangs up or calls.
    @discardableResult
    public func colleague(_ ext: String, _ action: ColleagueAction, pause: String) async throws(SwitchRefusal)
        -> SwitchReceipt
    {
        switch action {
        case .login: return try await service.send(.login(extension: ext, paused: nil))
        case .logout: return try await service.send(.logout(extension: ext))
        case .pause: return try await service.send(.pause(extension: ext, reason: pause))
        case .free:
            if await service.line(ext)?.pause != nil { return try await service.send(.unpause(extension: ext)) }
            return try await service.send(.hangup(extension: ext))
        case .answer: return try await service.send(.answer(extension: ext))
        case .hangup: return try await service.send(.hangup(extension: ext))
        case .call(let target): return try await service.send(.call(extension: ext, target: target))
        }
    }

    /// Random inbound calls to `services` at `callsPerMinute` from now (0 stops them), seeded.
    public func startTraffic(callsPerMinute: Double, services: [Service], seed: UInt64 = 2050) {
        if callsPerMinute > 0 {
            var generator = TrafficGenerator(seed: seed, callsPerMinute: callsPerMinute, services: services)
            let now = service.clock.now()
            generator.pending = now.addingTimeInterval(generator.gap())
            traffic = (generator, now)
        } else {
            traffic = nil
        }
        wakeup.signal()
    }

    /// The simulated calls a minute (0 when traffic is off).
    public var trafficRate: Double { traffic?.generator.callsPerMinute ?? 0 }

    /// When the next simulated call arrives, if traffic runs.
    public var nextArrival: Date? { traffic?.generator.pending }

    /// Places the simulated calls due by the clock's time; returns how far the switch's sequence got.
    @discardableResult
    public func trafficDue() async -> SwitchReceipt {
        let now = service.clock.now()
        if var t = traffic, now > t.until {
            // Up to and including now: an arrival due this instant comes now.
            let arrivals = t.generator.arrivals(from: t.until, to: now.addingTimeInterval(0.001))
            t.until = now
            traffic = t
            for a in arrivals {
                _ = try? await service.send(.incoming(phone: a.phone, service: a.service))
            }
        }
        return await service.advance()
    }

    /// The traffic's timer loop on a real clock, until cancelled.
    public func run() async {
        await Alarm.run(
            clock: service.clock, wakeup: wakeup, recheck: 5, next: { await self.nextArrival },
            fire: { await self.trafficDue() })
    }
}
