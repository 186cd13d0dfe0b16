import AtendeCore
import AtendeStore
import Foundation
import Logging

extension Workstation {
    /// Follows one batch of the switch's events for this agent: updates the mirror, keeps call
    /// records, writes attendances, starts wrap-up, answers automatically, and publishes what happened.
    func absorb(_ batch: SwitchBatch) async {
        guard batch.through > handledThrough else { return }
        for event in batch.events {
            let me = session?.extension
            let wasSeated = me.flatMap { mirror.lines[$0]?.loggedIn } ?? false
            mirror.apply(event)
            // Logged out by the call center (a supervisor, the end of a grace period), not by this session.
            if case .agentChanged(let line) = event, line.extension == me, wasSeated, !line.loggedIn, !leavingSwitch {
                bus.publish(.loggedOutBySwitch(extension: line.extension))
            }
            do {
                try await follow(event)
            } catch {
                // A store read (the caller's contact, the configuration) failed: the event is still
                // in the mirror; what it would have shown is logged. Records are kept by `save`.
                Logger(label: "atende.call-engine").error("switch event not followed", metadata: ["reason": "\(error)"])
            }
        }
        handledThrough = batch.through
        resumeSettled()
        announceRestoredWhenSeated()
    }

    private func follow(_ event: SwitchEvent) async throws {
        guard let session else { return }
        let me = session.extension
        switch event {
        case .ringing(let call) where call.agent == me:
            let record = try openRecord(call, mine: me)
            // The contact pop-up (CT-2, §5.7): the caller's card comes with the ring when it is on.
            bus.publish(.ringing(call, contact: try configuration().isOn(.contactPopup) ? record.contact : nil))
            if try configuration().isOn(.autoAnswer) && book.pendingQualification == nil {
                try? await request { .answer(extension: $0) }
            }
        case .dialing(let call) where call.from == me:
            var record = try openRecord(call, mine: me)
            record.dialString = call.phone.flatMap { book.dialStrings.removeValue(forKey: $0) }
            // A call placed here is recorded whether or not it is answered: its number now.
            if record.number == nil { record.number = try? store.attendances.reserveNumber() }
            book.records[call.id] = record
            bus.publish(.dialing(call, dialString: record.dialString))
        case .connected(let call):
            guard var record = book.records[call.id], involves(call, me) else { return }
            if record.answeredAt == nil {
                record.answeredAt = call.answeredAt ?? now
                if record.number == nil { record.number = try? store.attendances.reserveNumber() }
                book.records[call.id] = record
                bus.publish(call.from == me ? .calledPartyAnswered(call) : .answered(call))
                // The switch offers the next queue call the moment this one ends: a call that
                // will need a qualification puts the agent in wrap-up already (CC-17).
                if try needsQualification(type: record.type, service: record.service) {
                    try? await request { .wrapUp(extension: $0, on: true) }
                }
            }
        case .captured(let call, let from, let by) where by == me:
            book.records[call.id] = try openRecord(call, mine: me)
            bus.publish(.captured(call, from: from))
        case .captured(let call, let from, _) where from == me:
            book.records[call.id] = nil
        case .held(let call) where book.records[call.id] != nil:
            book.records[call.id]?.holdStartedAt = now
            bus.publish(.held(call))
        case .retrieved(let call) where book.records[call.id] != nil:
            closeHold(call.id)
            bus.publish(.retrieved(call))
        case .transferred(let call, let from, let to) where from == me:
            book.records[call.id]?.transferTarget = to
            bus.publish(.transferred(call, to: to))
            await finish(call.id, endedBy: .transfer, at: now)
        case .conferenced(let call) where involves(call, me):
            // The customer is off hold from here: a conference is not hold.
            closeHold(call.id)
            bus.publish(.conferenced(call))
        case .barged(let call, let by) where by == me:
            bus.publish(.barged(call, into: call.agent ?? ""))
        case .left(let call, let ext) where ext == me:
            bus.publish(.left(call))
        case .declined(let call, let ext) where ext == me:
            book.records[call.id] = nil
            bus.publish(.declined(call, backToQueue: call.group != nil))
        case .ringNoAnswer(let call, let ext):
            if ext == me {
                book.records[call.id] = nil
                bus.publish(.ringTimedOut(call))
            }
            if isMyGroup(call.group, session) { bus.publish(.lossRecorded(call, reason: .abandonedAtAgent)) }
        case .ended(let call, let reason, let by):
            try await ended(call, reason: reason, by: by, me: me, session: session)
        case .queueChanged(let figures) where figures.group.caseInsensitiveCompare(session.group.name) == .orderedSame:
            if book.pausedSince != nil, figures.waiting > book.alertedWaiting, try configuration().isOn(.queueAlert) {
                bus.publish(.queueAlert(waiting: figures.waiting))
            }
            book.alertedWaiting = figures.waiting
        default:
            return
        }
    }

