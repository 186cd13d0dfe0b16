import AtendeCore
import AtendeRemote
import AtendeSync
import Foundation
import Testing
import TestSupport

/// The sync endpoint of a real server process (SV-5): each operation applied once, acknowledged
/// one by one, only by its owner, visible to whom it concerns, its conflicts kept.
@Suite(.serialized)
struct SyncEndpointTests {
    func stamp(_ offset: TimeInterval = 0, _ node: String) -> HLCStamp {
        HLCStamp(millis: HybridLogicalClock.millis(Date().addingTimeInterval(offset)), counter: 0, node: node)
    }

    func op(_ entity: SyncEntity, _ id: String, _ fields: [String: SyncValue], kind: SyncOperationKind = .insert,
            at offset: TimeInterval = 0, node: String, bases: [String: HLCStamp] = [:]) -> SyncOperation {
        SyncOperation(id: UUID(), entity: entity, entityID: id, kind: kind, hlc: stamp(offset, node), fields: fields, bases: bases)
    }

    @Test func aPushIsAppliedOnceAndEachAgentPullsWhatIsTheirs() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let fabio = try await server.login("fabio"), luan = try await server.login("luan")
        let note = op(.note, "n1", ["agent": .text("fabio"), "text": .text("Ligar para a Maria")], node: "f")
        let agenda = op(.agenda, "a1", ["agent": .text("fabio"), "name": .text("Retorno")], node: "f")
        let contact = op(.contact, "c1", ["name": .text("Maria Souza")], node: "f")
        let push = SyncPush(workstation: "ws-fabio", operations: [note, agenda, contact])

        let first = try await server.client.syncPush(push, token: fabio.token)
        #expect(first.acks.map(\.outcome) == [.applied, .applied, .applied])
        // The reply was lost and the workstation pushes the same batch again: nothing is applied twice.
        let again = try await server.client.syncPush(push, token: fabio.token)
        #expect(again.acks.map(\.outcome) == [.duplicate, .duplicate, .duplicate] && again.acks.allSatisfy(\.isDone))
        #expect(try server.query("SELECT COUNT(*) FROM sync_changes") == "3")
        #expect(try server.query("SELECT COUNT(*) FROM sync_operations") == "3")

        // fabio sees his three; luan only the shared contact, and is complete as far as fabio.
        let fabiosPage = try await server.client.syncPull(after: 0, token: fabio.token)
        #expect(fabiosPage.changes.map(\.operation) == [note, agenda, contact] && fabiosPage.complete)
        #expect(fabiosPage.changes.first?.origin == SyncOrigin(workstation: "ws-fabio", agent: "fabio"))
        let luansPage = try await server.client.syncPull(after: 0, token: luan.token)
        #expect(luansPage.changes.map(\.operation) == [contact])
        #expect(luansPage.complete && luansPage.checkpoint == fabiosPage.checkpoint)
        #expect(try await server.client.syncPull(after: luansPage.checkpoint, token: luan.token).changes.isEmpty)

