public import AtendeCore
public import AtendeStore
public import AtendeSwitch
public import Foundation

extension Workstation {
    /// The agent's line as the switch sees it, when logged in with a call engine.
    public var line: AgentLine? {
        guard let link, let session else { return nil }
        return link.line(session.agent.extension)
    }

    /// The current call and the held call of this agent.
    public var currentCalls: (current: SwitchCall?, held: SwitchCall?) {
        guard let link, let session else { return (nil, nil) }
        return link.calls(at: session.agent.extension)
    }

    /// The attendance waiting for a qualification, if any.
    public var pendingQualification: Attendance? { book.pendingQualification }

    /// Queue figures of the session's group (SL-1).
    public func queueFigures() -> QueueFigures? {
        guard let link, let session else { return nil }
        return link.queue(session.group.name)
    }

    // MARK: Call control (CC-1 … CC-14)

    /// Answers the call ringing here (CC-1).
    public func answer() throws -> [WorkstationEvent] {
        try requireQualified()
        return try send { .answer(extension: $0) }
    }

    /// Ends the current call (CC-2).
    public func hangup() throws -> [WorkstationEvent] { try send { .hangup(extension: $0) } }

    /// Dials an external number (CC-3, CC-15): canonical form stored, dial string derived.
    public func dial(_ number: String, carrier: String? = nil) throws -> [WorkstationEvent] {
        let config = try configuration()
        let phone: PhoneNumber
        do {
            phone = try PhoneNumber.parse(number, areaCode: config.areaCode)
        } catch {
            throw AtendeError.invalidPhone(number, error)
        }
        let dialString = DialPlan(areaCode: config.areaCode, carrier: config[.carrier], externalLine: config[.externalLine])
            .dialString(for: phone, carrier: carrier)
        pendingDialString = dialString
        defer { pendingDialString = nil }
        let events = try send { .dial(extension: $0, phone: phone.e164) }
        book.lastDialled = phone.e164
        return events
    }

    /// Calls back the phone of attendance `number` (RP-2).
    public func callBack(attendance number: Int) throws -> [WorkstationEvent] {
        let (a, _) = try attendance(number)
        return a.type == .internal ? try call(a.phone) : try dial(a.phone)
    }