    private func ended(_ call: SwitchCall, reason: CallEnd, by: String?, me: String, session: Session) async throws {
        switch reason {
        case .abandonedInQueue, .abandonedAtAgent:
            if book.records.removeValue(forKey: call.id) != nil { bus.publish(.missed(call)) }
            if isMyGroup(call.group, session) || call.agent == me { bus.publish(.lossRecorded(call, reason: reason)) }
        case .agent, .customer, .transfer:
            guard let record = book.records[call.id] else { return }
            // A call that rang here and was never answered leaves no attendance (inbound).
            if record.answeredAt == nil && record.type == .inbound {
                book.records[call.id] = nil
                bus.publish(.missed(call))
                return
            }
            await finish(call.id, endedBy: EndedBy(reason, by: by, extension: me), at: call.endedAt ?? now)
        }
    }

    /// Starts following a call of this agent.
    private func openRecord(_ call: SwitchCall, mine me: String) throws -> CallRecord {
        if let existing = book.records[call.id] { return existing }
        let phone: String
        if call.type == .internal {
            phone = (call.from == me ? call.to : call.from) ?? ""
        } else {
            phone = call.phone ?? ""
        }
        let contact = call.type == .internal ? nil : try store.contacts.contact(phone: phone)
        let record = CallRecord(
            id: call.id, type: call.type, service: call.service, group: call.group, phone: phone, contact: contact,
            queuedAt: call.queuedAt, ringingAt: call.ringingAt ?? now, answeredAt: call.phase == .connected ? (call.answeredAt ?? now) : nil,
            consultOf: call.consultOf)
        book.records[call.id] = record
        return record
    }

    private func closeHold(_ id: CallID) {
        guard let started = book.records[id]?.holdStartedAt else { return }
        book.records[id]?.holdSeconds += Int(now.timeIntervalSince(started).rounded())
        book.records[id]?.holdStartedAt = nil
    }

    /// Writes the attendance of a call that ended for this agent; a record the store refuses is
    /// kept and retried (never lost), and the agent is told the truth.
    private func finish(_ id: CallID, endedBy: EndedBy, at end: Date) async {
        closeHold(id)
        guard var r = book.records.removeValue(forKey: id) else { return }
        if r.isRecording { r.recordings[r.recordings.count - 1].stopOffset = r.offset(at: end) }
        await save(r, endedBy: endedBy, end: end, failures: 0)
    }