        // Pages: one change at a time, with how many remain.
        let one = try await server.client.syncPull(after: 0, limit: 1, token: fabio.token)
        #expect(one.changes.map(\.operation) == [note] && !one.complete && one.remaining == 3)
        let two = try await server.client.syncPull(after: one.checkpoint, limit: 1, token: fabio.token)
        #expect(two.changes.map(\.operation) == [agenda] && two.remaining == 2)
        _ = server.terminate()
    }

    @Test func anotherAgentsRecordAndALossAreRefusedForGoodAndAClockAheadForNow() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let fabio = try await server.login("fabio"), luan = try await server.login("luan")
        let note = op(.note, "n1", ["agent": .text("fabio"), "text": .text("minha")], node: "f")
        _ = try await server.client.syncPush(SyncPush(workstation: "ws-fabio", operations: [note]), token: fabio.token)

        let theirs = op(.note, "n1", ["text": .text("de outro")], kind: .update, node: "l")
        let claimed = op(.note, "n2", ["agent": .text("fabio"), "text": .text("em nome dele")], node: "l")
        let loss = op(.loss, "l1", ["group": .text("receptivas")], node: "l")
        var ahead = op(.contact, "c1", ["name": .text("Do futuro")], at: 3600, node: "l")
        let push = SyncPush(workstation: "ws-luan", operations: [theirs, claimed, loss, ahead])
        let acks = try await server.client.syncPush(push, token: luan.token).acks
        #expect(acks.map(\.isDone) == [true, true, true, false])
        guard case .refused(.forbidden) = acks[0].outcome, case .refused(.forbidden) = acks[1].outcome,
            case .refused(.forbidden) = acks[2].outcome, case .refused(.aheadOfClock(let seconds)) = acks[3].outcome
        else {
            Issue.record("unexpected answers: \(acks)")
            return
        }
        #expect((3590...3610).contains(seconds))
        #expect(try await server.client.syncPull(after: 0, token: fabio.token).changes.map(\.operation) == [note])
        // Refusals for good are kept and answered the same; the clock ahead is decided again once restamped.
        #expect(try server.query("SELECT COUNT(*) FROM sync_operations WHERE outcome LIKE '%refused%'") == "3")
        ahead.hlc = stamp(0, "l")
        let retried = try await server.client.syncPush(SyncPush(workstation: "ws-luan", operations: [theirs, ahead]), token: luan.token)
        #expect(retried.acks[0].outcome == acks[0].outcome && retried.acks[1].outcome == .applied)
        _ = server.terminate()
    }

    @Test func twoAgentsEditingOneContactKeepBothFieldsAndTheLostValue() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let fabio = try await server.login("fabio"), luan = try await server.login("luan")
        let created = op(.contact, "c1", ["name": .text("Maria"), "company": .text("Acme")], at: -60, node: "f")
        _ = try await server.client.syncPush(SyncPush(workstation: "ws-fabio", operations: [created]), token: fabio.token)
        let seen = ["name": created.hlc, "company": created.hlc]
        // Offline, each edits: fabio the name, luan the name and the company; luan's name is older.
        let fabiosName = op(.contact, "c1", ["name": .text("Maria Souza")], kind: .update, at: -10, node: "f", bases: seen)
        let luansEdit = op(.contact, "c1", ["name": .text("Maria S."), "company": .text("Acme Ltda")], kind: .update, at: -20, node: "l", bases: seen)
        _ = try await server.client.syncPush(SyncPush(workstation: "ws-luan", operations: [luansEdit]), token: luan.token)
        _ = try await server.client.syncPush(SyncPush(workstation: "ws-fabio", operations: [fabiosName]), token: fabio.token)
        #expect(try server.query("SELECT json_extract(record, '$.fields.name') || '|' || json_extract(record, '$.fields.company') FROM sync_records") == "Maria Souza|Acme Ltda")
        #expect(try server.query("SELECT field || '|' || lost || '|' || lost_agent || '|' || reason FROM sync_conflicts") == #"name|"Maria S."|luan|concurrent"#)
        _ = server.terminate()
    }

    @Test func aPushLargerThanOneTransactionIsAppliedWholeInOrder() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let fabio = try await server.login("fabio")
        let notes = (0..<450).map { op(.note, "n\($0)", ["agent": .text("fabio"), "text": .text("nota \($0)")], node: "f\($0)") }
        let acks = try await server.client.syncPush(SyncPush(workstation: "ws-fabio", operations: notes), token: fabio.token).acks
        #expect(acks.map(\.id) == notes.map(\.id) && acks.allSatisfy { $0.outcome == .applied })
        var cursor: UInt64 = 0
        var pulled: [SyncOperation] = []
        while true {
            let page = try await server.client.syncPull(after: cursor, limit: 100, token: fabio.token)
            pulled += page.changes.map(\.operation)
            cursor = page.checkpoint
            if page.complete { break }
        }
        #expect(pulled == notes)
        _ = server.terminate()
    }

    @Test func aPushTheServerCannotReadIsOneLineAndChangesNothing() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let fabio = try await server.login("fabio")
        do {
            _ = try await server.client.syncPush(SyncPush(workstation: "ws", operations: [], version: 99), token: fabio.token)
            Issue.record("a newer contract was taken")
        } catch {
            #expect(error.code == .badRequest && error.detail.contains("upgrade the server"))
        }
        do {
            _ = try await server.client.syncPull(after: 0, limit: 0, token: fabio.token)
            Issue.record("a page of 0 was given")
        } catch {
            #expect(error.code == .badRequest)
        }
        do {
            _ = try await server.client.syncPull(after: 0, token: "not-a-token")
            Issue.record("a pull without a login was answered")
        } catch {
            #expect(error.code == .unauthorized)
        }
        #expect(try server.query("SELECT COUNT(*) FROM sync_operations") == "0")
        _ = server.terminate()
    }
}
