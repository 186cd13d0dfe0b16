import AtendeCore
import Foundation
import Testing
import TestSupport

/// `sync` through the real binary: the outbox written offline goes to the server when asked,
/// once, and what waits is said in every case.
@Suite(.serialized)
struct SyncCommandTests {
    @Test func notesWrittenOfflineReachTheServerOnSyncAndAreSentOnce() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabio = try FloorTests.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        fabio.type("note add Ligar para a Maria")
        fabio.type("note add Retornar ao Pedro")
        // The notes and what the login wrote (the workstation's configuration), sent by this run
        // or by the background sync before it.
        #expect(try SyncAcceptanceTests.sync(fabio) {
            try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'note'") == "2"
        })
        #expect(fabio.waitFor("received; 0 waiting."))
        #expect(fabio.waitFor("Last complete sync: "))
        let first = Int(try server.query("SELECT COUNT(*) FROM sync_changes"))!
        #expect(first >= 2)
        #expect(try server.query("SELECT group_concat(json_extract(record, '$.fields.text'), '|') FROM sync_records WHERE entity = 'note'")
            .split(separator: "|").sorted() == ["Ligar para a Maria", "Retornar ao Pedro"])

        // The server goes: a note written now waits, and says so.
        server.kill()
        fabio.type("note add Escrita sem servidor")
        fabio.type("sync")
        #expect(fabio.waitFor("The server cannot be reached: 1 operation waits and goes when the link is back."))
        #expect(fabio.waitFor("The oldest has waited "))
        // It comes back on the same port and data: the note goes (by this run or the background
        // sync when the link came back), the first two are not sent again.
        let again = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        #expect(try SyncAcceptanceTests.sync(fabio) { try again.query("SELECT COUNT(*) FROM sync_changes") == "\(first + 1)" })
        #expect(try again.query("SELECT COUNT(*) FROM sync_changes") == "\(first + 1)")
        #expect(try again.query("SELECT COUNT(DISTINCT op_id) FROM sync_operations") == "\(first + 1)")
        fabio.type("exit --force")
        _ = again.terminate()
    }

    /// The server killed (`kill -9`) while a push of 10,000 operations is under way: after the
    /// restart each operation is held once, every contact once, and the outbox drains.
    @Test func aPushOfTenThousandOperationsKilledMidwayIsAppliedOnceAfterTheRestart() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabioDir = tmp.url.appendingPathComponent("fabio")
        let imported = try SyncAcceptanceTests.importContacts(10_000, into: fabioDir, server: server) { "48 32\(String(format: "%06d", $0))" }
        #expect(imported.status == 0, "\(imported.errorLines)")
        let queued = Int(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox"))!
        #expect(queued >= 10_000)

        // The login starts the push; the server is killed once part of it is applied.
        let watch = try SQLiteShell(path: server.database)
        let fabio = try SyncAcceptanceTests.reopen("fabio", dir: fabioDir, server: server)
        var applied = 0
        let deadline = Date().addingTimeInterval(60)
        while applied == 0, Date() < deadline {
            applied = Int(try watch.run("SELECT COUNT(*) FROM sync_changes WHERE json_extract(operation, '$.entity') = 'contact';")
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        server.kill()
        watch.close()
        let before = Int(try server.query("SELECT COUNT(*) FROM sync_changes WHERE json_extract(operation, '$.entity') = 'contact'"))!
        #expect(before > 0 && before < 10_000, "\(before) contacts applied when the server was killed")
        #expect(Int(try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox"))! > 0)

        let again = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        #expect(try SyncAcceptanceTests.sync(fabio) { try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try again.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'contact'") == "10000")
        #expect(try again.query("SELECT COUNT(*) FROM sync_changes WHERE json_extract(operation, '$.entity') = 'contact'") == "10000")
        #expect(try again.query("SELECT COUNT(*) - COUNT(DISTINCT op_id) FROM sync_changes") == "0")
        // Everything queued was answered once, applied, none refused.
        #expect(Int(try again.query("SELECT COUNT(*) FROM sync_operations"))! >= queued)
        #expect(try again.query("SELECT COUNT(*) FROM sync_operations WHERE outcome LIKE '%refused%'") == "0")
        #expect(try again.query("SELECT (SELECT COUNT(*) FROM sync_operations) - (SELECT COUNT(*) FROM sync_changes)") == "0")
        fabio.type("exit --force")
        _ = again.terminate()
    }
}
