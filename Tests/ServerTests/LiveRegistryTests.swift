import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// A registry change on a running server is in force on its switch at once, with no restart.
@Suite(.serialized) struct LiveRegistryTests {
    func admin(_ server: RunningServer, _ arguments: [String]) throws -> RunResult {
        try AtendeBinary.run(
            ["admin"] + arguments + ["--server", "127.0.0.1:\(server.port)", "--user", "intelbras"], input: "Segredo-123\n")
    }

    @Test func anAgentAddedByAnAdminLogsInAndIsRungForANewServiceWithNoRestart() async throws {
        // Given a running server whose registry knows neither maria, nor the vip group, nor Premium,
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let refused = try admin(server, ["call", "4832819500", "Premium"])
        #expect(refused.status == 1)
        // and fabio's workstation connected to it,
        let fabio = try FloorTests.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        defer { fabio.process.terminate() }
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        fabio.type("pause Pesquisa")
        #expect(fabio.waitFor("unknown pause reason", inErrors: true), "\(fabio.stderr)")
        // when an admin adds them, and a pause reason,
        for step in [
            ["groups", "add", "vip", "--title", "Clientes VIP"],
            ["services", "add", "Premium", "--number", "40009999", "--group", "vip"],
            ["agents", "add", "maria", "--name", "Maria Souza", "--extension", "2090", "--groups", "vip"],
            ["pause-reasons", "add", "Pesquisa", "--kind", "eventual"],
        ] {
            let r = try admin(server, step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        // the connected workstation is told, and works with the new registry at once,
        #expect(fabio.waitFor("The call center's registry was updated (version 5).", timeout: 20), "\(fabio.stdout)\n\(fabio.stderr)")
        fabio.type("pause Pesquisa")
        #expect(fabio.waitFor("Paused: Pesquisa"), "\(fabio.stdout)\n\(fabio.stderr)")
        // then maria's workstation logs in at her new extension,
        let maria = try FloorTests.workstation("maria", group: "vip", server: server, dir: tmp.url.appendingPathComponent("maria"))
        defer { maria.process.terminate() }
        #expect(maria.waitFor("Welcome, Maria", timeout: 20), "\(maria.stdout)\n\(maria.stderr)")
        maria.type("status")
        #expect(maria.waitUntil(timeout: 10) { out, _ in (out.components(separatedBy: "VIP - MARIA").last ?? "").contains("FREE") },
            "\(maria.stdout)")
        // and a customer calling the new service rings her, on the same server process.
        let call = try admin(server, ["call", "4832819500", "Premium"])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(maria.waitFor("Ringing: Premium", timeout: 20), "\(maria.stdout)\n\(maria.stderr)")
        maria.type("answer")
        #expect(maria.waitFor("Answered: Premium"))
        #expect(maria.stderr.isEmpty, "\(maria.stderr)")
    }

    @Test func anAgentMovedToAnotherGroupIsRungForThatGroupsCallsNext() async throws {
        // Given luan logged in (receptivas) on a running server,
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let luan = try FloorTests.workstation("luan", server: server, dir: tmp.url.appendingPathComponent("luan"))
        defer { luan.process.terminate() }
        #expect(luan.waitFor("Welcome, Luan", timeout: 20))
        // when an admin moves him to ativas while he is seated,
        let moved = try admin(server, ["agents", "edit", "luan", "--groups", "ativas"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(luan.waitFor("Your groups or extension changed on the server", timeout: 20), "\(luan.stdout)\n\(luan.stderr)")
        // then a call to a service of ativas rings him at once.
        let call = try admin(server, ["call", "4832819501", "Cobranca"])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(luan.waitFor("Ringing: Cobranca", timeout: 20), "\(luan.stdout)\n\(luan.stderr)")
    }
}
