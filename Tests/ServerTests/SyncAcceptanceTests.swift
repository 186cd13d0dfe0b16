import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// Two real workstations and a real server (SV-5, SY-1, SY-2, CH-1): edits made while the server
/// is down meet when it returns, field by field; what lost is in `sync conflicts` and can be put
/// back; nothing is doubled; a chat written offline arrives once.
@Suite(.serialized)
struct SyncAcceptanceTests {
    /// One value `sqlite3` prints for `sql` on a workstation's store.
    static func query(_ dir: URL, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", dir.appendingPathComponent("atende.sqlite").path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `sync` until `done` holds (a run in the background may have been first), at most 20 times.
    static func sync(_ repl: RunningAtende, until done: () throws -> Bool) throws -> Bool {
        for _ in 0..<20 {
            // Every answer to `sync` (sent, or the server unreachable) ends with the last complete sync;
            // one that failed says so on the error stream.
            let before = repl.stdout.components(separatedBy: " complete sync").count
            let failed = repl.stderr.components(separatedBy: "sync did not complete").count
            repl.type("sync")
            guard repl.waitUntil(timeout: 20, { out, err in
                out.components(separatedBy: " complete sync").count > before || err.components(separatedBy: "sync did not complete").count > failed
            }) else { return false }
            if try done() { return true }
        }
        return false
    }

    /// `agent`'s REPL started again on its store (logged in there before, the password known).
    static func reopen(_ agent: String, dir: URL, server: RunningServer) throws -> RunningAtende {
        let repl = try RunningAtende([
            "--data-dir", dir.path, "--lang", "en", "--server", "127.0.0.1:\(server.port)", "--transfer", "off", "--keep-going",
        ])
        repl.type("login \(agent) receptivas")
        repl.type("Segredo-123")
        return repl
    }

    /// fabio (contact-edit) logs in on a new workstation once, online, then imports `count`
    /// contacts ("Cliente N Souza") into its store offline, with `atende import contacts`.
    static func importContacts(_ count: Int, into dir: URL, server: RunningServer, phone: (Int) -> String) throws -> RunResult {
        let fabio = try FloorTests.workstation("fabio", server: server, dir: dir)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        fabio.type("exit --force")
        _ = fabio.finish()
        let csv = dir.deletingLastPathComponent().appendingPathComponent("contacts-\(count).csv")
        let rows = (0..<count).map { "Cliente \($0) Souza;\(phone($0))" }
        try (["name;phone"] + rows).joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        return try AtendeBinary.run(
            ["import", "contacts", csv.path, "--user", "fabio", "--data-dir", dir.path, "--lang", "en"], input: "Segredo-123\n")
    }

    /// The next day, as the agenda takes it.
    static var tomorrow: String {
        let f = DateFormatter()
        f.dateFormat = "dd/MM/yyyy"
        return f.string(from: Date().addingTimeInterval(86_400))
    }

    /// luan supervises the group: he sees and edits the agendas of its agents.
    static func makeLuanSupervisor(_ server: RunningServer) async throws {
        let admin = try await server.login("intelbras")
        var luanAgent = try await server.client.registry(token: admin.token).agent("luan")!
        luanAgent.role = .supervisor
        _ = try await server.client.change(.edit(.agent(luanAgent)), token: admin.token)
    }

    @Test func editsMadeWhileTheServerIsDownMeetFieldByFieldAndWhatLostCanBePutBack() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        try await Self.makeLuanSupervisor(server)

        let fabioDir = tmp.url.appendingPathComponent("fabio"), luanDir = tmp.url.appendingPathComponent("luan")
        let fabio = try FloorTests.workstation("fabio", server: server, dir: fabioDir)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let luan = try FloorTests.workstation("luan", server: server, dir: luanDir)
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))

        fabio.type("note add Ligar para a Maria")
        fabio.type("agenda new Retorno Maria --start \"\(Self.tomorrow) 10:00\" --end \"\(Self.tomorrow) 10:30\" --obs primeira")
        #expect(fabio.waitFor("Agenda event 1 created."))
        #expect(try Self.sync(fabio) { try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'agenda'") == "1" })
        // luan's workstation gets fabio's event (its number there is luan's own).
        var luanEvent = ""
        #expect(try Self.sync(luan) {
            luanEvent = try Self.query(luanDir, "SELECT number FROM agenda_events WHERE name = 'Retorno Maria'")
            return !luanEvent.isEmpty
        })

        // The server goes. fabio edits his note and the event's observation; luan its name.
        server.kill()
        fabio.type("note edit 1 Ligar para a Maria às 15h")
        fabio.type("agenda edit 1 --obs \"levar contrato\"")
        luan.type("agenda edit \(luanEvent) --name \"Retorno Maria Souza\"")
        #expect(luan.waitFor("Agenda event \(luanEvent) changed."))
        fabio.type("sync")
        #expect(fabio.waitFor("The server cannot be reached: "))

        // It comes back on the same port and data: both fields survive on both workstations.
        let again = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        let merged = "Retorno Maria Souza|levar contrato"
        #expect(try Self.sync(luan) { try again.query("SELECT COUNT(*) FROM sync_operations") != "" && (try Self.query(luanDir, "SELECT COUNT(*) FROM outbox")) == "0" })
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT name || '|' || observation FROM agenda_events") == merged })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT name || '|' || observation FROM agenda_events") == merged })
        #expect(try Self.query(fabioDir, "SELECT text FROM notes") == "Ligar para a Maria às 15h")
        // Nothing doubled: one event, one note everywhere; every operation applied once.
        #expect(try Self.query(fabioDir, "SELECT COUNT(*) FROM agenda_events") == "1")
        #expect(try Self.query(luanDir, "SELECT COUNT(*) FROM agenda_events") == "1")
        #expect(try again.query("SELECT COUNT(*) FROM sync_changes") == (try again.query("SELECT COUNT(DISTINCT op_id) FROM sync_changes")))
        // Different fields: nothing lost.
        fabio.type("sync conflicts")
        #expect(fabio.waitFor("No conflicts: no edit lost to another."))

        // The same field, both offline: the later edit wins, the earlier is kept and can be put back.
        again.kill()
        fabio.type("agenda edit 1 --obs \"versão do fabio\"")
        #expect(fabio.waitUntil(timeout: 5) { out, _ in out.components(separatedBy: "Agenda event 1 changed.").count >= 3 })
        luan.type("agenda edit \(luanEvent) --obs \"versão do luan\"")
        #expect(luan.waitUntil(timeout: 5) { out, _ in out.components(separatedBy: "Agenda event \(luanEvent) changed.").count >= 3 })
        let third = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT observation FROM agenda_events") == "versão do luan" })
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT observation FROM agenda_events") == "versão do luan" })
        #expect(try third.query("SELECT lost || '|' || lost_agent || '|' || reason FROM sync_conflicts") == "\"versão do fabio\"|fabio|concurrent")
        fabio.type("sync conflicts")
        #expect(fabio.waitFor("versão do fabio"))
        let conflict = try Self.query(fabioDir, "SELECT id FROM sync_conflicts WHERE lost = '\"versão do fabio\"'")
        fabio.type("sync conflicts restore \(conflict)")
        #expect(fabio.waitFor("The value of conflict \(conflict) is back, as a new edit"))
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT observation FROM agenda_events") == "versão do fabio" })
        // Its name, luan's edit, still stands.
        #expect(try Self.query(luanDir, "SELECT name FROM agenda_events") == "Retorno Maria Souza")

        fabio.type("exit --force")
        luan.type("exit --force")
        _ = third.terminate()
    }

    @Test func aChatWrittenOfflineArrivesOnceWhenTheLinkReturns() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabioDir = tmp.url.appendingPathComponent("fabio"), luanDir = tmp.url.appendingPathComponent("luan")
        let fabio = try FloorTests.workstation("fabio", server: server, dir: fabioDir)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let luan = try FloorTests.workstation("luan", server: server, dir: luanDir)
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))
        for repl in [fabio, luan] {
            repl.type("status")
            #expect(repl.waitFor("server 127.0.0.1:\(server.port) online"))
        }

        // Online, a message is there at once: the server tells luan's workstation to pull.
        fabio.type("chat luan Bom dia")
        #expect(luan.waitFor("Chat from fabio: Bom dia", timeout: 10))
        luan.type("chat fabio")
        #expect(luan.waitUntil(timeout: 5) { out, _ in out.components(separatedBy: "Bom dia").count >= 3 })

        server.kill()
        fabio.type("chat luan Pode cobrir minha pausa?")
        #expect(fabio.waitFor("Message to luan kept; the sync delivers it."))
        fabio.type("chat luan E depois o almoço")
        fabio.type("chat ninguem oi")
        #expect(fabio.waitFor("agent \"ninguem\" is not registered.", inErrors: true))

        let again = try RunningServer(dir: tmp.url.appendingPathComponent("server"), port: server.port)
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox WHERE entity = 'chat'") == "0" })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT COUNT(*) FROM chat_messages") == "3" })
        #expect(luan.waitFor("Chat from fabio: Pode cobrir minha pausa?"))
        #expect(luan.waitFor("Chat from fabio: E depois o almoço"))
        luan.type("status")
        #expect(luan.waitFor("chat 2"))
        // Pulled again from the start, nothing doubles.
        #expect(try Self.sync(luan) { true })
        #expect(try Self.query(luanDir, "SELECT COUNT(*) FROM chat_messages") == "3")
        #expect(luan.stdout.components(separatedBy: "Chat from fabio: Pode cobrir").count == 2)
        luan.type("chat fabio")
        #expect(luan.waitFor("Pode cobrir minha pausa?"))
        // In order, oldest first.
        #expect(luan.waitUntil(timeout: 5) { out, _ in
            let shown = out.components(separatedBy: "Last complete sync").last ?? ""
            guard let first = shown.range(of: "Pode cobrir"), let second = shown.range(of: "E depois") else { return false }
            return first.lowerBound < second.lowerBound
        })
        #expect(try again.query("SELECT COUNT(*) FROM sync_changes WHERE operation LIKE '%\"chat\"%'") == "3")

        fabio.type("exit --force")
        luan.type("exit --force")
        _ = again.terminate()
    }

    @Test func aWorkstationWithItsClockAnHourAheadNeitherLosesALaterEditNorPinsTheField() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        try await Self.makeLuanSupervisor(server)
        let fabioDir = tmp.url.appendingPathComponent("fabio"), luanDir = tmp.url.appendingPathComponent("luan")
        // fabio's machine is an hour ahead (its clock stands there).
        let ahead = DateFormatter()
        ahead.dateFormat = "yyyy-MM-dd HH:mm"
        let fabio = try RunningAtende([
            "--data-dir", fabioDir.path, "--lang", "en", "--server", "127.0.0.1:\(server.port)", "--transfer", "off", "--keep-going",
            "--clock", "manual", "--now", ahead.string(from: Date().addingTimeInterval(3600)),
        ])
        fabio.type("login fabio receptivas")
        fabio.type("Segredo-123")
        fabio.type("Segredo-123")
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let luan = try FloorTests.workstation("luan", server: server, dir: luanDir)
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))

        // fabio's event, stamped an hour ahead, is held back once, then stamped again from the
        // server's time and taken.
        fabio.type("agenda new Retorno Maria --start \"\(Self.tomorrow) 10:00\" --end \"\(Self.tomorrow) 10:30\" --obs primeira")
        #expect(fabio.waitFor("Agenda event 1 created."))
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        let stamp = try server.query("SELECT json_extract(record, '$.stamps.observation') FROM sync_records WHERE entity = 'agenda'")
        let millis = Double(stamp.split(separator: "-").first.map(String.init) ?? "") ?? 0
        #expect(abs(millis / 1000 - Date().timeIntervalSince1970) < 120, "stamped \(stamp)")

        // luan's later edit wins on both workstations.
        var event = ""
        #expect(try Self.sync(luan) {
            event = try Self.query(luanDir, "SELECT number FROM agenda_events")
            return !event.isEmpty
        })
        luan.type("agenda edit \(event) --obs \"luan depois\"")
        #expect(luan.waitFor("Agenda event \(event) changed."))
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT observation FROM agenda_events") == "luan depois" })

        // fabio's next edit wins, and luan's after it wins again: the field is not pinned.
        fabio.type("agenda edit 1 --obs \"fabio agora\"")
        #expect(fabio.waitFor("Agenda event 1 changed."))
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT observation FROM agenda_events") == "fabio agora" })
        luan.type("agenda edit \(event) --obs \"luan por último\"")
        #expect(luan.waitUntil(timeout: 5) { out, _ in out.components(separatedBy: "Agenda event \(event) changed.").count >= 3 })
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT observation FROM agenda_events") == "luan por último" })
        #expect(try server.query("SELECT COUNT(*) FROM sync_conflicts") == "0")

        fabio.type("exit --force")
        luan.type("exit --force")
        _ = server.terminate()
    }

    @Test func contactsAddedByOneAgentReachTheOthersAndAFirstSyncShowsItsProgress() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabioDir = tmp.url.appendingPathComponent("fabio"), luanDir = tmp.url.appendingPathComponent("luan")
        let imported = try Self.importContacts(2500, into: fabioDir, server: server) { "48 3281-\(String(format: "%04d", $0))" }
        #expect(imported.status == 0, "\(imported.errorLines)")

        let fabio = try Self.reopen("fabio", dir: fabioDir, server: server)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        #expect(try Self.sync(fabio) { try Self.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" })
        #expect(try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'contact'") == "2500")

        // luan's new workstation takes them in, a page at a time, with a progress bar.
        let luan = try FloorTests.workstation("luan", server: server, dir: luanDir)
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))
        #expect(try Self.sync(luan) { try Self.query(luanDir, "SELECT COUNT(*) FROM contacts") == "2500" })
        #expect(luan.waitFor("Syncing [########"))
        #expect(luan.waitFor("/2500"))
        luan.type("contacts Cliente 1234")
        #expect(luan.waitFor("Cliente 1234 Souza"))
        #expect(try Self.query(luanDir, "SELECT COUNT(*) FROM contact_phones") == "2500")
        // Nothing of it queued back: what came from the server is not the workstation's to send.
        #expect(try Self.query(luanDir, "SELECT COUNT(*) FROM outbox WHERE entity = 'contact'") == "0")

        fabio.type("exit --force")
        luan.type("exit --force")
        _ = server.terminate()
    }
}
