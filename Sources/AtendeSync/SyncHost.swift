public import AtendeCore
public import Foundation

/// What the switch's host (the server) writes into sync from its own record of the calls (SY-2,
/// items of the switch): the attendance of each agent a finished call was with, and each loss.
/// Both are written-once records, and their ids come from the call's, so the host's record and
/// the agent's workstation's of one call are one record: the fields the two write alike fill
/// each other, a value that differs is flagged as a mismatch, and a workstation that crashed
/// or was offline during the call gets its attendance back from the host.
public enum SyncHost {
    /// The origin of what the host writes.
    public static let origin = SyncOrigin(workstation: "switch", agent: "")

    /// The attendances a call that ended leaves: one for the agent who had it (and, for an
    /// internal call, one for the caller), none for an inbound call nobody answered or one a
    /// caller abandoned. `nickname` names the agent on an extension (nil: no agent there).
    public static func attendances(
        of call: SwitchCall, reason: CallEnd, by: String?, at now: Date, stamp: HLCStamp, nickname: (String) -> String?
    ) -> [SyncOperation] {
        guard reason != .abandonedInQueue, reason != .abandonedAtAgent else { return [] }
        if call.type == .inbound && call.answeredAt == nil { return [] }
        var sides: [String] = []
        switch call.type {
        case .inbound: sides = [call.agent].compactMap { $0 }
        case .outbound: sides = [call.from].compactMap { $0 }
        case .internal: sides = [call.from, call.agent ?? call.to].compactMap { $0 }
        }
        return sides.compactMap { ext -> SyncOperation? in
            guard let agent = nickname(ext) else { return nil }
            var fields: [String: SyncValue] = [
                "callID": .text(call.id.uuidString), "type": .text(call.type.rawValue), "agent": .text(agent),
                "extension": .text(ext), "endedBy": .text(EndedBy(reason, by: by, extension: ext).rawValue),
                "endedAt": seconds(call.endedAt ?? now),
            ]
            if call.type == .internal {
                fields["phone"] = .text((ext == call.from ? call.to : call.from) ?? "")
            } else {
                fields["phone"] = .text(call.phone ?? "")
            }
            if let service = call.service { fields["service"] = .text(service) }
            if let group = call.group { fields["group"] = .text(group) }
            if let at = call.queuedAt { fields["queuedAt"] = seconds(at) }
            // An outbound call's ring is the workstation's from its dial; an inbound one's the switch's.
            if call.type == .inbound, let at = call.ringingAt { fields["ringingAt"] = seconds(at) }
            if let at = call.answeredAt { fields["answeredAt"] = seconds(at) }
            if let of = call.consultOf { fields["consultOf"] = .text(of.uuidString) }
            let id = Attendance.id(call: call.id, agent: agent)
            return SyncOperation(
                id: UUID(derivedFrom: "host/attendance/\(id.uuidString)"), entity: .attendance, entityID: id.uuidString,
                kind: .insert, hlc: stamp, fields: fields)
        }
    }

    /// The loss of a caller who gave up (in the queue, or ringing out at an agent): one per call,
    /// the first (a call that rang out at an agent and was then abandoned in the queue is one loss).
    public static func loss(of call: SwitchCall, place: String, at now: Date, stamp: HLCStamp) -> SyncOperation? {
        guard let service = call.service, let phone = call.phone else { return nil }
        var fields: [String: SyncValue] = [
            "callID": .text(call.id.uuidString), "service": .text(service), "phone": .text(phone), "place": .text(place),
            "at": seconds(now),
        ]
        if let group = call.group { fields["group"] = .text(group) }
        let id = UUID(derivedFrom: "loss/\(call.id.uuidString)")
        return SyncOperation(
            id: UUID(derivedFrom: "host/loss/\(id.uuidString)"), entity: .loss, entityID: id.uuidString, kind: .insert, hlc: stamp,
            fields: fields)
    }

    /// A time as records keep it: whole seconds since 1970.
    static func seconds(_ date: Date) -> SyncValue {
        .integer(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
