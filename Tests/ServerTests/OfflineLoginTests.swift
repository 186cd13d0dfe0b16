import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// An agent logs in while the server is down (LG-5, SY-1): the workstation works offline on the
/// kept verifier, and goes online by itself when the server is back — its outbox pushed, its
/// telephony started — without logging in again.
@Suite(.serialized)
struct OfflineLoginTests {
    @Test func aLoginWithTheServerDownWorksOfflineAndGoesOnlineWhenTheServerIsBack() async throws {
        let tmp = try TemporaryDirectory()
        let serverDir = tmp.url.appendingPathComponent("server")
        var server = try RunningServer(dir: serverDir)
        let port = server.port
        defer { _ = server.terminate() }
        let fabioDir = tmp.url.appendingPathComponent("fabio")
        let first = try FloorTests.workstation("fabio", server: server, dir: fabioDir)
        #expect(first.waitFor("Welcome, Fabio", timeout: 20))
        first.type("exit --force")
        _ = first.finish()

        // The server is down: the login is offline, and the work goes on.
        #expect(server.terminate() == 0)
        let fabio = try SyncAcceptanceTests.reopen("fabio", dir: fabioDir, server: server)
        #expect(fabio.waitFor("unreachable: working offline", timeout: 20))
        #expect(fabio.waitFor("Welcome, Fabio"))
        fabio.type("note add escrita sem servidor")
        #expect(fabio.waitFor("Note 1 added."))
        fabio.type("status")
        #expect(fabio.waitFor("OFFLINE · sync pending 1"))

        // Back: the workstation logs in on the server by itself (the forced sync only spares the
        // test the back-off), pushes the note, and its telephony works.
        server = try RunningServer(dir: serverDir, port: port)
        fabio.type("sync")
        #expect(fabio.waitFor("Link to the call center is back.", timeout: 20), "\(fabio.stdout.suffix(500))")
        #expect(try SyncAcceptanceTests.sync(fabio) {
            try server.query("SELECT json_extract(record, '$.fields.text') FROM sync_records WHERE entity = 'note'") == "escrita sem servidor"
                && SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0"
        })
        fabio.type("status")
        #expect(fabio.waitFor("online · sync pending 0"))
        let admin = try await server.login("intelbras")
        _ = try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        #expect(fabio.waitFor("Ringing: Suporte", timeout: 10))
        fabio.type("exit --force")
        _ = fabio.finish()
    }
}
