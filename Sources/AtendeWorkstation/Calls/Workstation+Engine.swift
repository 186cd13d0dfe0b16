import AtendeCore
import AtendeStore
import Logging
public import Foundation

extension Workstation {
    // MARK: Events out

    /// The workstation's events from now on: what a REPL shows, what a CRM is told.
    ///
    /// Each subscriber has its own bounded buffer; ending the iteration unsubscribes.
    public nonisolated func subscribe() -> AsyncStream<NumberedEvent> { bus.subscribe() }

    /// The sequence number of the last event published.
    public nonisolated var lastEvent: UInt64 { bus.mark }

    /// The events published after `mark` (the last 2,000 are kept).
    public nonisolated func events(since mark: UInt64) -> [WorkstationEvent] { bus.events(since: mark) }

    // MARK: The switch's events in

    /// Waits until the switch's events are handled up to `through` (and up to anything the
    /// workstation's own requests caused meanwhile): after it, the mirror and the records agree
    /// with the switch.
    ///
    /// It does not wait while the link to the server is down (no event comes then), nor across
    /// a restoration of the link: the server may have restarted with a fresh switch, and what
    /// was awaited is in the new snapshot or will never come.
    public func settle(through: UInt64 = 0) async {
        let epoch = linkEpoch
        while true {
            let target = max(through, expectedThrough)
            guard handledThrough < target, pump != nil, linkUp, linkEpoch == epoch else { return }
            await withCheckedContinuation { settleWaiters.append((target, $0)) }
        }
    }

    /// Releases every waiter of ``settle(through:)``, whatever it waited for.
    func releaseSettleWaiters() {
        let waiters = settleWaiters
        settleWaiters = []
        waiters.forEach { $0.continuation.resume() }
    }

    func resumeSettled() {
        let ready = settleWaiters.filter { $0.through <= handledThrough }
        settleWaiters.removeAll { $0.through <= handledThrough }
        ready.forEach { $0.continuation.resume() }
    }

    /// Logs the agent into the switch after the session starts (paused when the preference says so),
    /// and starts following its events from a snapshot.
    func joinSwitch(_ session: Session) async throws {
        guard let link else { return }
        book = CallBook()
        // Events of the agenda that were already due are counted, not announced.
        book.remindedEvents = Set(try store.agenda.list(agent: session.agent.nickname, span: nil, filter: .pending)
            .filter { $0.startsAt <= now }.map(\.id))
        let audience = SwitchAudience.workstation(extension: session.extension, groups: session.agent.groups)
        let stream = await link.events(for: audience)
        let snapshot = await link.snapshot(for: audience)
        mirror = SwitchMirror(snapshot)
        handledThrough = snapshot.through
        expectedThrough = snapshot.through
        // A new session's link (a login after the last link was lost) starts up.
        linkUp = true
        pump = Task { [weak self] in
            for await item in stream {
                guard let self else { return }
                switch item {
                case .batch(let batch): await self.absorb(batch)
                case .lost: await self.linkLost()
                case .restored(let snapshot): await self.linkRestored(snapshot)
                }
            }
        }
        let paused = try configuration().isOn(.loginPaused)
        let reason = paused ? (registry.pauseReasons.first { $0.kind == .eventual } ?? PauseReason(name: "Login", kind: .eventual)) : nil
        do {
            if let reason { bus.publish(.paused(reason)) }
            try await request { .login(extension: $0, paused: reason?.name, agent: session.agent.nickname) }
            await settle()
            if let reason {
                try store.pauses.start(PauseEntry(agent: session.agent.nickname, reason: reason, startedAt: now))
                book.pausedSince = now
            }
            timers.signal()
        } catch {
            stopPump()
            throw error
        }
    }

