import AtendeCore
import AtendeStore
import AtendeSync
import Foundation
import Testing
import TestSupport

/// Attendances the switch's host recorded, pulled into a workstation's store: written once, with a
/// number of their own, never beside the agent's own record of the same call.
@Suite struct PulledAttendanceTests {
    func pull(_ store: Store, _ operations: [SyncOperation], checkpoint: UInt64) throws {
        let changes = operations.enumerated().map { SyncChange(sequence: checkpoint - UInt64(operations.count - 1 - $0.offset), operation: $0.element, origin: SyncHost.origin) }
        _ = try store.sync.apply(SyncPage(changes: changes, checkpoint: checkpoint, complete: true, remaining: changes.count)) { change, kept, _ in
            let (replica, lost) = SyncMerge.apply(change.operation, from: change.origin, to: kept)
            return PulledRecord(replica: replica, shown: replica, overwrites: lost)
        }
    }

    func hostAttendance(_ call: UUID, at now: Date) -> SyncOperation {
        var c = SwitchCall(id: call, type: .inbound, phase: .ended)
        c.service = "Suporte"
        c.group = "receptivas"
        c.phone = "4832819500"
        c.agent = "2050"
        c.queuedAt = now.addingTimeInterval(-60)
        c.ringingAt = now.addingTimeInterval(-50)
        c.answeredAt = now.addingTimeInterval(-45)
        c.endedAt = now
        let stamp = HLCStamp(millis: HybridLogicalClock.millis(now), counter: 0, node: "switch")
        return SyncHost.attendances(of: c, reason: .customer, by: nil, at: now, stamp: stamp) { $0 == "2050" ? "fabio" : nil }[0]
    }

    @Test func aHostsAttendanceIsWrittenOnceWithItsCountsAndNotBesideTheAgentsOwn() throws {
        let f = try StoreFixture()
        let now = f.clock.now()
        let first = UUID()
        try pull(f.store, [hostAttendance(first, at: now)], checkpoint: 1)
        #expect(try f.sql("SELECT number, agent, talk_seconds, wait_seconds, ended_by FROM attendances") == "1|fabio|45|15|customer")
        #expect(try f.sql("SELECT id FROM attendances") == Attendance.id(call: first, agent: "fabio").uuidString)
        // Again (a cursor moved back): nothing more.
        try pull(f.store, [hostAttendance(first, at: now)], checkpoint: 2)
        #expect(try f.sql("SELECT COUNT(*) FROM attendances") == "1")
        #expect(try f.store.pendingOutboxCount() == 0)

        // A call the agent recorded here under an id of its own (an earlier version's): the host's
        // record of it is not written beside it.
        let second = UUID()
        try f.store.attendances.add(Attendance(
            type: .inbound, service: "Suporte", phone: "4832819500", agent: "fabio", group: "receptivas", extension: "2050",
            answeredAt: now.addingTimeInterval(-45), endedAt: now, callID: second))
        try pull(f.store, [hostAttendance(second, at: now)], checkpoint: 3)
        #expect(try f.sql("SELECT COUNT(*) FROM attendances") == "2")
    }
}
