import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// The switch's host writes what its switch did into sync (issue 12, items 5 and 7): each call an
/// agent had is one attendance, under the id the agent's workstation gives it, on the server and on
/// the workstation, even when the workstation died during the call; each caller who gave up is one
/// loss, pulled by the group's workstations.
@Suite(.serialized)
struct SwitchRecordSyncTests {
    @Test func everyCallIsOneAttendanceOnBothSidesEvenWhenTheWorkstationDiedDuringIt() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let fabioDir = tmp.url.appendingPathComponent("fabio")
        var fabio = try FloorTests.workstation("fabio", server: server, dir: fabioDir)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let admin = try await server.login("intelbras")

        // A call answered, ended and qualified on the workstation: the server's record of it and
        // the workstation's are one attendance, with nothing that differs.
        try await Self.answerAndQualify(fabio, dir: fabioDir, server: server, admin: admin)
        let first = try SyncAcceptanceTests.query(fabioDir, "SELECT id FROM attendances")
        #expect(try server.query("SELECT entity_id FROM sync_records WHERE entity = 'attendance'") == first)
        // Written by both: the switch's host and the workstation.
        #expect(try server.query("SELECT COUNT(*) FROM sync_changes WHERE json_extract(operation, '$.entityID') = '\(first)'") == "2")
        #expect(try server.query("SELECT COUNT(*) FROM sync_changes WHERE json_extract(operation, '$.entityID') = '\(first)' AND json_extract(origin, '$.workstation') = 'switch'") == "1")
        let mismatches = try server.query("SELECT group_concat(field || '=' || lost, ' ') FROM sync_conflicts")
        #expect(mismatches == "", "\(mismatches)")
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM sync_conflicts") == "0")
        #expect(try server.query("SELECT json_extract(record, '$.fields.holdSeconds') IS NOT NULL FROM sync_records WHERE entity = 'attendance'") == "1")

        // The workstation dies during the next call; the customer hangs up meanwhile.
        try await Self.dieDuringACall(fabio, server: server, admin: admin)
        #expect(try server.query("SELECT COUNT(*) FROM calls") == "2")

        // Back, the workstation gets the attendance from the server: the switch's times, a number of its own.
        fabio = try SyncAcceptanceTests.reopen("fabio", dir: fabioDir, server: server)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        #expect(try SyncAcceptanceTests.sync(fabio) {
            try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM attendances") == "2"
        })
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT number, phone, agent, ended_by FROM attendances WHERE phone = '4832819501'")
            == "2|4832819501|fabio|customer")
        let second = try SyncAcceptanceTests.query(fabioDir, "SELECT id FROM attendances WHERE phone = '4832819501'")
        #expect(try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'attendance'") == "2")
        #expect(try server.query("SELECT COUNT(*) FROM sync_records WHERE entity_id = '\(second)'") == "1")
        // Nothing of it queued back, and `calls` shows it.
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox WHERE entity = 'attendance'") == "0")
        fabio.type("calls")
        #expect(fabio.waitFor("4832819501"))

        // A caller who gives up in the queue is one loss, on the server and in the agent's `losses`.
        fabio.type("pause")
        #expect(fabio.waitFor("Paused"))
        _ = try await server.client.call(phone: "4832819502", service: "Suporte", token: admin.token)
        _ = try await server.client.network(.abandon(queue: "receptivas"), token: admin.token)
        #expect(try SyncAcceptanceTests.sync(fabio) {
            try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM losses") == "1"
        })
        #expect(try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'loss'") == "1")
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT phone, abandoned_in_queue FROM losses") == "4832819502|1")
        fabio.type("losses")
        #expect(fabio.waitFor("4832819502"))
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox WHERE entity = 'loss'") == "0")
        fabio.type("exit --force")
        _ = fabio.finish()

        // Pulled again from the start, nothing is written or counted twice.
        _ = try SyncAcceptanceTests.query(fabioDir, "UPDATE sync_cursors SET cursor = '0'")
        fabio = try SyncAcceptanceTests.reopen("fabio", dir: fabioDir, server: server)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        #expect(try SyncAcceptanceTests.sync(fabio) { try SyncAcceptanceTests.query(fabioDir, "SELECT CAST(cursor AS INTEGER) > 0 FROM sync_cursors") == "1" })
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*), SUM(abandoned_in_queue) FROM losses") == "1|1")
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM attendances") == "2")
        #expect(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM qualifications") == "1")
        fabio.type("exit --force")
        _ = fabio.finish()
    }

    /// fabio's first call through the server: rung, answered, hung up and qualified SUPORTE on the
    /// workstation, then synced (the qualification on the server, the outbox empty).
    static func answerAndQualify(_ fabio: RunningAtende, dir: URL, server: RunningServer, admin: ServerLogin) async throws {
        _ = try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        #expect(fabio.waitFor("Ringing: Suporte"))
        fabio.type("answer")
        #expect(fabio.waitFor("Answered: Suporte"))
        fabio.type("hangup")
        #expect(fabio.waitFor("Qualify attendance 1"))
        fabio.type("qualify SUPORTE resolvido")
        #expect(try SyncAcceptanceTests.sync(fabio) {
            try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'qualification'") == "1"
                && SyncAcceptanceTests.query(dir, "SELECT COUNT(*) FROM outbox") == "0"
        })
    }

    /// fabio's second call: answered, then the workstation is killed (`kill -9`) and the customer
    /// hangs up; only the switch's host records it.
    static func dieDuringACall(_ fabio: RunningAtende, server: RunningServer, admin: ServerLogin) async throws {
        _ = try await server.client.call(phone: "4832819501", service: "Suporte", token: admin.token)
        #expect(fabio.waitUntil(timeout: 10) { out, _ in out.components(separatedBy: "Ringing: Suporte").count > 2 })
        fabio.type("answer")
        #expect(fabio.waitUntil(timeout: 10) { out, _ in out.components(separatedBy: "Answered: Suporte").count > 2 })
        Foundation.kill(fabio.process.processIdentifier, SIGKILL)
        fabio.process.waitUntilExit()
        _ = try await server.client.network(.hangup(callOrExtension: "2050"), token: admin.token)
    }
}
