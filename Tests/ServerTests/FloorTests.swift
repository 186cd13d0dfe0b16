import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// Real workstations — `atende` REPL processes — on a real server process.
@Suite(.serialized) struct FloorTests {
    /// An agent's REPL on the server, logged in (creating the password on the first login).
    static func workstation(_ agent: String, group: String = "receptivas", server: RunningServer, dir: URL) throws -> RunningAtende {
        let repl = try RunningAtende(
            ["--data-dir", dir.path, "--lang", "en", "--server", "127.0.0.1:\(server.port)", "--transfer", "off", "--keep-going"])
        repl.type("login \(agent) \(group)")
        repl.type("Segredo-123")
        repl.type("Segredo-123")
        return repl
    }

    @Test func aQueueCallRingsOnlyTheLongestIdleWorkstationAndTheFloorGoesOnWithoutTheServer() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        let fabio = try Self.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let luan = try Self.workstation("luan", server: server, dir: tmp.url.appendingPathComponent("luan"))
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))
        fabio.type("status")
        #expect(fabio.waitFor("server 127.0.0.1:\(server.port) online"))

        // The registry comes from the server and is cached in the workstation's store.
        let admin = try await server.login("intelbras")
        try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        #expect(fabio.waitFor("Ringing: Suporte"))
        luan.type("status")
        #expect(luan.waitFor("Welcome, Luan"))
        #expect(luan.waitUntil(timeout: 5) { out, _ in out.contains("Waiting 0") })
        #expect(!luan.stdout.contains("Ringing:"))
        fabio.type("answer")
        #expect(fabio.waitFor("Answered: Suporte"))

        // The server vanishes: each workstation says so at once and keeps its offline features.
        server.kill()
        #expect(fabio.waitFor("Link to the call center lost"))
        #expect(luan.waitFor("Link to the call center lost"))
        luan.type("note add written while the server is down")
        #expect(luan.waitFor("Note 1 added."))
        luan.type("status")
        #expect(luan.waitFor("server 127.0.0.1:\(server.port) OFFLINE"))
        luan.type("pause")
        #expect(luan.waitFor("no connection to the call center", inErrors: true))

        // It comes back on the same port: the links reconnect by themselves.
        let again = try RunningServer(dir: server.dir, port: server.port)
        defer { _ = again.terminate() }
        #expect(luan.waitFor("Link to the call center is back.", timeout: 40), "\(luan.stdout)\n\(luan.stderr)")
        #expect(fabio.waitFor("Link to the call center is back.", timeout: 40))
        // The new server process had nobody seated: the workstation took its seat again before
        // it said the link is back, so the first status after it shows the agent free.
        let blocks = luan.stdout.components(separatedBy: "Screen transfer:").count
        luan.type("status")
        #expect(luan.waitUntil(timeout: 10) { out, _ in out.components(separatedBy: "Screen transfer:").count > blocks })
        let last = luan.stdout.components(separatedBy: "Link to the call center is back.").last ?? ""
        #expect(last.components(separatedBy: "RECEPTIVAS - LUAN").last?.contains("FREE") == true, "\(luan.stdout)\n\(luan.stderr)")
        fabio.process.terminate()
        luan.process.terminate()
    }

    /// A supervisor's monitor sees each agent's change as the server pushes it; an agent cannot open it.
    @Test func theMonitorShowsTheFloorLive() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let admin = try await server.login("intelbras")
        _ = try await server.login("luan")
        let refused = try AtendeBinary.run(
            ["admin", "monitor", "--server", "127.0.0.1:\(server.port)", "--user", "luan"], input: "Segredo-123\n")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the monitor is for supervisors and admins"))

        let monitor = try RunningAtende(["admin", "monitor", "--server", "127.0.0.1:\(server.port)", "--user", "intelbras"])
        monitor.type("Segredo-123")
        defer { monitor.process.terminate() }
        #expect(monitor.waitFor("2050 fabio LOGGED OUT", timeout: 20))
        let fabio = try Self.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        defer { fabio.process.terminate() }
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        #expect(monitor.waitFor("2050 fabio FREE"))
        try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        #expect(monitor.waitFor("2050 fabio RINGING"))
        fabio.type("answer")
        #expect(monitor.waitFor("2050 fabio TALKING"))
        #expect(monitor.stdout.contains("call Suporte 4832819500"))
        fabio.type("hangup")
        // The day's figures follow the ended call (app_queue's service level: within 20 s over answered).
        #expect(monitor.waitFor("kpi receptivas: offered 1, answered 1, abandoned 0 (0%), SL 100%"))

        // A supervisor acts on the agent; an agent may not.
        let address = ["--server", "127.0.0.1:\(server.port)"]
        let notAllowed = try AtendeBinary.run(["admin", "logout", "2050"] + address + ["--user", "luan"], input: "Segredo-123\n")
        #expect(notAllowed.status == 1 && notAllowed.stderr.contains("logging an agent out is for supervisors"))
        let eventual = try AtendeBinary.run(["admin", "pause", "2050", "Almoço"] + address + ["--user", "intelbras"], input: "Segredo-123\n")
        #expect(eventual.status == 1 && eventual.stderr.contains("is not a productive pause reason"))
        let paused = try AtendeBinary.run(["admin", "pause", "2050", "Treinamento"] + address + ["--user", "intelbras"], input: "Segredo-123\n")
        #expect(paused.status == 0, "\(paused.stderr)")
        #expect(monitor.waitFor("paused (Treinamento)"))
        let out = try AtendeBinary.run(["admin", "logout", "2050"] + address + ["--user", "intelbras"], input: "Segredo-123\n")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(monitor.waitUntil(timeout: 10) { text, _ in
            (text.components(separatedBy: "paused (Treinamento)").last ?? "").contains("2050 fabio LOGGED OUT")
        })
        #expect(fabio.waitFor("The call center logged extension 2050 out"))
    }

    /// Consult and transfer across two real workstations: the customer moves to the colleague's process.
    @Test func aConsultAndTransferMovesTheCustomerToTheColleaguesWorkstation() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let fabio = try Self.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        defer { fabio.process.terminate() }
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let luan = try Self.workstation("luan", server: server, dir: tmp.url.appendingPathComponent("luan"))
        defer { luan.process.terminate() }
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))
        luan.type("pause")
        #expect(luan.waitFor("Paused:"))
        let admin = try await server.login("intelbras")
        try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        #expect(fabio.waitFor("Ringing: Suporte"))
        fabio.type("answer")
        #expect(fabio.waitFor("Answered: Suporte"))
        fabio.type("consult luan")
        #expect(luan.waitFor("Ringing: extension 2050"))
        luan.type("answer")
        #expect(fabio.waitFor("Answered by"))
        fabio.type("transfer")
        #expect(fabio.waitFor("Call transferred to"))
        // luan's consult leg ends by the transfer: the customer's call is his now.
        #expect(luan.waitFor("Call ended by transfer"))
        luan.type("status")
        #expect(luan.waitUntil(timeout: 10) { out, _ in
            (out.components(separatedBy: "RECEPTIVAS - LUAN").last ?? "").contains("4832819500")
        }, "\(luan.stdout)")
        #expect(luan.stderr.isEmpty && fabio.stderr.isEmpty, "\(fabio.stderr)\n\(luan.stderr)")
    }

    /// `passwd` on a workstation of the server changes the server's password: the old one no
    /// longer logs in, the new one does, and a wrong current password is counted there.
    @Test func passwdChangesThePasswordOnTheServer() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let fabio = try Self.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        defer { fabio.process.terminate() }
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        fabio.type("passwd")
        fabio.type("errada")
        fabio.type("Nova-Senha-9")
        fabio.type("Nova-Senha-9")
        #expect(fabio.waitFor("wrong password", inErrors: true))
        fabio.type("passwd")
        fabio.type("Segredo-123")
        fabio.type("Nova-Senha-9")
        fabio.type("Nova-Senha-9")
        #expect(fabio.waitFor("Password changed"), "\(fabio.stdout)\n\(fabio.stderr)")
        await #expect(throws: ServerProblem.self) { _ = try await server.login("fabio", password: "Segredo-123") }
        _ = try await server.login("fabio", password: "Nova-Senha-9")
    }
}
