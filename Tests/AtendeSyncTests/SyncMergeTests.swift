import AtendeCore
import AtendeSync
import Foundation
import Testing

/// The conflict rules of each entity, the same on every replica.
struct SyncMergeTests {
    let fabio = SyncOrigin(workstation: "ws-fabio", agent: "fabio")
    let luan = SyncOrigin(workstation: "ws-luan", agent: "luan")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func stamp(_ seconds: Int, _ node: String = "a") -> HLCStamp {
        HLCStamp(millis: HybridLogicalClock.millis(now) + Int64(seconds) * 1000, counter: 0, node: node)
    }

    func op(
        _ entity: SyncEntity, _ kind: SyncOperationKind = .update, at seconds: Int, node: String = "a",
        _ fields: [String: SyncValue] = [:], bases: [String: HLCStamp] = [:]
    ) -> SyncOperation {
        SyncOperation(id: UUID(), entity: entity, entityID: "e1", kind: kind, hlc: stamp(seconds, node), fields: fields, bases: bases)
    }

    func run(_ ops: [(SyncOperation, SyncOrigin)]) -> (SyncRecord?, Set<SyncOverwrite>) {
        var record: SyncRecord?
        var lost: Set<SyncOverwrite> = []
        for (o, origin) in ops {
            let (r, l) = SyncMerge.apply(o, from: origin, to: record)
            record = r
            lost.formUnion(l)
        }
        return (record, lost)
    }

    @Test func anAgendaEventsTwoFieldsEditedOnTwoWorkstationsBothSurviveAndTheSameFieldLosesOneKeptValue() {
        let created = op(.agenda, .insert, at: 0, ["title": .text("Retornar"), "at": .integer(100)])
        let base = ["title": created.hlc, "at": created.hlc]
        let fabioTitle = op(.agenda, at: 10, node: "f", ["title": .text("Retornar à Maria")], bases: base)
        let luanTime = op(.agenda, at: 12, node: "l", ["at": .integer(200)], bases: base)
        let (a, lostA) = run([(created, fabio), (fabioTitle, fabio), (luanTime, luan)])
        let (b, lostB) = run([(created, fabio), (luanTime, luan), (fabioTitle, fabio)])
        #expect(a == b)
        #expect(a?.fields == ["title": .text("Retornar à Maria"), "at": .integer(200)])
        // Each wrote over what it had seen: an edit each, no conflict.
        #expect(lostA.isEmpty && lostB.isEmpty)

        // Both edit the title without seeing the other's: the later stays, the earlier is kept.
        let luanTitle = op(.agenda, at: 9, node: "l", ["title": .text("Ligar à tarde")], bases: base)
        let (c, lostC) = run([(created, fabio), (fabioTitle, fabio), (luanTitle, luan)])
        let (d, lostD) = run([(created, fabio), (luanTitle, luan), (fabioTitle, fabio)])
        #expect(c == d && c?.fields["title"] == .text("Retornar à Maria"))
        #expect(lostC == lostD)
        #expect(lostC.map(\.lost) == [.text("Ligar à tarde")] && lostC.first?.lostOrigin == luan && lostC.first?.reason == .concurrent)
    }

    @Test func aDeletedSharedRecordStaysDeletedAndAnEditAfterItIsKept() {
        let created = op(.contact, .insert, at: 0, ["name": .text("Maria")])
        let deletion = op(.contact, .delete, at: 5, node: "f")
        let late = op(.contact, at: 9, node: "l", ["name": .text("Maria Souza")], bases: ["name": created.hlc])
        let (a, lostA) = run([(created, fabio), (deletion, fabio), (late, luan)])
        let (b, lostB) = run([(created, fabio), (late, luan), (deletion, fabio)])
        #expect(a == b && a?.isDeleted == true)
        #expect(lostA == lostB && lostA.map(\.reason) == [.deleted] && lostA.first?.lost == .text("Maria Souza"))
        // An edit older than the deletion is history, not a conflict.
        let early = op(.contact, at: 3, node: "l", ["name": .text("Maria S.")], bases: ["name": created.hlc])
        #expect(run([(created, fabio), (deletion, fabio), (early, luan)]).1.isEmpty)
    }

