import AtendeCore
import AtendeSync
import Foundation
import Testing

/// What the switch's host writes into sync from its record of a call: the attendances under the
/// ids the agents' workstations give theirs, and one loss per call.
struct SyncHostTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000.75)
    let stamp = HLCStamp(millis: 1_800_000_000_750, counter: 0, node: "switch")
    let agents = ["2050": "fabio", "2071": "luan"]

    func call(_ type: CallType) -> SwitchCall {
        var c = SwitchCall(id: UUID(), type: type, phase: .ended)
        c.service = type == .inbound ? "Suporte" : nil
        c.group = type == .inbound ? "receptivas" : nil
        c.phone = type == .internal ? nil : "4832819500"
        c.queuedAt = type == .inbound ? now.addingTimeInterval(-60) : nil
        c.ringingAt = now.addingTimeInterval(-50)
        c.answeredAt = now.addingTimeInterval(-45)
        c.endedAt = now
        return c
    }

    @Test func anAnsweredQueueCallIsTheAgentsAttendanceUnderTheWorkstationsIdInWholeSeconds() {
        let c = call(.inbound)
        var answered = c
        answered.agent = "2050"
        let ops = SyncHost.attendances(of: answered, reason: .customer, by: nil, at: now, stamp: stamp) { agents[$0] }
        #expect(ops.count == 1)
        let op = ops[0]
        #expect(op.entity == .attendance && op.entityID == Attendance.id(call: c.id, agent: "fabio").uuidString)
        #expect(op.fields["agent"] == .text("fabio") && op.fields["extension"] == .text("2050"))
        #expect(op.fields["endedAt"] == .integer(1_800_000_000) && op.fields["answeredAt"] == .integer(1_799_999_955))
        #expect(op.fields["endedBy"] == .text("customer") && op.fields["group"] == .text("receptivas"))
        // Written again (a commit retried), it is the same operation: applied once.
        #expect(SyncHost.attendances(of: answered, reason: .customer, by: nil, at: now, stamp: stamp) { agents[$0] } == ops)
        // The agent's own write of the same values fills nothing and flags nothing; a different
        // end time is a mismatch, kept with the host's value.
        let (record, _) = SyncMerge.apply(op, from: SyncHost.origin, to: nil)
        var same = op
        same.id = UUID()
        same.hlc = HLCStamp(millis: stamp.millis + 5, counter: 0, node: "ws")
        same.fields["endedAt"] = .real(1_800_000_000)
        same.fields["holdSeconds"] = .integer(3)
        let fabio = SyncOrigin(workstation: "ws-fabio", agent: "fabio")
        let (filled, none) = SyncMerge.apply(same, from: fabio, to: record)
        #expect(none.isEmpty && filled.fields["holdSeconds"] == .integer(3))
        var other = same
        other.id = UUID()
        other.fields["endedAt"] = .integer(1_800_000_030)
        let (kept, lost) = SyncMerge.apply(other, from: fabio, to: filled)
        #expect(kept.fields["endedAt"] == .integer(1_800_000_000))
        #expect(lost.map(\.field) == ["endedAt"] && lost.first?.reason == .mismatch)
    }

    @Test func anInternalCallIsBothAgentsAndACallNobodyAnsweredIsNoOnes() {
        var c = call(.internal)
        c.from = "2050"
        c.to = "2071"
        c.agent = "2071"
        let ops = SyncHost.attendances(of: c, reason: .agent, by: "2050", at: now, stamp: stamp) { agents[$0] }
        #expect(ops.map { $0.fields["agent"] } == [.text("fabio"), .text("luan")])
        #expect(ops.map { $0.fields["phone"] } == [.text("2071"), .text("2050")])
        #expect(ops.map { $0.fields["endedBy"] } == [.text("agent"), .text("customer")])
        var unanswered = call(.inbound)
        unanswered.answeredAt = nil
        unanswered.agent = "2050"
        #expect(SyncHost.attendances(of: unanswered, reason: .customer, by: nil, at: now, stamp: stamp) { agents[$0] }.isEmpty)
        #expect(SyncHost.attendances(of: call(.inbound), reason: .abandonedInQueue, by: nil, at: now, stamp: stamp) { agents[$0] }.isEmpty)
        // An extension no agent is on leaves nothing to anyone.
        var stranger = call(.outbound)
        stranger.from = "2999"
        #expect(SyncHost.attendances(of: stranger, reason: .agent, by: nil, at: now, stamp: stamp) { agents[$0] }.isEmpty)
    }

    @Test func aCallThatRangOutAndWasThenAbandonedIsOneLoss() {
        let c = call(.inbound)
        let rangOut = SyncHost.loss(of: c, place: "agent", at: now, stamp: stamp)
        let abandoned = SyncHost.loss(of: c, place: "queue", at: now.addingTimeInterval(30), stamp: stamp)
        #expect(rangOut != nil && rangOut?.id == abandoned?.id && rangOut?.entityID == abandoned?.entityID)
        #expect(rangOut?.fields["group"] == .text("receptivas") && rangOut?.fields["place"] == .text("agent"))
        #expect(SyncHost.loss(of: call(.internal), place: "queue", at: now, stamp: stamp) == nil)
    }
}
