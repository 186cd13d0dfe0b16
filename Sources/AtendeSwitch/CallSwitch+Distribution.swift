public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Lets time pass: queue calls that rang for the ring timeout go back to the head of their queue.
    ///
    /// Each time-out is handled at its own instant, so a long step re-offers a call as often as
    /// the agents would have let it ring out. Direct and internal calls keep ringing.
    /// ```swift
    /// let events = pabx.advance(to: start.addingTimeInterval(30))
    /// // .ringNoAnswer(call, extension: "2050"), .agentChanged(2050 free), .queueChanged, .ringing(at 2071), …
    /// ```
    public func advance(to now: Date) -> [SwitchEvent] {
        let start = model.now
        let timeout = max(model.configuration.ringTimeout, 1)
        var fired = false
        while let deadline = model.nextRingDeadline(timeout: timeout), deadline <= now {
            model.now = max(deadline, start)
            model.ringOut(dueBy: deadline, timeout: timeout)
            model.distribute()
            fired = true
        }
        model.now = max(now, start)
        // Nothing timed out: the floor is as the last command left it, distributed and published.
        guard fired else { return [] }
        model.distribute()
        model.publishAll()
        return commit()
    }
}

extension SwitchModel {
    /// Whether two group names are the same group.
    static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return Registry.sameName(a, b)
    }

    /// The queued calls, oldest first (of one group, or of all).
    func queuedCalls(in group: String? = nil) -> [SwitchCall] {
        calls.values
            .filter { $0.phase == .queued && (group == nil || Self.same($0.group, group)) }
            .sorted { ($0.queuedAt ?? .distantPast, $0.ordinal) < ($1.queuedAt ?? .distantPast, $1.ordinal) }
    }

    func figures(_ group: String) -> QueueFigures {
        let name = registry.group(group)?.name ?? group
        var waiting = 0
        var oldest: Date?
        for call in calls.values where call.phase == .queued && Self.same(call.group, name) {
            waiting += 1
            if let at = call.queuedAt, oldest.map({ at < $0 }) ?? true { oldest = at }
        }
        return QueueFigures(group: name, waiting: waiting, oldestQueuedAt: oldest)
    }

    /// Offers queued calls, oldest first, to the longest-idle available agent of their group.
    mutating func distribute() {
        while let (call, ext) = nextOffer() {
            offer(call, to: ext)
        }
    }

    func nextOffer() -> (SwitchCall, String)? {
        // The agents who may take a queue call now, by group; nobody: nothing to look at (a long
        // queue costs nothing then).
        var available: [String: [AgentLine]] = [:]
        for seat in seats.values where seat.line.loggedIn && seat.line.pause == nil && !seat.line.wrapUp && seat.isFree {
            for group in seat.line.groups { available[group.lowercased(), default: []].append(seat.line) }
        }
        guard !available.isEmpty else { return nil }
        // The oldest queued call with an agent of its group who has not refused it.
        let waiting = calls.values
            .filter { $0.phase == .queued && $0.group.map { available[$0.lowercased()] != nil } == true }
            .sorted { ($0.queuedAt ?? .distantPast, $0.ordinal) < ($1.queuedAt ?? .distantPast, $1.ordinal) }
        for call in waiting {
            let best = available[call.group!.lowercased()]!
                .filter { !call.declinedBy.contains($0.extension) }
                .min { ($0.idleSince, $0.extension) < ($1.idleSince, $1.extension) }
            if let best { return (call, best.extension) }
        }
        return nil
    }

    mutating func offer(_ queued: SwitchCall, to ext: String) {
        var call = queued
        call.phase = .ringing
        call.agent = ext
        call.ringingAt = now
        calls[call.id] = call
        seats[ext]?.current = call.id
        seats[ext]?.dialsOut = false
        events.append(.ringing(call))
        publish(ext)
        if let group = call.group { events.append(.queueChanged(figures(group))) }
    }

    /// The earliest instant a queue call ringing at an agent times out.
    func nextRingDeadline(timeout: TimeInterval) -> Date? {
        ringingQueueCalls().compactMap { $0.ringingAt?.addingTimeInterval(timeout) }.min()
    }

    func ringingQueueCalls() -> [SwitchCall] {
        calls.values.filter { $0.phase == .ringing && $0.group != nil && $0.ringingAt != nil }
    }

    /// Sends every queue call that rang out by `deadline` back to the head of its queue.
    mutating func ringOut(dueBy deadline: Date, timeout: TimeInterval) {
        let due = ringingQueueCalls()
            .filter { $0.ringingAt!.addingTimeInterval(timeout) <= deadline }
            .sorted { ($0.ringingAt!, $0.ordinal) < ($1.ringingAt!, $1.ordinal) }
        for ringing in due {
            let parties = participants(of: ringing.id)
            for ext in parties {
                seats[ext]?.current = nil
                seats[ext]?.dialsOut = false
            }
            var call = ringing
            let ext = call.agent ?? parties.first ?? ""
            call.phase = .queued
            call.agent = nil
            call.ringingAt = nil
            calls[call.id] = call
            events.append(.ringNoAnswer(call, extension: ext))
            parties.forEach { publish($0) }
            if let group = call.group { events.append(.queueChanged(figures(group))) }
        }
    }
}