    @Test func anOwnedNoteIsItsLatestWriteWholeAndAConcurrentOneIsKept() {
        let created = op(.note, .insert, at: 0, ["text": .text("a")])
        let edited = op(.note, at: 4, ["text": .text("b")], bases: ["*": created.hlc])
        // fabio on another workstation, not having seen the edit.
        let other = SyncOrigin(workstation: "ws-2", agent: "fabio")
        let elsewhere = op(.note, at: 3, node: "x", ["text": .text("c")], bases: ["*": created.hlc])
        let (a, lostA) = run([(created, fabio), (edited, fabio), (elsewhere, other)])
        let (b, lostB) = run([(created, fabio), (elsewhere, other), (edited, fabio)])
        #expect(a == b && a?.fields == ["text": .text("b")])
        #expect(lostA == lostB && lostA.map(\.lost) == [.object(["text": .text("c")])])
        // One workstation's edits one after the other are edits, not conflicts, whatever it knew.
        let again = op(.note, at: 6, ["text": .text("d")])
        #expect(run([(created, fabio), (edited, fabio), (again, fabio)]).1.isEmpty)
        // The same operation twice is applied once.
        #expect(run([(created, fabio), (edited, fabio), (edited, fabio)]).1.isEmpty)
    }

    @Test func aWrittenOnceRecordKeepsItsFirstValuesAndFlagsADifferentOne() {
        let switchSide = op(.attendance, .insert, at: 0, ["call_id": .text("c1"), "talk_s": .integer(61)])
        let agentSide = op(.attendance, .insert, at: 1, node: "f", ["talk_s": .integer(59), "qualification": .text("VENDA")])
        let (r, lost) = run([(switchSide, fabio), (agentSide, fabio), (switchSide, fabio)])
        #expect(r?.fields == ["call_id": .text("c1"), "talk_s": .integer(61), "qualification": .text("VENDA")])
        #expect(lost.map(\.reason) == [.mismatch] && lost.first?.lost == .integer(59))
        #expect(SyncMerge.check(op(.attendance, .delete, at: 2), now: now) == .notDeletable)
    }

    @Test func aStampTooFarAheadOfTheClockIsRefusedWithHowFar() {
        #expect(SyncMerge.check(op(.note, at: 300), now: now) == nil)
        #expect(SyncMerge.check(op(.note, at: 3600), now: now) == .aheadOfClock(seconds: 3600))
        var newer = op(.note, at: 0)
        newer.schema = 99
        #expect(SyncMerge.check(newer, now: now) == .unknownSchema(99))
    }

    /// Random operations on one record from three writers, applied in many orders: every replica
    /// ends with the same record and the same kept values.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func everyOrderGivesTheSameRecord(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        for entity in [SyncEntity.agenda, .note, .contact] {
            var ops: [(SyncOperation, SyncOrigin)] = []
            for i in 0..<12 {
                let kind: SyncOperationKind = Int.random(in: 0..<8, using: &rng) == 0 ? .delete : .update
                let field = ["title", "at", "notes"].randomElement(using: &rng)!
                // Each from a workstation of its own: none saw another's write.
                let writer = SyncOrigin(workstation: "ws-\(i)", agent: ["fabio", "luan"].randomElement(using: &rng)!)
                let fields: [String: SyncValue] = kind == .delete ? [:] : [field: .integer(Int64.random(in: 0..<3, using: &rng))]
                ops.append((op(entity, kind, at: Int.random(in: 0..<20, using: &rng), node: "n\(i)", fields), writer))
            }
            let (first, firstLost) = run(ops)
            for _ in 0..<20 {
                let (other, otherLost) = run(ops.shuffled(using: &rng))
                #expect(other == first, "\(entity) seed \(seed)")
                // Every write that is not the record is kept,
                // whatever the order.
                for (o, _) in ops where o.kind == .update {
                    for field in o.fields.keys {
                        let kept = otherLost.contains { $0.lostStamp == o.hlc && ($0.field == field || $0.field == "*") }
                        if entity == .note {
                            #expect(first?.stamps["*"] == o.hlc || kept, "note seed \(seed): \(o.hlc) lost without a trace")
                        } else if first?.stamps[field] == o.hlc {
                            // The field's value: lost only if the record was deleted before it was written.
                            let afterDeletion = first?.deleted.map { o.hlc > $0 } ?? false
                            #expect(!afterDeletion || kept, "\(entity) seed \(seed): \(field) at \(o.hlc), after the deletion, not kept")
                        } else {
                            #expect(kept, "\(entity) seed \(seed): \(field) at \(o.hlc) lost without a trace")
                        }
                    }
                }
            }
            _ = firstLost
        }
    }


    @Test func anOperationCrossesTheWireUnchanged() throws {
        let o = op(.contact, .insert, at: 1, ["name": .text("Zé"), "phones": .list([.object(["e164": .text("+554832819500")])]),
                                              "vip": .bool(true), "score": .real(1.5), "notes": .null], bases: ["name": stamp(0)])
        let data = try JSONEncoder().encode(o)
        #expect(try JSONDecoder().decode(SyncOperation.self, from: data) == o)
        #expect(String(decoding: data, as: UTF8.self).contains(#""entity":"contact""#))
    }
}
