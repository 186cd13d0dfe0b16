import AtendeCore
import AtendeStore
import AtendeSwitch
import Foundation

extension Workstation {
    /// Follows the switch's events for this agent: keeps call records, writes attendances and
    /// losses, starts wrap-up, answers automatically, and says what happened.
    func absorb(_ events: [SwitchEvent]) throws -> [WorkstationEvent] {
        guard let session else { return [] }
        let me = session.agent.extension
        var out: [WorkstationEvent] = []
        for event in events {
            switch event {
            case .ringing(let call) where call.agent == me:
                let record = try openRecord(call, mine: me)
                // The contact pop-up (CT-2, §5.7): the caller's card comes with the ring when it is on.
                out.append(.ringing(call, contact: try configuration().isOn(.contactPopup) ? record.contact : nil))
                if try configuration().isOn(.autoAnswer) && book.pendingQualification == nil {
                    out += try send { .answer(extension: $0) }
                }
            case .dialing(let call) where call.from == me:
                var record = try openRecord(call, mine: me)
                record.dialString = pendingDialString
                book.records[call.id] = record
                out.append(.dialing(call, dialString: pendingDialString))
            case .connected(let call):
                guard var record = book.records[call.id], involves(call, me) else { continue }
                if record.answeredAt == nil {
                    record.answeredAt = call.answeredAt ?? now
                    book.records[call.id] = record
                    out.append(call.from == me ? .calledPartyAnswered(call) : .answered(call))
                    // The switch offers the next queue call the moment this one ends: a call that
                    // will need a qualification puts the agent in wrap-up already (CC-17).
                    if try needsQualification(type: record.type, service: record.service) {
                        out += try send { .wrapUp(extension: $0, on: true) }
                    }
                }
            case .captured(let call, let from, let by) where by == me:
                book.records[call.id] = try openRecord(call, mine: me)
                out.append(.captured(call, from: from))
            case .held(let call) where book.records[call.id] != nil:
                book.records[call.id]?.holdStartedAt = now
                out.append(.held(call))
            case .retrieved(let call) where book.records[call.id] != nil:
                closeHold(call.id)
                out.append(.retrieved(call))
            case .transferred(let call, let from, let to) where from == me:
                book.records[call.id]?.transferTarget = to
                if let a = try finish(call.id, endedBy: .transfer, at: now) {
                    out.append(.transferred(call, to: to))
                    out += try afterAttendance(a)
                }
            case .conferenced(let call) where involves(call, me):
                out.append(.conferenced(call))
            case .barged(let call, let by) where by == me:
                out.append(.barged(call, into: call.agent ?? ""))
            case .ringNoAnswer(let call, let ext):
                if ext == me {
                    book.records[call.id] = nil
                    out.append(.missed(call))
                }
                if ext == me || isMyGroup(call.group, session) { out += try recordLoss(call, place: .agent) }
            case .ended(let call, let reason):
                out += try ended(call, reason: reason, me: me, session: session)
            case .queueChanged(let figures) where figures.group.caseInsensitiveCompare(session.group.name) == .orderedSame:
                if book.pausedSince != nil, figures.waiting > book.alertedWaiting, try configuration().isOn(.queueAlert) {
                    out.append(.queueAlert(waiting: figures.waiting))
                }
                book.alertedWaiting = figures.waiting
            default:
                continue
            }
        }
        return out
    }

