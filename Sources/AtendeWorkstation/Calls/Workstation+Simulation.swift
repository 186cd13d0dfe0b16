public import AtendeCore
import AtendeStore
public import AtendeSwitch
public import Foundation

/// What a simulated colleague can be told to do (`sim agent NAME …`).
public enum ColleagueAction: Sendable, Equatable {
    case login, logout, pause, free, answer, hangup
    case call(String)
}

extension Workstation {
    /// The outside world acts (the `sim` commands, SV-4): a customer calls, answers or hangs up.
    public func simulate(_ request: SwitchRequest) throws -> [WorkstationEvent] {
        guard let link else { throw AtendeError.noCallEngine }
        do {
            return try absorb(link.perform(request, now: now))
        } catch {
            throw Self.rule(error)
        }
    }

    /// A customer calls a service: phone canonicalised, service by name or number.
    public func simulateIncoming(phone: String, service: String) throws -> [WorkstationEvent] {
        try simulate(.incoming(phone: try canonical(phone), service: service))
    }

    /// A customer calls this agent's extension directly.
    public func simulateRing(phone: String) throws -> [WorkstationEvent] {
        let session = try requireSession()
        return try simulate(.directIncoming(phone: try canonical(phone), extension: session.agent.extension))
    }

    /// The party this agent is calling answers.
    public func simulateAnswer() throws -> [WorkstationEvent] {
        try simulate(.remoteAnswer(extension: try requireSession().agent.extension))
    }

    /// The other party of this agent's call hangs up.
    public func simulateHangup() throws -> [WorkstationEvent] {
        try simulate(.remoteHangup(extension: try requireSession().agent.extension))
    }

    /// A simulated colleague logs in or out, pauses, frees up, answers, hangs up or calls an extension.
    public func simulateColleague(_ name: String, _ action: ColleagueAction) throws -> [WorkstationEvent] {
        guard let link else { throw AtendeError.noCallEngine }
        guard let agent = registry.agent(name) else { throw AtendeError.unknownAgent(name) }
        let ext = agent.extension
        switch action {
        case .login: return try simulate(.login(extension: ext, paused: nil))
        case .logout: return try simulate(.logout(extension: ext))
        case .pause: return try simulate(.pause(extension: ext, reason: try pauseReason(nil).name))
        case .free:
            if link.line(ext)?.pause != nil { return try simulate(.unpause(extension: ext)) }
            return try simulate(.hangup(extension: ext))
        case .answer: return try simulate(.answer(extension: ext))
        case .hangup: return try simulate(.hangup(extension: ext))
        case .call(let target): return try simulate(.call(extension: ext, target: try resolveExtension(target)))
        }
    }

    /// Moves a manual clock forward (`sim advance`), then lets the switch and the workstation catch up.
    public func advanceClock(seconds: Int) throws -> [WorkstationEvent] {
        guard let manual = clock as? ManualClock else { throw AtendeError.clockNotManual }
        guard seconds > 0 else { throw AtendeError.invalidNumber(String(seconds)) }
        var events: [WorkstationEvent] = []
        // One second at a time, so timeouts and traffic happen when they are due.
        for _ in 0..<seconds {
            manual.advance(by: 1)
            events += try tick()
        }
        return events
    }

    /// Random inbound calls at `callsPerMinute` (0 stops them), seeded for repeatable runs.
    public func startTraffic(callsPerMinute: Double, seed: UInt64 = 2050) throws {
        guard callsPerMinute > 0 else {
            traffic = nil
            return
        }
        let services = registry.services.filter { s in
            session?.agent.groups.contains { $0.caseInsensitiveCompare(s.group) == .orderedSame } ?? true
        }
        traffic = (TrafficGenerator(seed: seed, callsPerMinute: callsPerMinute, services: services), now)
    }

    /// The simulated calls due since the traffic was last drawn.
    func trafficArrivals() throws -> [WorkstationEvent] {
        guard var t = traffic, now > t.until else { return [] }
        let arrivals = t.generator.arrivals(from: t.until, to: now)
        t.until = now
        traffic = t
        var events: [WorkstationEvent] = []
        for a in arrivals {
            events += try simulate(.incoming(phone: a.phone, service: a.service))
        }
        return events
    }

    private func canonical(_ phone: String) throws -> String {
        do {
            return try PhoneNumber.parse(phone, areaCode: configuration().areaCode).e164
        } catch let error as PhoneError {
            throw AtendeError.invalidPhone(phone, error)
        }
    }
}