    private func save(_ r: CallRecord, endedBy: EndedBy, end: Date, failures: Int) async {
        do {
            let a = try write(r, endedBy: endedBy, end: end)
            if failures > 0 { bus.publish(.attendanceSaved(a)) }
            bus.publish(.ended(a, by: endedBy))
            try await afterAttendance(a)
        } catch {
            book.unsaved.append((r, endedBy, end, failures + 1))
            // Retried in 2, 4, 8 … up to 30 seconds; the wrap-up still ends so queue calls come again.
            book.retryAt = now.addingTimeInterval(min(30, pow(2, Double(failures + 1))))
            if failures == 0 {
                bus.publish(.attendanceNotSaved(number: r.number, phone: r.phone, reason: "\(error)"))
                if book.pendingQualification == nil, (try? needsQualification(type: r.type, service: r.service)) == true,
                    r.answeredAt != nil
                {
                    book.wrapUpDeadline = now.addingTimeInterval(TimeInterval(Int((try? configuration()[.wrapUp]) ?? "") ?? 60))
                }
            }
            timers.signal()
        }
    }

    /// Writes again the attendances the store refused before, oldest first.
    func retryUnsaved() async {
        guard !book.unsaved.isEmpty else { return }
        let pending = book.unsaved
        book.unsaved = []
        book.retryAt = nil
        for item in pending { await save(item.record, endedBy: item.endedBy, end: item.end, failures: item.failures) }
    }

    private func write(_ r: CallRecord, endedBy: EndedBy, end: Date) throws -> Attendance {
        guard let session else { throw AtendeError.notLoggedIn }
        let (talk, wait) = Attendance.seconds(queuedAt: r.queuedAt, ringingAt: r.ringingAt, answeredAt: r.answeredAt, endedAt: end)
        // The call's id and the agent's make the attendance's: the switch's host records the same
        // call under the same id, so the server holds one record of it.
        let a = try store.attendances.add(Attendance(
            id: Attendance.id(call: r.id, agent: session.agent.nickname), number: r.number ?? 0, type: r.type, service: r.service, phone: r.phone, contactID: r.contact?.id, contactName: r.contact?.name,
            agent: session.agent.nickname, group: r.group ?? session.group.name, extension: session.extension,
            queuedAt: r.queuedAt, ringingAt: r.ringingAt, answeredAt: r.answeredAt, endedAt: end, talkSeconds: talk,
            waitSeconds: wait, holdSeconds: r.holdSeconds, endedBy: endedBy, transferTarget: r.transferTarget,
            dialString: r.dialString, recordings: r.recordings, callID: r.id, consultOf: r.consultOf))
        book.lastAttendanceNumber = a.number
        // A customer who gave up and was called back, and answered, is no longer a call-back to make (RP-3).
        if a.type == .outbound, a.consultOf == nil, let answered = a.answeredAt {
            do {
                try store.losses.markCalledBack(phone: a.phone, at: answered)
            } catch {
                // The attendance is written; the loss stays pending and shows in `losses` as such.
                Logger(label: "atende.losses").error("call-back not marked", metadata: ["reason": "\(error)"])
            }
        }
        return a
    }

    /// Wrap-up after a call that needs a qualification (CC-16, CC-17).
    private func afterAttendance(_ a: Attendance) async throws {
        guard a.answeredAt != nil, try needsQualification(type: a.type, service: a.service) else { return }
        book.pendingQualification = a
        let seconds = Int(try configuration()[.wrapUp]) ?? 0
        book.wrapUpDeadline = seconds > 0 ? now.addingTimeInterval(TimeInterval(seconds)) : nil
        bus.publish(.qualificationRequired(a, wrapUpSeconds: seconds > 0 ? seconds : nil))
        timers.signal()
    }

    /// Service calls are qualified when the preference is on; internal ones only with its own (§5.7).
    func needsQualification(type: CallType, service: String?) throws -> Bool {
        let config = try configuration()
        guard config.isOn(.qualification) else { return false }
        return type == .internal ? config.isOn(.qualifyInternal) : service != nil
    }

    private func involves(_ call: SwitchCall, _ me: String) -> Bool {
        call.agent == me || call.from == me || call.to == me || call.joined.contains(me)
    }

    private func isMyGroup(_ group: String?, _ session: Session) -> Bool {
        guard let group else { return false }
        return session.agent.groups.contains { $0.caseInsensitiveCompare(group) == .orderedSame }
    }
}
