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
        fabio.type("sync")
        // The notes and what the login wrote (the workstation's configuration).
        #expect(fabio.waitFor("operations taken by the server; 0 waiting."))
        #expect(fabio.waitFor("Last complete sync: "))
        let first = Int(try server.query("SELECT COUNT(*) FROM sync_changes"))!
        #expect(first >= 2)
        #expect(try server.query("SELECT group_concat(json_extract(record, '$.fields.text'), '|') FROM sync_records WHERE entity = 'note'")
            .split(separator: "|").sorted() == ["Ligar para a Maria", "Retornar ao Pedro"])

        // The server goes: a note written now waits, and says so.
        server.kill()
        fabio.type("note add Escrita sem servidor")
        fabio.type("sync")
        #expect(fabio.waitFor("The server cannot be reached: 1 operations wait and go when the link is back."))
        // It comes back on the same port and data: the note goes, the first two are not sent again.
        let again = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        fabio.type("sync")
        #expect(fabio.waitFor("Sync: 1 operations taken by the server; 0 waiting.", timeout: 20))
        #expect(try again.query("SELECT COUNT(*) FROM sync_changes") == "\(first + 1)")
        #expect(try again.query("SELECT COUNT(DISTINCT op_id) FROM sync_operations") == "\(first + 1)")
        fabio.type("exit --force")
        _ = again.terminate()
    }
}
