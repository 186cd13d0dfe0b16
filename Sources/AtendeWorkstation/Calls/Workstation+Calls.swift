public import AtendeCore
import AtendeStore
import AtendeSwitch
public import Foundation

extension Workstation {
    /// The agent's line as the switch last told it, when logged in with a call engine.
    public var line: AgentLine? {
        guard link != nil, let session else { return nil }
        return mirror.lines[session.extension]
    }

    /// The current call and the held call of this agent.
    public var currentCalls: (current: SwitchCall?, held: SwitchCall?) {
        guard link != nil, let session else { return (nil, nil) }
        return mirror.calls(at: session.extension)
    }

    /// Every line of the floor as the switch last told it, by extension (EX-1).
    public var floor: [AgentLine] {
        guard link != nil else { return [] }
        return mirror.lines.values.sorted { $0.extension < $1.extension }
    }

    /// The attendance waiting for a qualification, if any.
    public var pendingQualification: Attendance? { book.pendingQualification }

    /// When the wrap-up ends by itself, if one runs with a time limit (CC-17).
    public var wrapUpDeadline: Date? { book.pendingQualification == nil ? nil : book.wrapUpDeadline }

    /// Queue figures of the session's group (SL-1).
    public func queueFigures() -> QueueFigures? {
        guard link != nil, let session else { return nil }
        return mirror.queue(session.group.name)
    }

    /// The contact whose phone this is, if any (the caller's card).
    public func contact(phone: String) throws -> Contact? {
        try store.contacts.contact(phone: phone)
    }

    /// The attendance number a call of this agent will have once written, when it is known (SL-4).
    public func attendanceNumber(of call: SwitchCall) -> Int? {
        book.records[call.id]?.number
    }

    /// A call on the floor, by id, as the switch last told it.
    public func call(_ id: CallID?) -> SwitchCall? {
        id.flatMap { mirror.calls[$0] }
    }

    // MARK: Call control (CC-1 … CC-14)

    /// Answers the call ringing here (CC-1).
    public func answer() async throws -> [WorkstationEvent] {
        try requireQualified()
        return try await send { .answer(extension: $0) }
    }

    /// Ends the current call (CC-2).
    public func hangup() async throws -> [WorkstationEvent] { try await send { .hangup(extension: $0) } }

    /// Dials an external number (CC-3, CC-15): canonical form stored, dial string derived.
    public func dial(_ number: String, carrier: String? = nil) async throws -> [WorkstationEvent] {
        let config = try configuration()
        let phone: PhoneNumber
        do {
            phone = try PhoneNumber.parse(number, areaCode: config.areaCode)
        } catch {
            throw AtendeError.invalidPhone(number, error)
        }
        let dialString = DialPlan(areaCode: config.areaCode, carrier: config[.carrier], externalLine: config[.externalLine])
            .dialString(for: phone, carrier: carrier)
        // The record of the call takes its dial string when the switch says it is dialling.
        book.dialStrings[phone.e164] = dialString
        do {
            let events = try await send { .dial(extension: $0, phone: phone.e164) }
            book.lastDialled = phone.e164
            return events
        } catch {
            book.dialStrings[phone.e164] = nil
            throw error
        }
    }

    /// `dial` as typed (CC-3, RP-2): up to six digits name an attendance of a report, to call back,
    /// unless they are an emergency or public-service number (190 …); anything else is a phone number.
    public func dial(typed target: String, carrier: String? = nil) async throws -> [WorkstationEvent] {
        if let n = Int(target), target.count <= 6, !PhoneNumber.isServiceNumber(target) { return try await callBack(attendance: n) }
        return try await dial(target, carrier: carrier)
    }

    /// Calls back the phone of attendance `number` (RP-2).
    public func callBack(attendance number: Int) async throws -> [WorkstationEvent] {
        let (a, _) = try attendance(number)
        return a.type == .internal ? try await call(a.phone) : try await dial(a.phone)
    }