    private func ended(_ call: SwitchCall, reason: CallEnd, me: String, session: Session) throws -> [WorkstationEvent] {
        var out: [WorkstationEvent] = []
        switch reason {
        case .abandonedInQueue, .abandonedAtAgent:
            if book.records[call.id] != nil {
                book.records[call.id] = nil
                out.append(.missed(call))
            }
            if isMyGroup(call.group, session) || call.agent == me {
                out += try recordLoss(call, place: reason == .abandonedInQueue ? .queue : .agent)
            }
        case .agent, .customer, .transfer:
            guard let record = book.records[call.id] else { return [] }
            // A call that rang here and was never answered leaves no attendance (inbound).
            if record.answeredAt == nil && record.type == .inbound {
                book.records[call.id] = nil
                return [.missed(call)]
            }
            let by: EndedBy = reason == .agent ? .agent : reason == .transfer ? .transfer : .customer
            if let a = try finish(call.id, endedBy: by, at: call.endedAt ?? now) {
                out.append(.ended(a, by: by))
                out += try afterAttendance(a)
            }
        }
        return out
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
            queuedAt: call.queuedAt, ringingAt: call.ringingAt ?? now, answeredAt: call.phase == .connected ? (call.answeredAt ?? now) : nil)
        book.records[call.id] = record
        return record
    }

    private func closeHold(_ id: CallID) {
        guard let started = book.records[id]?.holdStartedAt else { return }
        book.records[id]?.holdSeconds += Int(now.timeIntervalSince(started).rounded())
        book.records[id]?.holdStartedAt = nil
    }

    /// Writes the attendance of a call that ended for this agent.
    private func finish(_ id: CallID, endedBy: EndedBy, at end: Date) throws -> Attendance? {
        guard let session else { return nil }
        closeHold(id)
        guard var r = book.records.removeValue(forKey: id) else { return nil }
        if r.isRecording { r.recordings[r.recordings.count - 1].stopOffset = r.offset(at: end) }
        let talk = r.answeredAt.map { max(0, Int(end.timeIntervalSince($0).rounded())) } ?? 0
        let waitFrom = r.queuedAt ?? r.ringingAt
        let wait = waitFrom.map { max(0, Int((r.answeredAt ?? end).timeIntervalSince($0).rounded())) } ?? 0
        let config = try configuration()
        let a = try store.attendances.add(Attendance(
            type: r.type, service: r.service, phone: r.phone, contactID: r.contact?.id, contactName: r.contact?.name,
            agent: session.agent.nickname, group: r.group ?? session.group.name, extension: config[.extension],
            queuedAt: r.queuedAt, ringingAt: r.ringingAt, answeredAt: r.answeredAt, endedAt: end, talkSeconds: talk,
            waitSeconds: wait, holdSeconds: r.holdSeconds, endedBy: endedBy, transferTarget: r.transferTarget,
            dialString: r.dialString, recordings: r.recordings))
        book.lastAttendanceNumber = a.number
        return a
    }

    /// Wrap-up after a call that needs a qualification (CC-16, CC-17).
    private func afterAttendance(_ a: Attendance) throws -> [WorkstationEvent] {
        guard a.answeredAt != nil, try needsQualification(type: a.type, service: a.service) else { return [] }
        book.pendingQualification = a
        let seconds = Int(try configuration()[.wrapUp]) ?? 0
        book.wrapUpDeadline = seconds > 0 ? now.addingTimeInterval(TimeInterval(seconds)) : nil
        return [.qualificationRequired(a, wrapUpSeconds: seconds > 0 ? seconds : nil)]
    }

    /// Service calls are qualified when the preference is on; internal ones only with its own (§5.7).
    private func needsQualification(type: CallType, service: String?) throws -> Bool {
        let config = try configuration()
        guard config.isOn(.qualification) else { return false }
        return type == .internal ? config.isOn(.qualifyInternal) : service != nil
    }

    private func recordLoss(_ call: SwitchCall, place: AbandonPlace) throws -> [WorkstationEvent] {
        guard let service = call.service, let phone = call.phone else { return [] }
        let contact = try store.contacts.contact(phone: phone)
        let loss = try store.losses.record(
            service: service, phone: phone, contactName: contact?.name, group: call.group ?? "", day: dayKey(now), at: now,
            place: place)
        return [.lossRecorded(loss)]
    }

    private func involves(_ call: SwitchCall, _ me: String) -> Bool {
        call.agent == me || call.from == me || call.to == me || call.joined.contains(me)
    }

    private func isMyGroup(_ group: String?, _ session: Session) -> Bool {
        guard let group else { return false }
        return session.agent.groups.contains { $0.caseInsensitiveCompare(group) == .orderedSame }
    }
}
