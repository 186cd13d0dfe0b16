@testable import AtendeServer
import AtendeCore
import AtendeServerStore
import AtendeSync
import Foundation
import Testing
import TestSupport

/// The server's history as `atende admin export` reads it (RP-6): pages after a key that never
/// repeat or skip a row, in the order attendances started; the filters; the latest qualification;
/// the mismatches with the switch's record; and what each role may ask for.
struct ServerHistoryTests {
    /// A server store holding `attendances` (agent, group, start) pushed by a workstation.
    static func store(_ dir: TemporaryDirectory, _ attendances: [(agent: String, group: String, start: Int64)]) throws -> ServerStore {
        let store = try ServerStore(path: dir.url.appendingPathComponent("server.sqlite").path)
        var millis: Int64 = 1
        func stamp() -> HLCStamp {
            millis += 1
            return HLCStamp(millis: millis, counter: 0, node: "w1")
        }
        var operations: [SyncOperation] = []
        for (i, a) in attendances.enumerated() {
            operations.append(
                SyncOperation(
                    id: .random(), entity: .attendance, entityID: Self.id(i), kind: .insert, hlc: stamp(),
                    fields: [
                        "agent": .text(a.agent), "group": .text(a.group), "type": .text("inbound"), "phone": .text("483281950\(i)"),
                        "answeredAt": .integer(a.start), "endedAt": .integer(a.start + 90), "talkSeconds": .integer(90),
                    ]))
        }
        _ = try store.applyPush(SyncPush(workstation: "w1", operations: operations), agent: "fabio", at: Date(), decide: Self.merge)
        return store
    }

    static func id(_ i: Int) -> String { UUID(derivedFrom: "history-test/\(i)").uuidString }

    static func merge(_ operation: SyncOperation, _ record: SyncRecord?, _ owner: String?) -> SyncDecision {
        let (merged, lost) = SyncMerge.apply(operation, from: SyncOrigin(workstation: "w1", agent: "fabio"), to: record)
        return .apply(record: merged, owner: nil, audiences: ["all"], overwrites: lost)
    }

    @Test func pagesFollowTheStartsWithoutRepeatingOrSkippingEvenWhenStartsAreEqual() throws {
        let dir = try TemporaryDirectory()
        // Seven attendances, three of them starting in the same second, pushed out of order.
        let starts: [Int64] = [500, 100, 300, 300, 300, 200, 400]
        let store = try Self.store(dir, starts.map { ("fabio", "receptivas", $0) })
        let all = HistoryQuery(from: 0, to: 10_000)
        #expect(try store.historyCount(all) == 7)
        var read: [HistoryRow] = []
        var after: HistoryKey?
        while true {
            let page = try store.history(all, after: after, limit: 2)
            guard let last = page.last else { break }
            read += page
            after = last.key
        }
        #expect(read.map(\.answeredAt) == [100, 200, 300, 300, 300, 400, 500])
        #expect(Set(read.map(\.id)).count == 7)
        // Inclusive bounds, whole seconds.
        #expect(try store.history(HistoryQuery(from: 200, to: 300), after: nil, limit: 100).map(\.answeredAt) == [200, 300, 300, 300])
        #expect(try store.historyCount(HistoryQuery(from: 301, to: 399)) == 0)
    }

    @Test func aRowCarriesItsLatestQualificationAndItsMismatchesWithTheSwitch() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.store(dir, [("fabio", "receptivas", 100), ("luan", "ativas", 200)])
        let first = Self.id(0)
        let qualifications = [("SUPORTE", Int64(150)), ("VENDA", 170), ("RECLAMACAO", 160)].map { code, at in
            SyncOperation(
                id: .random(), entity: .qualification, entityID: UUID.random().uuidString, kind: .insert,
                hlc: HLCStamp(millis: 10_000 + at, counter: 0, node: "w1"),
                fields: ["attendanceID": .text(first), "code": .text(code), "agent": .text("fabio"), "createdAt": .integer(at)])
        }
        // The switch's record of the first says another phone: a mismatch, kept beside the record.
        let host = SyncOperation(
            id: .random(), entity: .attendance, entityID: first, kind: .insert, hlc: HLCStamp(millis: 20_000, counter: 0, node: "switch"),
            fields: ["phone": .text("4899999999"), "endedBy": .text("customer")])
        _ = try store.applyPush(SyncPush(workstation: "w1", operations: qualifications + [host]), agent: "fabio", at: Date(), decide: Self.merge)
        let rows = try store.history(HistoryQuery(from: 0, to: 1000), after: nil, limit: 10)
        #expect(rows.map(\.qualification) == ["VENDA", nil])
        #expect(rows.map(\.mismatches) == [1, 0])
        #expect(rows.first?.phone == "4832819500")
        #expect(rows.first?.endedBy == "customer")
        #expect(try store.history(HistoryQuery(from: 0, to: 1000, agent: "LUAN"), after: nil, limit: 10).map(\.agent) == ["luan"])
        #expect(try store.history(HistoryQuery(from: 0, to: 1000, groups: ["Receptivas"]), after: nil, limit: 10).map(\.agent) == ["fabio"])
        #expect(try store.historyCount(HistoryQuery(from: 0, to: 1000, groups: [])) == 0)
    }

    @Test func anAdminAsksForAnyoneASupervisorWithinTheirGroupsAnAgentForThemselvesOnly() throws {
        let fabio = Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"])
        var supervisor = Agent(nickname: "luan", name: "Luan", extension: "2071", groups: ["ativas"])
        supervisor.role = .supervisor
        var admin = Agent(nickname: "intelbras", name: "Intelbras", extension: "2048", groups: ["receptivas"])
        admin.role = .admin
        let registry = Registry(
            groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")], services: [],
            agents: [fabio, supervisor, admin], pauseReasons: [], qualificationCodes: [], recordingReasons: [])
        func query(_ agent: String?, by viewer: Agent) -> Result<HistoryQuery, ServerProblem> {
            CallCenterServer.historyQuery(from: 0, to: 10, agent: agent, by: viewer, registry: registry)
        }
        #expect(try query(nil, by: admin).get() == HistoryQuery(from: 0, to: 10))
        #expect(try query("Fabio", by: admin).get() == HistoryQuery(from: 0, to: 10, agent: "fabio"))
        #expect(try query(nil, by: supervisor).get() == HistoryQuery(from: 0, to: 10, groups: ["ativas"]))
        #expect(try query(nil, by: fabio).get() == HistoryQuery(from: 0, to: 10, agent: "fabio"))
        #expect(try query("fabio", by: fabio).get() == HistoryQuery(from: 0, to: 10, agent: "fabio"))
        #expect(query("luan", by: fabio).failure?.code == .forbidden)
        #expect(query("ninguem", by: admin).failure?.code == .notFound)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