    /// Dials the phone of agenda event `number` (AG-2).
    public func dialAgendaEvent(_ number: Int) async throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard let e = try store.agenda.event(number: number),
            e.agent.caseInsensitiveCompare(session.agent.nickname) == .orderedSame || session.agent.role != .agent
        else { throw AtendeError.noSuchAgendaEvent(number) }
        guard let phone = e.phone else { throw AtendeError.emptyField("phone") }
        return try await dial(phone)
    }

    /// Dials the last external number again (CC-5).
    public func redial() async throws -> [WorkstationEvent] {
        guard let last = book.lastDialled else { throw AtendeError.nothingToRedial }
        return try await dial(last)
    }

    /// Calls an extension or an agent by name (CC-4).
    public func call(_ target: String) async throws -> [WorkstationEvent] {
        let ext = try resolveExtension(target)
        return try await send { .call(extension: $0, target: ext) }
    }

    /// Puts the current call on hold, or takes it back (CC-6).
    public func hold() async throws -> [WorkstationEvent] { try await send { .hold(extension: $0) } }

    /// Blind transfer to an extension, agent or phone; with a consult up and no target, completes it (CC-7).
    public func transfer(_ target: String?) async throws -> [WorkstationEvent] {
        guard let target else { return try await send { .completeTransfer(extension: $0) } }
        let party = try resolveParty(target)
        return try await send { .transfer(extension: $0, target: party) }
    }

    /// Puts the caller on hold and calls a third party (CC-7).
    public func consult(_ target: String) async throws -> [WorkstationEvent] {
        let party = try resolveParty(target)
        return try await send { .consult(extension: $0, target: party) }
    }

    /// Ends the consult and goes back to the held caller (CC-7).
    public func returnToHeld() async throws -> [WorkstationEvent] { try await send { .returnToHeld(extension: $0) } }

    /// Joins the held caller and the consulted party (CC-8); needs the permission.
    public func conference() async throws -> [WorkstationEvent] {
        try requirePermission(.conference)
        return try await send { .conference(extension: $0) }
    }

    /// Picks up the longest-ringing call of the group (CC-12), unless capture is blocked (§5.7).
    public func capture() async throws -> [WorkstationEvent] {
        try requireQualified()
        guard try !configuration().isOn(.blockCapture) else { throw AtendeError.captureBlocked }
        try requirePermission(.capture)
        return try await send { .capture(extension: $0) }
    }

    /// Joins a colleague's call (CC-13); admins only.
    public func barge(_ target: String) async throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard session.agent.role == .admin else { throw AtendeError.adminOnly }
        let ext = try resolveExtension(target)
        return try await send { .barge(extension: $0, target: ext) }
    }

    /// Asks the supervisor for help, or withdraws the request (CC-10).
    public func toggleSupport() async throws -> [WorkstationEvent] {
        guard let line else { throw AtendeError.noCallEngine }
        let on = !line.helpRequested
        return try await command {
            try await request { .help(extension: $0, on: on) }
            bus.publish(.helpRequested(on))
        }
    }

    /// Starts a pause with a reason by name or productive code (CC-11).
    public func pause(_ reasonText: String?) async throws -> [WorkstationEvent] {
        let session = try requireSession()
        let reason = try pauseReason(reasonText)
        if reason.kind == .productive { try requirePermission(.productivePause) }
        return try await command {
            // Said once the switch has done it: a refused pause (no link, say) announces nothing.
            try await request { .pause(extension: $0, reason: reason.name) }
            bus.publish(.paused(reason))
            try store.pauses.start(PauseEntry(agent: session.agent.nickname, reason: reason, startedAt: now))
            book.pausedSince = now
        }
    }

    /// Ends the pause (CC-11).
    public func unpause() async throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard line?.pause != nil else { throw AtendeError.notPaused }
        return try await command {
            let seconds = book.pausedSince.map { Int(now.timeIntervalSince($0)) } ?? 0
            try await request { .unpause(extension: $0) }
            bus.publish(.unpaused(seconds: seconds))
            try store.pauses.end(agent: session.agent.nickname, at: now)
            book.pausedSince = nil
            book.alertedWaiting = 0
        }
    }

    /// Starts or stops an on-demand recording of the current call (CC-9); needs the permission.
    public func record(reason: String?, comment: String?) async throws -> [WorkstationEvent] {
        try requirePermission(.recording)
        guard let call = currentCalls.current, call.phase == .connected, var record = book.records[call.id] else {
            throw AtendeError.noCall
        }
        if record.isRecording {
            // `record` alone stops; a reason while recording is a mistake, not a stop.
            guard reason == nil else {
                guard registry.recordingReasons.contains(where: { $0.code.caseInsensitiveCompare(reason!) == .orderedSame }) else {
                    throw AtendeError.unknownRecordingReason(reason!)
                }
                throw AtendeError.alreadyRecording
            }
            let last = record.recordings.count - 1
            record.recordings[last].stopOffset = record.offset(at: now)
            book.records[call.id] = record
            return publishing(.recordingStopped(seconds: record.recordings[last].stopOffset! - record.recordings[last].startOffset))
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
        return publishing(.recordingStarted(reason: chosen.code))
    }

    /// Qualifies an attendance (CC-14): the pending one, or the one numbered; requalifying appends.
    public func qualify(number: Int?, code: String, comment: String?) async throws -> [WorkstationEvent] {
        let session = try requireSession()
        guard let q = registry.qualificationCodes.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) else {
            throw AtendeError.unknownQualificationCode(code)
        }
        let target: Attendance
        if let number {
            target = try ownAttendance(number, session: session)
        } else if let pending = book.pendingQualification {
            target = pending
        } else if let last = book.lastAttendanceNumber, let a = try store.attendances.attendance(number: last) {
            target = a
        } else {
            throw AtendeError.nothingToQualify
        }
        try store.attendances.qualify(
            Qualification(attendanceID: target.id, code: q.code, comment: comment, agent: session.agent.nickname, createdAt: now))
        return try await command {
            bus.publish(.qualified(target, code: q.code))
            if book.pendingQualification?.id == target.id {
                // Qualify-and-close (§5.7): saving ends the wrap-up; without it the wrap-up runs its time.
                if try configuration().isOn(.qualifyClose) || book.wrapUpDeadline == nil {
                    try await endWrapUp(qualified: true)
                } else {
                    book.qualifiedInWrapUp = true
                }
            }
        }
    }

    // MARK: Helpers

    /// Runs `body` and returns the events published while it ran, once the switch's answer is handled.
    func command(_ body: () async throws -> Void) async throws -> [WorkstationEvent] {
        let mark = bus.mark
        try await body()
        await settle()
        return bus.events(since: mark)
    }

    /// Publishes one event and returns it, for a command whose only effect is that event.
    func publishing(_ event: WorkstationEvent) -> [WorkstationEvent] {
        bus.publish(event)
        return [event]
    }

    /// Sends a request for this agent's extension; returns the events it caused here.
    func send(_ make: (String) -> SwitchRequest) async throws -> [WorkstationEvent] {
        try await command { try await request(make) }
    }

    /// Sends a request for this agent's extension, turning a refusal into the rule it broke.
    func request(_ make: (String) -> SwitchRequest) async throws {
        let session = try requireSession()
        guard let link else { throw AtendeError.noCallEngine }
        do {
            let receipt = try await link.send(make(session.extension))
            expectedThrough = max(expectedThrough, receipt.through)
        } catch {
            throw Self.rule(error)
        }
    }

    /// No call is taken (answered or captured) while a required qualification is missing (CC-17);
    /// placing a call — a call-back, say — stays allowed, and the qualification is still asked for.
    func requireQualified() throws {
        if let pending = book.pendingQualification, !book.qualifiedInWrapUp {
            throw AtendeError.qualificationPending(pending.number)
        }
    }

    func requirePermission(_ p: Permission) throws {
        guard try requireSession().agent.may(p) else { throw AtendeError.permissionDenied(p) }
    }

    /// An attendance this agent may see and change (``AttendanceVisibility``): their own, or their
    /// groups' for supervisors and admins. One they may not see is "not found", as if absent.
    func ownAttendance(_ number: Int, session: Session) throws -> Attendance {
        guard let a = try store.attendances.attendance(number: number), visibility(session).allows(a)
        else { throw AtendeError.invalidNumber(String(number)) }
        return a
    }

    /// Whose attendances the session's agent may see (SV-6), for every read of attendances.
    func visibility(_ session: Session) -> AttendanceVisibility {
        AttendanceVisibility(for: session.agent)
    }

    func endWrapUp(qualified: Bool) async throws {
        guard let pending = book.pendingQualification else { return }
        book.pendingQualification = nil
        book.wrapUpDeadline = nil
        book.qualifiedInWrapUp = false
        bus.publish(.wrapUpEnded(attendanceNumber: pending.number, qualified: qualified))
        try await request { .wrapUp(extension: $0, on: false) }
    }

    func pauseReason(_ text: String?) throws -> PauseReason {
        try registry.pauseReason(text)
    }

    /// An extension number, or the extension of an agent by nickname.
    func resolveExtension(_ target: String) throws(AtendeError) -> String {
        if let agent = registry.agent(target) {
            // Seated elsewhere (CC-0): where the switch says the agent is.
            return mirror.lines.values.first { $0.loggedIn && $0.nickname.caseInsensitiveCompare(agent.nickname) == .orderedSame }?
                .extension ?? agent.extension
        }
        guard registry.agents.contains(where: { $0.extension == target }) else { throw .unknownExtension(target) }
        return target
    }

    /// An extension or agent, else an external phone number (canonical).
    func resolveParty(_ target: String) throws -> Party {
        if let ext = try? resolveExtension(target) { return .agent(extension: ext) }
        return .customer(phone: try canonicalPhone(target))
    }

    /// A phone as the agent typed it, in canonical form by the workstation's area code, or the reason it is not one.
    public func canonicalPhone(_ text: String) throws -> String {
        do {
            return try PhoneNumber.parse(text, areaCode: configuration().areaCode).e164
        } catch let error as PhoneError {
            throw AtendeError.invalidPhone(text, error)
        }
    }

    static func rule(_ error: any Error) -> any Error {
        guard let refusal = error as? SwitchRefusal else { return error }
        switch refusal {
        case .unknownExtension(let e): return AtendeError.unknownExtension(e)
        case .notLoggedIn: return AtendeError.noCallEngine
        case .alreadyLoggedIn(let e): return AtendeError.extensionTaken(e)
        case .nothingRinging: return AtendeError.nothingRinging
        case .noCall, .unknownCall: return AtendeError.noCall
        case .callInProgress: return AtendeError.callInProgress
        case .consultInProgress: return AtendeError.consultInProgress
        case .consultRinging: return AtendeError.consultRinging
        case .notOnHold: return AtendeError.notOnHold
        case .noHeldCall: return AtendeError.noHeldCall
        case .notConsulting: return AtendeError.notConsulting
        case .targetBusy(let t): return AtendeError.targetBusy(t)
        case .targetLoggedOut(let t): return AtendeError.targetLoggedOut(t)
        case .nothingToCapture: return AtendeError.nothingToCapture
        case .nothingToBarge(let t): return AtendeError.nothingToBarge(t)
        case .unknownService(let s): return AtendeError.unknownService(s)
        case .queueFull(let g): return AtendeError.queueFull(g)
        case .noQueuedCall: return AtendeError.noQueuedCall
        case .notPaused: return AtendeError.notPaused
        case .alreadyPaused: return AtendeError.alreadyPaused
        case .invalidPhone(let p): return AtendeError.invalidPhone(p, .empty)
        case .forbidden(let reason): return AtendeError.switchForbidden(reason)
        case .unreachable: return AtendeError.serverUnreachable
        }
    }
}
