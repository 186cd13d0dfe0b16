import AtendeCore
import AtendeRemote
import HTTPTypes
import HummingbirdWSClient
import Logging
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// The call-center server as a process: real sockets on the loopback, its real SQLite file.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ServerProcessTests {
    @Test func healthMetricsAndLoginsWithLockOut() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url, arguments: ["--max-login-attempts", "3"])
        defer { _ = server.terminate() }
        let health = try String(contentsOf: URL(string: "http://127.0.0.1:\(server.port)/health")!, encoding: .utf8)
        #expect(health.contains("\"ok\""))

        let first = try await server.login("fabio", password: "Primeira-1")
        #expect(first.created)
        #expect(first.agent.extension == "2050")
        #expect(first.registry.agent("luan") != nil)
        let again = try await server.login("fabio", password: "Primeira-1")
        #expect(!again.created)
        #expect(again.token != first.token)

        var lefts: [Int?] = []
        for _ in 0..<2 {
            do {
                _ = try await server.login("fabio", password: "errada")
                Issue.record("a wrong password was accepted")
            } catch {
                #expect(error.code == .wrongPassword)
                lefts.append(error.attemptsLeft)
            }
        }
        #expect(lefts == [2, 1])
        await #expect(throws: ServerProblem.self) { _ = try await server.login("fabio", password: "errada") }
        // Locked: the right password is refused too, on the server.
        do {
            _ = try await server.login("fabio", password: "Primeira-1")
            Issue.record("a locked agent logged in")
        } catch {
            #expect(error.code == .locked)
        }
        // Tokens are kept as their hash only.
        let raw = try Data(contentsOf: URL(fileURLWithPath: server.database))
            + ((try? Data(contentsOf: URL(fileURLWithPath: server.database + "-wal"))) ?? Data())
        #expect(raw.range(of: Data(first.token.utf8)) == nil)
        #expect(raw.range(of: Data("Primeira-1".utf8)) == nil)

        let metrics = try String(contentsOf: URL(string: "http://127.0.0.1:\(server.port)/metrics")!, encoding: .utf8)
        try Self.checkPrometheusText(metrics)
        #expect(metrics.contains("atende_logins_total 2"))
        #expect(metrics.contains("atende_login_failures_total 4"))
    }

    /// On the server a workstation follows its team — its groups' agents, queues and queue calls,
    /// and its own calls — not the whole floor; a monitor follows everything.
    @Test func aWorkstationFollowsItsTeamAndAMonitorTheWholeFloor() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let (network, _) = try await server.link("intelbras")
        let (_, floorFeed) = try await server.link("intelbras", monitor: true)
        let (fabio, fabioFeed) = try await server.link("fabio")
        let (luan, luanFeed) = try await server.link("luan")
        _ = try await fabio.send(.login(extension: "2050", paused: nil))
        _ = try await luan.send(.login(extension: "2071", paused: nil))
        let snapshot = await luan.snapshot(for: .everything)
        #expect(snapshot.audience == .team(extension: "2071", groups: ["receptivas"]))
        #expect(snapshot.queues.map(\.group) == ["receptivas"])

        // Cobranca goes to the ativas queue: fabio's group, not luan's.
        _ = try await network.send(.incoming(phone: "4832819500", service: "Cobranca"))
        guard case .ringing(let cobranca)? = await fabioFeed.event(where: { if case .ringing = $0 { true } else { false } }) else {
            Issue.record("the Cobranca call did not ring at fabio")
            return
        }
        #expect(cobranca.agent == "2050")
        // A Suporte call next rings at luan (fabio is busy): by then luan has all of his up to it.
        _ = try await network.send(.incoming(phone: "4832819501", service: "Suporte"))
        guard case .ringing(let suporte)? = await luanFeed.event(where: { if case .ringing = $0 { true } else { false } }) else {
            Issue.record("the Suporte call did not ring at luan")
            return
        }
        #expect(suporte.agent == "2071")
        let luans = await luanFeed.received.flatMap { item -> [SwitchEvent] in if case .batch(let b) = item { b.events } else { [] } }
        #expect(!luans.contains { $0.call?.id == cobranca.id })
        #expect(!luans.contains { if case .queueChanged(let q) = $0 { q.group == "ativas" } else { false } })
        // fabio's line is luan's team's, ringing with the call luan does not see.
        #expect(luans.contains { if case .agentChanged(let l) = $0 { l.extension == "2050" && l.currentCall == cobranca.id } else { false } })
        #expect(await floorFeed.event { $0.call?.id == cobranca.id } != nil)
        #expect(await floorFeed.event { $0.call?.id == suporte.id } != nil)
    }

    @Test func anAgentsTokenCannotPlayTheNetworkNorReadTheFloor() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let fabio = try await server.login("fabio")
        do {
            try await server.client.call(phone: "4832819500", service: "Suporte", token: fabio.token)
            Issue.record("an agent placed a network call")
        } catch {
            #expect(error.code == .forbidden)
        }
        do {
            _ = try await server.client.floor(token: fabio.token)
            Issue.record("an agent read the floor")
        } catch {
            #expect(error.code == .forbidden)
        }
        do {
            _ = try await server.client.floor(token: "not-a-token")
            Issue.record("a made-up token was accepted")
        } catch {
            #expect(error.code == .unauthorized)
        }
        // Over the switch link: another agent's extension, and the network's requests, are refused.
        let (link, _) = try await server.link("fabio")
        defer { Task { await link.stop() } }
        await #expect(throws: SwitchRefusal.forbidden("extension 2071 is not this session's seat (2050)")) {
            _ = try await link.send(.pause(extension: "2071", reason: "Almoço"))
        }
        await #expect(throws: SwitchRefusal.self) { _ = try await link.send(.incoming(phone: "4832819500", service: "Suporte")) }
        // The registry's rules hold for a client that would not apply them: fabio may not barge in.
        _ = try await link.send(.login(extension: "2050", paused: nil))
        await #expect(throws: SwitchRefusal.forbidden("barging in needs the admin role")) {
            _ = try await link.send(.barge(extension: "2050", target: "2071"))
        }
        // A logout revokes the token.
        try await server.client.logout(token: fabio.token)
        do {
            _ = try await server.client.registry(token: fabio.token)
            Issue.record("a revoked token was accepted")
        } catch {
            #expect(error.code == .unauthorized)
        }
    }

    /// Two agents share the queue: the call rings at the longest-idle free agent only; the
    /// answered call is recorded once on the server, with its log.
    @Test func aQueueCallRingsTheLongestIdleAgentAndIsRecordedOnce() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let admin = try await server.login("intelbras")
        let (fabio, fabioFeed) = try await server.link("fabio")
        let (luan, luanFeed) = try await server.link("luan")
        defer { Task { await fabio.stop(); await luan.stop() } }
        _ = try await fabio.send(.login(extension: "2050", paused: nil))
        _ = try await luan.send(.login(extension: "2071", paused: nil))

        try await server.client.call(phone: "4832819500", service: "Suporte", token: admin.token)
        let ring = await fabioFeed.event { if case .ringing = $0 { return true } else { return false } }
        guard case .ringing(let call)? = ring else { Issue.record("no ring at fabio"); return }
        #expect(call.agent == "2050")
        // luan sees the same call ringing at fabio, not at himself.
        let seen = await luanFeed.event { if case .ringing = $0 { return true } else { return false } }
        guard case .ringing(let seenCall)? = seen else { Issue.record("luan saw no ring"); return }
        #expect(seenCall.id == call.id && seenCall.agent == "2050")

        _ = try await fabio.send(.answer(extension: "2050"))
        _ = try await fabio.send(.hangup(extension: "2050"))
        _ = await fabioFeed.event { if case .ended = $0 { return true } else { return false } }
        #expect(try server.query("SELECT agent, end_reason FROM calls WHERE call_id = '\(call.id.uuidString)'") == "2050|agent")
        #expect(try server.query("SELECT COUNT(*) FROM calls") == "1")
        let log = try server.query("SELECT group_concat(event, ' ') FROM (SELECT event FROM call_events WHERE call_id = '\(call.id.uuidString)' ORDER BY sequence)")
        #expect(log == "ENTERQUEUE RINGING CONNECT COMPLETEAGENT")
    }

    @Test func anAbandonedQueuedCallLeavesExactlyOneLoss() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let (fabio, _) = try await server.link("fabio")
        let (network, networkFeed) = try await server.link("intelbras", monitor: true)
        defer { Task { await fabio.stop(); await network.stop() } }
        _ = try await fabio.send(.login(extension: "2050", paused: "Almoço"))
        _ = try await network.send(.incoming(phone: "4832819500", service: "Suporte"))
        _ = await networkFeed.event { if case .queued = $0 { return true } else { return false } }
        _ = try await network.send(.abandonOldest)
        _ = await networkFeed.event { if case .ended(_, .abandonedInQueue, _) = $0 { return true } else { return false } }
        #expect(try server.query("SELECT COUNT(*), place, phone FROM losses") == "1|queue|4832819500")
    }

    /// SIGTERM: the workstation is told, the call in progress is ended and recorded, the server exits 0.
    @Test func sigtermEndsAndRecordsTheCallsInProgress() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        let (fabio, feed) = try await server.link("fabio")
        let (network, _) = try await server.link("intelbras")
        defer { Task { await fabio.stop(); await network.stop() } }
        _ = try await fabio.send(.login(extension: "2050", paused: nil))
        _ = try await network.send(.incoming(phone: "4832819500", service: "Suporte"))
        _ = await feed.event { if case .ringing = $0 { return true } else { return false } }
        _ = try await fabio.send(.answer(extension: "2050"))
        #expect(server.terminate() == 0)
        #expect(await feed.next { $0 == .lost } == .lost)
        #expect(await fabio.lastGoodbye == "server shutting down")
        #expect(try server.query("SELECT end_reason FROM calls") == "agent")
        #expect(try server.query("SELECT event FROM call_events ORDER BY sequence DESC LIMIT 1") == "LOGOFF")
    }

    /// The server vanishes (kill -9): the link says it is lost, and when a server is back on the
    /// same port the link reconnects by itself and starts again from its state.
    @Test func theLinkIsLostWhenTheServerDiesAndBackWhenItReturns() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        let (fabio, feed) = try await server.link("fabio")
        defer { Task { await fabio.stop() } }
        let before = try await fabio.send(.login(extension: "2050", paused: nil))
        server.kill()
        #expect(await feed.next { $0 == .lost } == .lost)
        await #expect(throws: SwitchRefusal.unreachable) { _ = try await fabio.send(.pause(extension: "2050", reason: "Almoço")) }
        let again = try RunningServer(dir: dir.url, port: server.port)
        defer { _ = again.terminate() }
        let back = await feed.next(within: 30) { if case .restored = $0 { return true } else { return false } }
        guard case .restored(let snapshot)? = back else { Issue.record("the link did not come back"); return }
        // A new server process: its switch starts with nobody seated.
        #expect(snapshot.lines.first { $0.extension == "2050" }?.loggedIn == false)
        // Its events are numbered on from where the last one left off.
        #expect(snapshot.through >= before.through)
        _ = try await fabio.send(.login(extension: "2050", paused: nil))
    }

    /// A workstation that vanishes keeps its seat for the grace period: the call ringing there
    /// goes to the next agent, the agent can come back to the same seat, and when the grace
    /// period ends without them the server logs them out.
    @Test func aVanishedWorkstationKeepsItsSeatForTheGracePeriod() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url, arguments: ["--seat-grace", "2"])
        defer { _ = server.terminate() }
        let (fabio, fabioFeed) = try await server.link("fabio")
        let (luan, luanFeed) = try await server.link("luan")
        let (network, networkFeed) = try await server.link("intelbras", monitor: true)
        defer { Task { await luan.stop(); await network.stop() } }
        _ = try await fabio.send(.login(extension: "2050", paused: nil))
        _ = try await luan.send(.login(extension: "2071", paused: nil))
        _ = try await network.send(.incoming(phone: "4832819500", service: "Suporte"))
        _ = await fabioFeed.event { if case .ringing(let c) = $0 { return c.agent == "2050" } else { return false } }
        await fabio.stop()
        let moved = await luanFeed.event { if case .ringing(let c) = $0 { return c.agent == "2071" } else { return false } }
        #expect(moved != nil, "the call ringing at the vanished workstation did not go to the next agent")

        // Back within the grace period: still seated, the login is taken as a return.
        let (back, _) = try await server.link("fabio")
        let floor = await back.snapshot(for: .everything)
        #expect(floor.lines.first { $0.extension == "2050" }?.loggedIn == true)
        _ = try await back.send(.login(extension: "2050", paused: nil))
        // Gone again, for longer than the grace period: logged out by the server.
        await back.stop()
        let out = await networkFeed.event(within: 20) {
            if case .agentChanged(let line) = $0 { return line.extension == "2050" && !line.loggedIn } else { return false }
        }
        #expect(out != nil, "the seat was not released after the grace period")
    }

    /// A message that is not of the protocol gets one goodbye saying so, and the connection closes.
    @Test func aMessageOutsideTheProtocolIsAnsweredWithGoodbyeAndTheConnectionCloses() async throws {
        let dir = try TemporaryDirectory()
        let server = try RunningServer(dir: dir.url)
        defer { _ = server.terminate() }
        let token = try await server.login("fabio").token
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let received = Received()
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(server.port)/api/v1/switch", configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers),
            logger: Logger(label: "test.raw")
        ) { inbound, outbound, _ in
            try await outbound.write(.text("hello"))
            for try await frame in inbound.messages(maxSize: 1 << 24) {
                if case .text(let text) = frame { await received.add(text) }
            }
        }
        let texts = await received.texts
        #expect(texts.count == 2)
        #expect(texts.first?.contains("welcome") == true)
        #expect(texts.last?.contains("not a message of this protocol") == true)
    }

    actor Received {
        var texts: [String] = []
        func add(_ t: String) { texts.append(t) }
    }

    /// Every line of `text` is a comment or `name{labels} value` (Prometheus text format 0.0.4).
    static func checkPrometheusText(_ text: String) throws {
        let sample = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.eE+Inf-]+$"#)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.wholeMatch(of: sample) != nil, "not a Prometheus sample line: \(line)")
        }
    }
}