    /// Logs the agent off the switch; refused while a call is up unless `force`, which ends every
    /// call of the agent — up, held or ringing here (LG-7).
    func leaveSwitch(_ session: Session, force: Bool) async throws {
        guard link != nil else { return }
        await settle()
        guard !hasCalls || force else { throw AtendeError.logoutDuringCall }
        leavingSwitch = true
        defer { leavingSwitch = false }
        // In wrap-up at the switch, no queue call is offered while the agent's calls are ended.
        if force { try await request { .wrapUp(extension: $0, on: true) } }
        // A direct call may still ring in between: each round ends what is there, then leaves.
        for round in 1...8 {
            while hasCalls {
                try await request { .hangup(extension: $0) }
                await settle()
            }
            do {
                try await request { .logout(extension: $0) }
                break
            } catch AtendeError.callInProgress where round < 8 {
                await settle()
            }
        }
        await settle()
        await retryUnsaved()
        if let pending = book.pendingQualification {
            book.pendingQualification = nil
            book.wrapUpDeadline = nil
            bus.publish(.wrapUpEnded(attendanceNumber: pending.number, qualified: false))
        }
        if book.pausedSince != nil { try store.pauses.end(agent: session.agent.nickname, at: now) }
        stopPump()
    }

    /// The agent has a call: up, held, or ringing here.
    public var hasCalls: Bool {
        let calls = currentCalls
        return calls.current != nil || calls.held != nil
    }

    /// The link to the server went down: the agent is told; offline features go on. A command
    /// waiting for its events stops waiting (they will not come on this connection).
    func linkLost() {
        linkUp = false
        book.reseat = nil
        releaseSettleWaiters()
        bus.publish(.linkLost)
    }

    /// The link is back: the mirror starts again from the switch's state (its sequence may have
    /// started again, after a restart of the server), and waiting commands are released.
    ///
    /// A server that started again (or a seat whose grace period ran out) has the agent logged
    /// out: the session takes its seat again, paused as it was, before it says the link is back
    /// — once the seat's events are in the mirror, so what the agent does next sees the seat. A
    /// seat not taken for a transient reason (the link, a timeout) is asked for again with
    /// back-off on the timer loop; one refused, or not taken after the last try, is told.
    func linkRestored(_ snapshot: SwitchSnapshot) async {
        mirror = SwitchMirror(snapshot)
        handledThrough = snapshot.through
        expectedThrough = snapshot.through
        linkEpoch += 1
        linkUp = true
        book.reseat = nil
        releaseSettleWaiters()
        syncSoon()
        guard session != nil, line?.loggedIn != true else {
            bus.publish(.linkRestored)
            return
        }
        switch await takeSeatAgain() {
        case .taken:
            // Said when the pump has the seat's events (see `absorb`), or now if it has them.
            book.reseat = Reseat(announceThrough: expectedThrough)
            announceRestoredWhenSeated()
        case .retry:
            bus.publish(.linkRestored)
            scheduleSeatRetry(attempt: 1)
        case .refused:
            bus.publish(.linkRestored)
            seatNotTaken()
        }
    }

    /// The outcome of asking the switch for the session's seat.
    enum SeatOutcome { case taken, retry, refused }

    /// The back-off between tries to take the seat again: 1, 2, 4, 8, 16 and 30 s, then it is told.
    static let seatRetryDelays: [TimeInterval] = [1, 2, 4, 8, 16, 30]

    /// Logs the session's agent in again at its seat (paused when it was).
    func takeSeatAgain() async -> SeatOutcome {
        guard let session else { return .refused }
        let paused = book.pausedSince != nil ? (registry.pauseReasons.first { $0.kind == .eventual }?.name ?? "Login") : nil
        do {
            try await request { .login(extension: $0, paused: paused, agent: session.agent.nickname) }
            return .taken
        } catch AtendeError.serverUnreachable {
            Logger(label: "atende.call-engine").notice("seat not taken again, will retry", metadata: ["extension": "\(session.extension)"])
            return .retry
        } catch {
            Logger(label: "atende.call-engine").warning("seat not taken again", metadata: ["reason": "\(error)"])
            return .refused
        }
    }

