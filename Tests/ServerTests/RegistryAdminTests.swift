import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// `atende admin agents|groups|services|pause-reasons|codes|recording-reasons|audit` against a
/// real server process (SV-2): every change a new registry version with its audit row; a bad one
/// refused in one line, nothing changed.
@Suite(.serialized) struct RegistryAdminTests {
    /// `atende admin ARGS --server … --user intelbras`, the password on standard input.
    func admin(_ server: RunningServer, _ arguments: [String], user: String = "intelbras") throws -> RunResult {
        try AtendeBinary.run(
            ["admin"] + arguments + ["--server", "127.0.0.1:\(server.port)", "--user", user], input: "Segredo-123\n")
    }

    func version(_ server: RunningServer) async throws -> Int {
        let login = try await server.login("intelbras")
        return try await server.client.adminRegistry(token: login.token).version
    }

    @Test func anAdminAddsAndEditsAnAgentWhoThenLogsIn() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }

        let added = try admin(server, [
            "agents", "add", "maria", "--name", "Maria Souza", "--extension", "2090", "--groups", "receptivas,ativas",
            "--role", "supervisor", "--permissions", "capture,barge-in", "--email", "maria@example.com", "--sector", "Suporte",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Agent maria added (registry version 2)."))

        let maria = try await server.login("maria", password: "Maria-123")
        #expect(maria.created)
        #expect(maria.agent.extension == "2090")
        #expect(maria.agent.role == .supervisor)
        #expect(maria.agent.permissions == [.capture, .bargeIn])
        #expect(maria.agent.email == "maria@example.com")
        #expect(maria.registryVersion == 2)

        let edited = try admin(server, ["agents", "edit", "maria", "--extension", "2091", "--groups", "ativas", "--sector", ""])
        #expect(edited.status == 0, "\(edited.stderr)")
        let shown = try admin(server, ["agents", "show", "maria"])
        #expect(shown.stdout.contains("maria  2091  Maria Souza  groups ativas  supervisor"))
        #expect(shown.stdout.contains("email maria@example.com, sector -"))
        #expect(shown.stdout.contains("permissions barge-in,capture"))
        let listed = try admin(server, ["agents", "list"])
        #expect(listed.stdout.split(separator: "\n").count == 4)
        #expect(listed.stdout.contains("luan  2071"))

        // The audit trail says who did what, newest first.
        let audit = try admin(server, ["audit"])
        let lines = audit.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].contains("  intelbras  agent.edit  ") && lines[0].contains("2091"))
        #expect(lines[1].contains("  intelbras  agent.add  ") && lines[1].contains("maria@example.com"))
        #expect(lines[2].contains("  server  registry.seed  "))
        #expect(try server.query("SELECT COUNT(*) FROM registry_versions") == "3")
    }

    @Test func badInputIsOneLineAndChangesNothing() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let before = try await version(server)

        let refusals: [([String], String)] = [
            (["agents", "add", "zeca", "--name", "Zeca", "--extension", "2099", "--groups", "vendas"], "unknown group \"vendas\""),
            (["agents", "add", "zeca", "--name", "Zeca", "--extension", "2050", "--groups", "ativas"], "\"2050\" appears twice"),
            (["agents", "add", "luan", "--name", "Luan", "--extension", "2098", "--groups", "ativas"], "already exists"),
            (["agents", "add", "zeca", "--name", "Zeca", "--extension", "2099"], "needs --name, --extension and --groups"),
            (["agents", "edit", "luan", "--groups", ""], "at least one group"),
            (["agents", "edit", "luan", "--role", "chefe"], "--role must be agent, supervisor or admin"),
            (["agents", "edit", "luan", "--permissions", "voar"], "unknown permission \"voar\""),
            (["agents", "disable", "ninguem"], "no such agent"),
            (["groups", "remove", "receptivas"], "unknown group \"receptivas\""),
            (["services", "add", "VIP", "--number", "40009938", "--group", "ativas"], "\"40009938\" appears twice"),
            (["pause-reasons", "add", "Pesquisa", "--kind", "productive"], "a productive pause needs a code"),
            (["codes", "remove", "NADA"], "no such code"),
            (["groups", "rename", "ativas"], "the action must be one of"),
            (["agents", "disable", "intelbras"], "the last enabled admin cannot be disabled"),
            (["agents", "edit", "intelbras", "--role", "supervisor"], "the last enabled admin cannot be disabled nor lose the admin role"),
        ]
        for (arguments, reason) in refusals {
            let r = try admin(server, arguments)
            #expect(r.status == 1, "\(arguments)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(reason), "\(arguments): \(r.stderr)")
        }
        #expect(try await version(server) == before)
        #expect(try server.query("SELECT COUNT(*) FROM audit") == "1")
    }

    @Test func anAgentsTokenIsRefusedOnTheAdminEndpoints() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let luan = try await server.login("luan")
        await #expect(throws: ServerProblem(.forbidden, "managing the registry needs the admin role")) {
            _ = try await server.client.adminRegistry(token: luan.token)
        }
        await #expect(throws: ServerProblem(.forbidden, "managing the registry needs the admin role")) {
            try await server.client.change(.disableAgent("fabio"), token: luan.token)
        }
        await #expect(throws: ServerProblem(.forbidden, "managing the registry needs the admin role")) {
            _ = try await server.client.audit(token: luan.token)
        }
        let r = try admin(server, ["agents", "disable", "fabio"], user: "luan")
        #expect(r.status == 1)
        #expect(r.stderr == "error: managing the registry needs the admin role.\n")
        #expect(try await server.login("fabio").agent.disabled == false)
    }

    @Test func disableEndsSessionsAndRefusesLoginsAndResetLetsTheAgentCreateANewPassword() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let luan = try await server.login("luan", password: "Antiga-123")
        _ = try await server.client.registry(token: luan.token)

        let disabled = try admin(server, ["agents", "disable", "luan"])
        #expect(disabled.status == 0, "\(disabled.stderr)")
        #expect(try server.query("SELECT COUNT(*) FROM sessions WHERE agent = 'luan' AND revoked_at IS NULL") == "0")
        await #expect(throws: ServerProblem(.unauthorized, "log in first")) { _ = try await server.client.registry(token: luan.token) }
        do {
            _ = try await server.login("luan", password: "Antiga-123")
            Issue.record("a disabled agent logged in")
        } catch {
            #expect(error.code == .unknownAgent)
        }
        #expect(try admin(server, ["agents", "show", "luan"]).stdout.contains("DISABLED"))

        #expect(try admin(server, ["agents", "enable", "luan"]).status == 0)
        let back = try await server.login("luan", password: "Antiga-123")
        #expect(!back.created)

        let reset = try admin(server, ["agents", "reset-password", "luan"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("Password of luan reset"))
        await #expect(throws: ServerProblem.self) { _ = try await server.client.registry(token: back.token) }
        #expect(try await server.client.loginStep(agent: "luan"))
        let fresh = try await server.login("luan", password: "Nova-4567")
        #expect(fresh.created)

        let audit = try admin(server, ["audit", "--limit", "3"]).stdout
        #expect(audit.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
            == ["agent.reset-password", "agent.enable", "agent.disable"])
    }

    @Test func theCataloguesAreListedAddedEditedAndRemoved() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let steps: [[String]] = [
            ["groups", "add", "vip", "--title", "Clientes VIP"],
            ["services", "add", "Premium", "--number", "40009999", "--group", "vip"],
            ["services", "edit", "Premium", "--number", "40009998"],
            ["pause-reasons", "add", "Pesquisa", "--kind", "productive", "--code", "104"],
            ["codes", "add", "POSVENDA", "--label", "Retorno agendado", "--tags", "pendente"],
            ["codes", "edit", "POSVENDA", "--label", "Retorno marcado"],
            ["recording-reasons", "add", "AUDITORIA", "--label", "Auditoria interna"],
            ["recording-reasons", "remove", "OUVIDORIA"],
        ]
        for step in steps {
            let r = try admin(server, step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        #expect(try admin(server, ["groups", "list"]).stdout == "receptivas  Receptivas\nativas  Ativas\nvip  Clientes VIP\n")
        #expect(try admin(server, ["services", "show", "premium"]).stdout == "Premium  40009998  group vip\n")
        #expect(try admin(server, ["pause-reasons", "list"]).stdout.contains("Pesquisa  productive  code 104\n"))
        #expect(try admin(server, ["codes", "show", "POSVENDA"]).stdout == "POSVENDA  Retorno marcado  tags pendente\n")
        let reasons = try admin(server, ["recording-reasons", "list"]).stdout
        #expect(reasons.contains("AUDITORIA  Auditoria interna") && !reasons.contains("OUVIDORIA"))
        // A group in use cannot go; once its service is gone, it can.
        #expect(try admin(server, ["groups", "remove", "vip"]).status == 1)
        #expect(try admin(server, ["services", "remove", "Premium"]).status == 0)
        #expect(try admin(server, ["groups", "remove", "vip"]).status == 0)
        #expect(try await version(server) == 1 + steps.count + 2)
    }
}
