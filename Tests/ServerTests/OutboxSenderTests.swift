import AtendeCore
import AtendeRemote
import AtendeStore
import AtendeSync
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

/// A workstation's real outbox sent to a real server: removed only once answered for, applied
/// once however often it is sent, and kept whole while the server cannot be reached.
@Suite(.serialized)
struct OutboxSenderTests {
    @Test func theOutboxDrainsToTheServerOnceAndStaysWhileTheServerIsDown() async throws {
        let tmp = try TemporaryDirectory()
        let store = try Store(path: tmp.file("atende.sqlite").path, clock: SystemClock())
        let note = try store.notes.add(agent: "fabio", text: "Ligar para a Maria")
        _ = try store.notes.edit(agent: "fabio", number: note.number, text: "Ligar para a Maria às 10h")
        _ = try store.contacts.add(Contact(id: UUID(), number: 0, name: "Maria Souza", phones: [ContactPhone(text: "(48) 3281-9500", e164: "+554832819500")]))
        let queued = try store.pendingOutboxCount()
        #expect(queued == 3)

        // The server is not there: nothing is removed.
        let nowhere = ServerSyncTransport(client: ServerClient(server: ServerAddress("127.0.0.1:1")!), token: "x")
        await #expect(throws: ServerProblem.self) {
            _ = try await OutboxSender(store: store, transport: nowhere, workstation: try store.storeID()).send()
        }
        #expect(try store.pendingOutboxCount() == queued)

        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabio = try await server.login("fabio")
        let transport = ServerSyncTransport(client: server.client, token: fabio.token)
        let sender = OutboxSender(store: store, transport: transport, workstation: try store.storeID(), batch: 2)
        let sent = try await sender.send()
        #expect(sent.acknowledged == 3 && sent.refused.isEmpty && sent.heldBack == nil)
        #expect(try store.pendingOutboxCount() == 0)
        // The note's two operations are one record on the server, its latest text; the edit after
        // the creation on one workstation is no conflict.
        #expect(try server.query("SELECT COUNT(*) FROM sync_changes") == "3")
        #expect(try server.query("SELECT json_extract(record, '$.fields.text') FROM sync_records WHERE entity = 'note'") == "Ligar para a Maria às 10h")
        #expect(try server.query("SELECT COUNT(*) FROM sync_conflicts") == "0")
        #expect(try server.query("SELECT DISTINCT workstation FROM sync_operations") == (try store.storeID()))

        // Nothing left: a send again sends nothing.
        #expect(try await sender.send() == OutboxSender.Sent())
        _ = server.terminate()
    }
}
