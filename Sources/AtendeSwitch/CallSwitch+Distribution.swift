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
        let orders = group.map { calls.index.queues[Registry.nameKey($0)] ?? [] } ?? calls.index.queues.values.flatMap { $0 }.sorted()
        return orders.compactMap { calls[$0.id] }
    }

    func figures(_ group: String) -> QueueFigures {
        let name = registry.group(group)?.name ?? group
        let waiting = calls.index.queues[Registry.nameKey(name)] ?? []
        let oldest = waiting.lazy.compactMap { self.calls[$0.id]?.queuedAt }.first
        return QueueFigures(group: name, waiting: waiting.count, oldestQueuedAt: oldest)
    }

    /// Offers queued calls, oldest first, to the longest-idle available agent of their group.
    mutating func distribute() {
        while let (call, ext) = nextOffer() {
            offer(call, to: ext)
        }
    }

    /// The oldest queued call with an agent of its group free who has not refused it, and the
    /// longest idle of those agents. Only the groups with an agent free are looked at (a long
    /// queue costs nothing while its agents are busy), and in each only its head, up to the
    /// first call one of them may take.
    func nextOffer() -> (SwitchCall, String)? {
        var best: (order: CallOrder, call: SwitchCall, ext: String)?
        for (group, free) in seats.index.free {
            guard let queue = calls.index.queues[group] else { continue }
            for order in queue {
                if let best, !(order < best.order) { break }
                guard let call = calls[order.id] else { continue }
                let agent = free.lazy
                    .filter { !call.declinedBy.contains($0) }
                    .compactMap { self.seats[$0]?.line }
                    .min { ($0.idleSince, $0.extension) < ($1.idleSince, $1.extension) }
                if let agent {
                    best = (order, call, agent.extension)
                    break
                }
            }
        }
        return best.map { ($0.call, $0.ext) }
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
        calls.index.ringing.first.map { $0.at.addingTimeInterval(timeout) }
    }

    /// Sends every queue call that rang out by `deadline` back to the head of its queue.
    mutating func ringOut(dueBy deadline: Date, timeout: TimeInterval) {
        let due = calls.index.ringing
            .prefix { $0.at.addingTimeInterval(timeout) <= deadline }
            .compactMap { calls[$0.id] }
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