    /// Dials the phone of agenda event `number` (AG-2).
    public func dialAgendaEvent(_ number: Int) throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard let e = try store.agenda.event(number: number),
            e.agent.caseInsensitiveCompare(session.agent.nickname) == .orderedSame || session.agent.role != .agent
        else { throw AtendeError.noSuchAgendaEvent(number) }
        guard let phone = e.phone else { throw AtendeError.emptyField("phone") }
        return try dial(phone)
    }

    /// Dials the last external number again (CC-5).
    public func redial() throws -> [WorkstationEvent] {
        guard let last = book.lastDialled else { throw AtendeError.nothingToRedial }
        return try dial(last)
    }

    /// Calls an extension or an agent by name (CC-4).
    public func call(_ target: String) throws -> [WorkstationEvent] {
        let ext = try resolveExtension(target)
        return try send { .call(extension: $0, target: ext) }
    }

    /// Puts the current call on hold, or takes it back (CC-6).
    public func hold() throws -> [WorkstationEvent] { try send { .hold(extension: $0) } }

    /// Blind transfer to an extension, agent or phone; with a consult up and no target, completes it (CC-7).
    public func transfer(_ target: String?) throws -> [WorkstationEvent] {
        guard let target else { return try send { .completeTransfer(extension: $0) } }
        let party = try resolveParty(target)
        return try send { .transfer(extension: $0, target: party) }
    }

    /// Puts the caller on hold and calls a third party (CC-7).
    public func consult(_ target: String) throws -> [WorkstationEvent] {
        let party = try resolveParty(target)
        return try send { .consult(extension: $0, target: party) }
    }

    /// Ends the consult and goes back to the held caller (CC-7).
    public func returnToHeld() throws -> [WorkstationEvent] { try send { .returnToHeld(extension: $0) } }

    /// Joins the held caller and the consulted party (CC-8); needs the permission.
    public func conference() throws -> [WorkstationEvent] {
        try requirePermission(.conference)
        return try send { .conference(extension: $0) }
    }

    /// Picks up the longest-ringing call of the group (CC-12), unless capture is blocked (§5.7).
    public func capture() throws -> [WorkstationEvent] {
        try requireQualified()
        guard try !configuration().isOn(.blockCapture) else { throw AtendeError.captureBlocked }
        try requirePermission(.capture)
        return try send { .capture(extension: $0) }
    }

    /// Joins a colleague's call (CC-13); admins only.
    public func barge(_ target: String) throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard session.agent.role == .admin else { throw AtendeError.adminOnly }
        let ext = try resolveExtension(target)
        return try send { .barge(extension: $0, target: ext) }
    }

    /// Asks the supervisor for help, or withdraws the request (CC-10).
    public func toggleSupport() throws -> [WorkstationEvent] {
        guard let line else { throw AtendeError.noCallEngine }
        let on = !line.helpRequested
        return try send { .help(extension: $0, on: on) } + [.helpRequested(on)]
    }

    /// Starts a pause with a reason by name or productive code (CC-11).
    public func pause(_ reasonText: String?) throws -> [WorkstationEvent] {
        let session = try requireSession()
        let reason = try pauseReason(reasonText)
        if reason.kind == .productive { try requirePermission(.productivePause) }
        let events = try send { .pause(extension: $0, reason: reason.name) }
        try store.pauses.start(PauseEntry(agent: session.agent.nickname, reason: reason, startedAt: now))
        book.pausedSince = now
        return [.paused(reason)] + events
    }

    /// Ends the pause (CC-11).
    public func unpause() throws -> [WorkstationEvent] {
        let session = try requireSession()
        let events = try send { .unpause(extension: $0) }
        try store.pauses.end(agent: session.agent.nickname, at: now)
        let seconds = book.pausedSince.map { Int(now.timeIntervalSince($0)) } ?? 0
        book.pausedSince = nil
        book.alertedWaiting = 0
        return [.unpaused(seconds: seconds)] + events
    }

    /// Starts or stops an on-demand recording of the current call (CC-9); needs the permission.
    public func record(reason: String?, comment: String?) throws -> [WorkstationEvent] {
        try requirePermission(.recording)
        guard let call = currentCalls.current, call.phase == .connected, var record = book.records[call.id] else {
            throw AtendeError.noCall
        }
        if record.isRecording {
            let last = record.recordings.count - 1
            record.recordings[last].stopOffset = record.offset(at: now)
            book.records[call.id] = record
            return [.recordingStopped(seconds: record.recordings[last].stopOffset! - record.recordings[last].startOffset)]
        }
        let reasons = registry.recordingReasons
        let chosen: RecordingReason
        if let reason {
            guard let r = reasons.first(where: { $0.code.caseInsensitiveCompare(reason) == .orderedSame }) else {
                throw AtendeError.unknownRecordingReason(reason)
            }
            chosen = r
        } else {
            guard let first = reasons.first else { throw AtendeError.unknownRecordingReason("") }
            chosen = first
        }
        record.recordings.append(Recording(reason: chosen.code, comment: comment, startOffset: record.offset(at: now)))
        book.records[call.id] = record
        return [.recordingStarted(reason: chosen.code)]
    }

    /// Qualifies an attendance (CC-14): the pending one, or the one numbered; requalifying appends.
    public func qualify(number: Int?, code: String, comment: String?) throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard let q = registry.qualificationCodes.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) else {
            throw AtendeError.unknownQualificationCode(code)
        }
        let target: Attendance
        if let number {
            guard let a = try store.attendances.attendance(number: number),
                a.agent.caseInsensitiveCompare(session.agent.nickname) == .orderedSame || session.agent.role != .agent
            else { throw AtendeError.invalidNumber(String(number)) }
            target = a
        } else if let pending = book.pendingQualification {
            target = pending
        } else if let last = book.lastAttendanceNumber, let a = try store.attendances.attendance(number: last) {
            target = a
        } else {
            throw AtendeError.nothingToQualify
        }
        try store.attendances.qualify(
            Qualification(attendanceID: target.id, code: q.code, comment: comment, agent: session.agent.nickname, createdAt: now))
        var events: [WorkstationEvent] = [.qualified(target, code: q.code)]
        if book.pendingQualification?.id == target.id {
            // Qualify-and-close (§5.7): saving ends the wrap-up; without it the wrap-up runs its time.
            if try configuration().isOn(.qualifyClose) || book.wrapUpDeadline == nil {
                events += try endWrapUp(qualified: true)
            } else {
                book.qualifiedInWrapUp = true
            }
        }
        return events
    }

    /// Lets time pass: ring timeouts, wrap-up expiry, queue alerts, agenda reminders.
    public func tick() throws -> [WorkstationEvent] {
        guard let link, let session else { return [] }
        var events = try trafficArrivals()
        events += try absorb(link.advance(to: now))
        if let deadline = book.wrapUpDeadline, now >= deadline, book.pendingQualification != nil {
            events += try endWrapUp(qualified: book.qualifiedInWrapUp)
        }
        for e in try store.agenda.list(agent: session.agent.nickname, span: DateSpan(start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(1)), filter: .pending)
        where e.startsAt <= now && !book.remindedEvents.contains(e.id) {
            book.remindedEvents.insert(e.id)
            events.append(.agendaReminder(e))
        }
        return events
    }

    // MARK: Session with the switch

    /// Logs the agent into the switch after the session starts (paused when the preference says so).
    func joinSwitch(_ session: Session) throws -> [WorkstationEvent] {
        guard let link else { return [] }
        // Events of the agenda that were already due are counted, not announced.
        book = CallBook()
        book.remindedEvents = Set(try store.agenda.list(agent: session.agent.nickname, span: nil, filter: .pending)
            .filter { $0.startsAt <= now }.map(\.id))
        if link.simulatesColleagues {
            // This agent may have been seated as someone else's simulated colleague: take the seat back.
            if let mine = link.line(session.agent.extension), mine.loggedIn {
                _ = try? link.perform(.logout(extension: session.agent.extension), now: now)
            }
            let seat = try pauseReason(nil).name
            for colleague in registry.agents where colleague.nickname != session.agent.nickname {
                if link.line(colleague.extension)?.loggedIn == false {
                    _ = try? link.perform(.login(extension: colleague.extension, paused: seat), now: now)
                }
            }
        }
        let paused = try configuration().isOn(.loginPaused)
        let reason = paused ? (registry.pauseReasons.first { $0.kind == .eventual } ?? PauseReason(name: "Login", kind: .eventual)) : nil
        do {
            let events = try link.perform(.login(extension: session.agent.extension, paused: reason?.name), now: now)
            if let reason {
                try store.pauses.start(PauseEntry(agent: session.agent.nickname, reason: reason, startedAt: now))
                book.pausedSince = now
            }
            return try absorb(events) + (reason.map { [.paused($0)] } ?? [])
        } catch {
            throw Self.rule(error)
        }
    }

    /// Logs the agent off the switch; refused while a call is up unless `force` (LG-7).
    func leaveSwitch(_ session: Session, force: Bool) throws -> [WorkstationEvent] {
        guard let link else { return [] }
        var events: [WorkstationEvent] = []
        let calls = link.calls(at: session.agent.extension)
        if calls.current != nil || calls.held != nil {
            guard force else { throw AtendeError.logoutDuringCall }
            while link.calls(at: session.agent.extension).current != nil || link.calls(at: session.agent.extension).held != nil {
                events += try send { .hangup(extension: $0) }
            }
        }
        if book.pendingQualification != nil { events += try endWrapUp(qualified: false) }
        if book.pausedSince != nil { try store.pauses.end(agent: session.agent.nickname, at: now) }
        do {
            events += try absorb(link.perform(.logout(extension: session.agent.extension), now: now))
        } catch {
            throw Self.rule(error)
        }
        return events
    }

    // MARK: Helpers

    /// Sends a request for this agent's extension and turns the switch's answer into workstation events.
    func send(_ request: (String) -> SwitchRequest) throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard let link else { throw AtendeError.noCallEngine }
        let events: [SwitchEvent]
        do {
            events = try link.perform(request(session.agent.extension), now: now)
        } catch {
            throw Self.rule(error)
        }
        return try absorb(events)
    }

    /// No call is taken (answered or captured) while a required qualification is missing (CC-17);
    /// placing a call — a call-back, say — stays allowed.
    func requireQualified() throws {
        if let pending = book.pendingQualification, !book.qualifiedInWrapUp {
            throw AtendeError.qualificationPending(pending.number)
        }
    }

    func requirePermission(_ p: Permission) throws {
        guard try requireSession().agent.may(p) else { throw AtendeError.permissionDenied(p) }
    }

    func endWrapUp(qualified: Bool) throws -> [WorkstationEvent] {
        guard let pending = book.pendingQualification else { return [] }
        book.pendingQualification = nil
        book.wrapUpDeadline = nil
        book.qualifiedInWrapUp = false
        return [.wrapUpEnded(attendanceNumber: pending.number, qualified: qualified)] + (try send { .wrapUp(extension: $0, on: false) })
    }

    func pauseReason(_ text: String?) throws -> PauseReason {
        let reasons = registry.pauseReasons
        guard let text, !text.isEmpty else {
            guard let first = reasons.first(where: { $0.kind == .eventual }) else { throw AtendeError.unknownPauseReason("") }
            return first
        }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard let r = reasons.first(where: {
            $0.name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded || $0.code == text
        }) else { throw AtendeError.unknownPauseReason(text) }
        return r
    }

    /// An extension number, or the extension of an agent by nickname.
    func resolveExtension(_ target: String) throws(AtendeError) -> String {
        if let agent = registry.agent(target) { return agent.extension }
        guard registry.agents.contains(where: { $0.extension == target }) else { throw .unknownExtension(target) }
        return target
    }

    /// An extension or agent, else an external phone number (canonical).
    func resolveParty(_ target: String) throws -> Party {
        if let ext = try? resolveExtension(target) { return .agent(extension: ext) }
        do {
            return .customer(phone: try PhoneNumber.parse(target, areaCode: configuration().areaCode).e164)
        } catch let error as PhoneError {
            throw AtendeError.invalidPhone(target, error)
        }
    }

    static func rule(_ error: any Error) -> any Error {
        guard let refusal = error as? SwitchRefusal else { return error }
        switch refusal {
        case .unknownExtension(let e): return AtendeError.unknownExtension(e)
        case .notLoggedIn, .alreadyLoggedIn: return AtendeError.noCallEngine
        case .nothingRinging: return AtendeError.nothingRinging
        case .noCall, .unknownCall: return AtendeError.noCall
        case .callInProgress: return AtendeError.callInProgress
        case .notOnHold: return AtendeError.notOnHold
        case .noHeldCall: return AtendeError.noHeldCall
        case .notConsulting: return AtendeError.notConsulting
        case .targetBusy(let t): return AtendeError.targetBusy(t)
        case .targetLoggedOut(let t): return AtendeError.targetLoggedOut(t)
        case .nothingToCapture: return AtendeError.nothingToCapture
        case .nothingToBarge(let t): return AtendeError.nothingToBarge(t)
        case .unknownService(let s): return AtendeError.unknownService(s)
        case .noQueuedCall: return AtendeError.noQueuedCall
        case .notPaused: return AtendeError.notPaused
        case .alreadyPaused: return AtendeError.alreadyPaused
        case .invalidPhone(let p): return AtendeError.invalidPhone(p, .empty)
        }
    }
}