    /// Says the link is back once the re-seat's events are handled.
    func announceRestoredWhenSeated() {
        guard let through = book.reseat?.announceThrough, handledThrough >= through else { return }
        book.reseat = nil
        bus.publish(.linkRestored)
    }

    func scheduleSeatRetry(attempt: Int) {
        guard attempt <= Self.seatRetryDelays.count else {
            seatNotTaken()
            return
        }
        book.reseat = Reseat(attempt: attempt, at: now.addingTimeInterval(Self.seatRetryDelays[attempt - 1]))
        timers.signal()
    }

    /// A try of the timer loop to take the seat again.
    func retrySeat() async {
        guard let reseat = book.reseat, let at = reseat.at, now >= at else { return }
        book.reseat = nil
        guard linkUp, session != nil, line?.loggedIn != true else { return }
        let epoch = linkEpoch
        let outcome = await takeSeatAgain()
        // The link went down (or came back again) meanwhile: its restoration starts over.
        guard linkUp, linkEpoch == epoch else { return }
        switch outcome {
        case .taken: await settle()
        case .retry: scheduleSeatRetry(attempt: reseat.attempt + 1)
        case .refused: seatNotTaken()
        }
    }

    private func seatNotTaken() {
        book.reseat = nil
        guard let session else { return }
        bus.publish(.seatNotTaken(extension: session.extension))
    }

    func stopPump() {
        pump?.cancel()
        pump = nil
        stopFollowingRegistry()
        releaseSettleWaiters()
        mirror = SwitchMirror()
    }

    // MARK: Time

    /// The next instant something of the workstation's own falls due: the end of the wrap-up, a
    /// retry of an unsaved attendance, an agenda reminder.
    public func nextDeadline() -> Date? {
        guard let session else { return nil }
        var next: [Date] = []
        if let d = book.wrapUpDeadline { next.append(d) }
        if let d = book.retryAt { next.append(d) }
        if let d = book.reseat?.at { next.append(d) }
        if let e = try? store.agenda.list(agent: session.agent.nickname, span: DateSpan(start: now, end: now.addingTimeInterval(86_400 * 8)), filter: .pending)
            .filter({ !book.remindedEvents.contains($0.id) }).map(\.startsAt).min()
        {
            next.append(e)
        }
        return next.min()
    }

    /// Fires what is due by the clock: wrap-up expiry, retries, agenda reminders, queue alerts.
    /// Returns the events it published.
    @discardableResult
    public func fireDue() async -> [WorkstationEvent] {
        await settle()
        guard let session else { return [] }
        let mark = bus.mark
        if let retry = book.retryAt, now >= retry { await retryUnsaved() }
        await retrySeat()
        if let deadline = book.wrapUpDeadline, now >= deadline {
            if book.pendingQualification != nil {
                try? await endWrapUp(qualified: book.qualifiedInWrapUp)
            } else {
                book.wrapUpDeadline = nil
                if line?.wrapUp == true { try? await request { .wrapUp(extension: $0, on: false) } }
            }
        }
        let span = DateSpan(start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(1))
        for e in (try? store.agenda.list(agent: session.agent.nickname, span: span, filter: .pending)) ?? []
        where e.startsAt <= now && !book.remindedEvents.contains(e.id) {
            book.remindedEvents.insert(e.id)
            bus.publish(.agendaReminder(e))
        }
        await settle()
        return bus.events(since: mark)
    }

    /// The timer loops on a real clock, until cancelled: the workstation's own deadlines, and the
    /// background sync.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Alarm.run(clock: self.clock, wakeup: self.timers, next: { await self.nextDeadline() }, fire: { await self.fireDue() }) }
            group.addTask { await self.runBackgroundSync() }
        }
    }

    /// Ends the session's event pump and every subscription (at exit).
    public func shutdown() async {
        stopPump()
        offlineLogin = nil
        if let opened = serverSession {
            serverSession = nil
            link = nil
            await opened.close()
        }
        bus.finish()
    }
}
