import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// `atende admin sim …`: the telephone network played by an admin against a running server, with a
/// real workstation REPL on it; the server's own store counts the losses.
@Suite(.serialized, .timeLimit(.minutes(3))) struct NetworkActTests {
    /// `atende admin sim ARGS --server … --user USER`, the password on standard input.
    func sim(_ server: RunningServer, _ arguments: [String], user: String = "intelbras", environment: [String: String] = [:]) throws
        -> RunResult
    {
        try AtendeBinary.run(
            ["admin", "sim"] + arguments + ["--server", "127.0.0.1:\(server.port)", "--user", user], input: "Segredo-123\n",
            environment: environment)
    }

    @Test func theNetworksActsReachTheWorkstationAndAnAbandonLeavesOneLoss() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let fabio = try FloorTests.workstation("fabio", server: server, dir: tmp.url.appendingPathComponent("fabio"))
        defer { fabio.process.terminate() }
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        fabio.type("pause")
        #expect(fabio.waitFor("Paused: "))

        // A customer calls the service: fabio is paused, the caller waits in the queue, then gives up.
        let queued = try sim(server, ["call", "4832819500", "Suporte"])
        #expect(queued.status == 0, "\(queued.stderr)")
        #expect(queued.stdout.hasPrefix("Network: 4832819500 calls Suporte (switch event "))
        let abandoned = try sim(server, ["abandon", "Suporte"])
        #expect(abandoned.status == 0, "\(abandoned.stderr)")
        #expect(abandoned.stdout.hasPrefix("Network: the caller waiting longest in queue receptivas hung up — a loss"))
        #expect(try server.query("SELECT COUNT(*), place, phone FROM losses") == "1|queue|4832819500")

        // Bad input: one line, exit 1 or 2, nothing changed.
        let callsBefore = try server.query("SELECT COUNT(*) FROM calls")
        let refusals: [([String], Int32, String)] = [
            (["abandon", "Suporte"], 1, "error: no caller is waiting in queue Suporte. Nothing was changed."),
            (["abandon"], 1, "error: no caller is waiting in any queue. Nothing was changed."),
            (["abandon", "Nenhum"], 1, "error: there is no service or group \"Nenhum\". See `atende admin services list`. Nothing was changed."),
            (["incoming", "4832819500", "Nenhum"], 1, "error: there is no service or group \"Nenhum\"."),
            (["traffic", "500"], 2, "error: RATE \"500\" must be 0 to 120 calls a minute (0 stops the traffic). Nothing was changed."),
            (["traffic", "muito"], 2, "error: RATE \"muito\" must be 0 to 120"),
            (["hangup", "2050"], 1, "error: there is no customer call at 2050 (a call or an extension). Nothing was changed."),
            (["hangup", UUID().uuidString], 1, "error: there is no customer call at "),
            (["ring", "4833334444", "20x0"], 2, "error: EXTENSION must be digits, like 2050."),
        ]
        for (arguments, status, line) in refusals {
            let r = try sim(server, arguments)
            #expect(r.status == status, "\(arguments): \(r.stderr)")
            #expect(r.errorLines.count == 1 && r.errorLines[0].hasPrefix(line), "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try server.query("SELECT COUNT(*) FROM losses") == "1")
        #expect(try server.query("SELECT COUNT(*) FROM calls") == callsBefore)

        // A direct call rings fabio's workstation; the customer hangs up the answered call.
        fabio.type("unpause")
        #expect(fabio.waitFor("Pause over"))
        let ring = try sim(server, ["direct", "4833334444", "2050"])
        #expect(ring.status == 0, "\(ring.stderr)")
        #expect(ring.stdout.contains("Network: 4833334444 calls extension 2050 directly"))
        #expect(fabio.waitFor("Ringing: "), "\(fabio.stdout)")
        fabio.type("answer")
        #expect(fabio.waitFor("Answered: "))
        let hangup = try sim(server, ["hangup", "2050"])
        #expect(hangup.status == 0, "\(hangup.stderr)")
        #expect(hangup.stdout.contains("Network: the customer on extension 2050's call hung up"))
        #expect(fabio.waitFor("Call ended by the customer"), "\(fabio.stdout)")
        #expect(try server.query("SELECT COUNT(*) FROM calls WHERE end_reason = 'customer'") == "1")
        #expect(try server.query("SELECT COUNT(*) FROM losses") == "1")
    }

    /// The offered traffic changes live; 0 stops it. An agent's (or a supervisor's) token is refused.
    @Test func trafficChangesLiveAndAnAgentsTokenIsRefused() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        defer { _ = server.terminate() }
        _ = try await server.login("luan")
        let (monitor, feed) = try await server.link("intelbras", monitor: true)
        defer { Task { await monitor.stop() } }

        let on = try sim(server, ["traffic", "120"])
        #expect(on.status == 0, "\(on.stderr)")
        #expect(on.stdout == "Simulated traffic on the server: 120 call(s) per minute.\n")
        // Two calls a second: the next one enters a queue.
        let arrived = await feed.event { if case .queued = $0 { return true } else { return false } }
        #expect(arrived != nil)
        let off = try sim(server, ["traffic", "0"])
        #expect(off.status == 0, "\(off.stderr)")

        // luan is an agent: refused by the server (403), in one line, nothing changed.
        let refused = try sim(server, ["traffic", "60"], user: "luan")
        #expect(refused.status == 1)
        #expect(refused.errorLines == ["error: the telephone network's requests need the admin role."])
        let luan = try await server.login("luan")
        do {
            try await server.client.network(.abandon(queue: nil), token: luan.token)
            Issue.record("an agent played the network")
        } catch {
            #expect(error.code == .forbidden)
        }
        let ring = try sim(server, ["ring", "4833334444", "2071"], user: "luan")
        #expect(ring.status == 1 && ring.stderr.contains("the telephone network's requests need the admin role"))
    }
}
