import AtendeCore
import FaultProxy
import Foundation
import Testing
import TestSupport

/// The sync fault harness (issue 12, item 10): a real server and two real workstations, each
/// through its own fault-injecting proxy, random edits from both (notes, one agenda event both
/// edit, chat), random faults (partitions one way or both, resets, refusals, delays, `kill -9` of
/// the server and its restart, and on demand `kill -9` of a workstation and its restart), fabio's
/// clock an hour ahead on odd seeds; then everything heals and the run checks that nothing was
/// lost or doubled, that every replica holds the same, and that every value that lost is kept
/// where each replica keeps them.
///
/// CI runs the seeds below. A long run: `ATENDE_FAULT_RUNS=1000 swift test --filter SyncFaultHarnessTests`
/// (seeds 1 to N), or `ATENDE_FAULT_SEEDS=101-200` for a range, with `ATENDE_FAULT_LOG=FILE` for a
/// line per run; its results are in docs/RELIABILITY.md.
@Suite(.serialized)
struct SyncFaultHarnessTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let range = environment["ATENDE_FAULT_SEEDS"]?.split(separator: "-").compactMap({ UInt64($0) }), range.count == 2,
            range[0] <= range[1]
        {
            return Array(range[0]...range[1])
        }
        if let runs = environment["ATENDE_FAULT_RUNS"].flatMap(UInt64.init), runs > 0 {
            return Array(1...runs)
        }
        return [1, 2, 3]
    }

    static var killsWorkstations: Bool { ProcessInfo.processInfo.environment["ATENDE_FAULT_KILL_WORKSTATIONS"] == "1" }

    /// One line per run, appended as it ends (`ATENDE_FAULT_LOG`), so a long campaign keeps what it did.
    static func log(_ line: String) {
        guard let path = ProcessInfo.processInfo.environment["ATENDE_FAULT_LOG"] else { return }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let file = FileHandle(forWritingAtPath: path) else { return }
        file.seekToEndOfFile()
        file.write(Data((line + "\n").utf8))
        try? file.close()
    }

    @Test func everyRunHealsWithNothingLostNothingDoubledAndEveryReplicaEqual() async throws {
        var failures: [String] = []
        var heal: [Double] = []
        for seed in Self.seeds {
            do {
                let drained = try await Self.run(seed: seed)
                heal.append(drained)
                Self.log("seed \(seed): ok, outboxes empty \(String(format: "%.2f", drained)) s after healing")
            } catch {
                failures.append("seed \(seed): \(error)")
                Self.log("seed \(seed): FAILED \(error)")
            }
        }
        let sorted = heal.sorted()
        let p50 = sorted.isEmpty ? 0 : sorted[sorted.count / 2], worst = sorted.last ?? 0
        let report = "\(Self.seeds.count) runs, \(failures.count) failed; outboxes empty after healing: p50 \(String(format: "%.2f", p50)) s, worst \(String(format: "%.2f", worst)) s"
        print("sync fault harness: " + report)
        if let out = ProcessInfo.processInfo.environment["ATENDE_FAULT_REPORT"] {
            try? (report + "\n" + failures.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: what()) }
    }

    /// One run; returns how long after healing the outboxes were empty, in seconds.
    static func run(seed: UInt64) async throws -> Double {
        var random = SplitMix64(state: seed)
        let tmp = try TemporaryDirectory()
        let serverDir = tmp.url.appendingPathComponent("server")
        var server = try RunningServer(dir: serverDir)
        defer { _ = server.terminate() }
        let port = server.port
        try await SyncAcceptanceTests.makeLuanSupervisor(server)
        let fabioProxy = try await FaultProxy.start(forwardingTo: port)
        let luanProxy = try await FaultProxy.start(forwardingTo: port)
        defer {
            Task {
                await fabioProxy.stop()
                await luanProxy.stop()
            }
        }
        let fabioDir = tmp.url.appendingPathComponent("fabio"), luanDir = tmp.url.appendingPathComponent("luan")
        var fabioArguments = [
            "--data-dir", fabioDir.path, "--lang", "en", "--server", "127.0.0.1:\(fabioProxy.port)", "--transfer", "off", "--keep-going",
        ]
        if seed % 2 == 1 {
            let ahead = DateFormatter()
            ahead.dateFormat = "yyyy-MM-dd HH:mm"
            fabioArguments += ["--clock", "manual", "--now", ahead.string(from: Date().addingTimeInterval(3600))]
        }
        let luanArguments = [
            "--data-dir", luanDir.path, "--lang", "en", "--server", "127.0.0.1:\(luanProxy.port)", "--transfer", "off", "--keep-going",
        ]
        var fabio = try RunningAtende(fabioArguments)
        var luan = try RunningAtende(luanArguments)
        defer {
            fabio.type("exit --force")
            luan.type("exit --force")
        }
        for (repl, name) in [(fabio, "fabio"), (luan, "luan")] {
            repl.type("login \(name) receptivas")
            repl.type("Segredo-123")
            repl.type("Segredo-123")
            try check(repl.waitFor("Welcome, \(name.capitalized)", timeout: 20), "\(name) did not log in")
            repl.type("status")
            try check(repl.waitFor("server 127.0.0.1:"), "\(name) has no status")
        }
        // The event both edit: fabio's, seen by luan, his supervisor.
        fabio.type("agenda new Retorno --start \"\(SyncAcceptanceTests.tomorrow) 10:00\" --end \"\(SyncAcceptanceTests.tomorrow) 10:30\"")
        try check(fabio.waitFor("Agenda event 1 created."), "no event")
        // (fabio's manual clock does not move: his background retries wait for it, so he syncs.)
        try check(try SyncAcceptanceTests.sync(fabio) { try SyncAcceptanceTests.query(fabioDir, "SELECT COUNT(*) FROM outbox") == "0" },
            "fabio's event did not go")
        try check(try SyncAcceptanceTests.sync(luan) {
            try SyncAcceptanceTests.query(luanDir, "SELECT COUNT(*) FROM agenda_events") == "1"
        }, "luan never got the event; fabio: \(fabio.stdout.suffix(600)) \(fabio.stderr.suffix(300))")
        let luanEvent = try SyncAcceptanceTests.query(luanDir, "SELECT number FROM agenda_events")

        var notes: [Int: String] = [:]
        var chats: [String] = []
        var counts: [ObjectIdentifier: Int] = [:]
        /// Types `line` and waits for its `answer`, counted (answers repeat).
        func act(_ repl: RunningAtende, _ line: String, _ answer: String) throws {
            let key = ObjectIdentifier(repl)
            let before = repl.stdout.components(separatedBy: answer).count
            repl.type(line)
            try check(repl.waitUntil(timeout: 10) { out, _ in out.components(separatedBy: answer).count > before }, "no answer to \(line)")
            counts[key, default: 0] += 1
        }
        /// A workstation killed mid-whatever (`kill -9`: a push, a pull, a write in flight), started
        /// again on its store and logged in — offline when its proxy cuts it off (a login waits for
        /// the server's answer up to its timeout), online by itself later.
        func restart(_ repl: RunningAtende, _ name: String, _ arguments: [String]) throws -> RunningAtende {
            Foundation.kill(repl.process.processIdentifier, SIGKILL)
            repl.process.waitUntilExit()
            let again = try RunningAtende(arguments)
            again.type("login \(name) receptivas")
            again.type("Segredo-123")
            try check(again.waitFor("Welcome, \(name.capitalized)", timeout: 45), "\(name) did not log in again: \(again.stdout.suffix(300)) \(again.stderr.suffix(300))")
            return again
        }
        // Workstations killed too only on demand (`ATENDE_FAULT_KILL_WORKSTATIONS=1`): runs with them
        // still fail (docs/RELIABILITY.md); without, every seed draws what it always drew.
        let faults: UInt64 = Self.killsWorkstations ? 10 : 9
        for step in 0..<14 {
            switch random.next() % faults {
            case 0, 1:
                let text = "nota \(seed)-\(step)"
                if let number = notes.keys.sorted().randomElement(using: &random), random.next() % 2 == 0 {
                    try act(fabio, "note edit \(number) \(text)", "Note \(number) changed.")
                    notes[number] = text
                } else {
                    let number = notes.count + 1
                    try act(fabio, "note add \(text)", "Note \(number) added.")
                    notes[number] = text
                }
            case 2:
                try act(fabio, "agenda edit 1 --\(random.next() % 2 == 0 ? "obs" : "name") \"fabio \(seed)-\(step)\"", "Agenda event 1 changed.")
            case 3:
                try act(luan, "agenda edit \(luanEvent) --\(random.next() % 2 == 0 ? "obs" : "name") \"luan \(seed)-\(step)\"", "Agenda event \(luanEvent) changed.")
            case 4:
                let text = "oi \(seed)-\(step)"
                try act(fabio, "chat luan \(text)", "Message to luan kept")
                chats.append(text)
            case 5:
                let proxy = random.next() % 2 == 0 ? fabioProxy : luanProxy
                let direction = [FaultProxy.Direction.both, .toServer, .toClient][Int(random.next() % 3)]
                await proxy.set(.partition(direction))
            case 6:
                let proxy = random.next() % 2 == 0 ? fabioProxy : luanProxy
                await proxy.set(random.next() % 2 == 0 ? .refuse : .delay(milliseconds: Int(random.next() % 300)))
                if random.next() % 2 == 0 { await proxy.resetAll() }
            case 7:
                await fabioProxy.heal()
                await luanProxy.heal()
            case 8:
                // The server killed mid-whatever, and back on its port and data.
                server.kill()
                server = try RunningServer(dir: serverDir, port: port)
            default:
                if random.next() % 2 == 0 {
                    fabio = try restart(fabio, "fabio", fabioArguments)
                } else {
                    luan = try restart(luan, "luan", luanArguments)
                }
            }
        }

        // Heal: the network and the server; every outbox drains, every replica agrees.
        await fabioProxy.heal()
        await luanProxy.heal()
        let healed = Date()
        for (repl, dir) in [(fabio, fabioDir), (luan, luanDir), (fabio, fabioDir)] {
            try check(try SyncAcceptanceTests.sync(repl) { try SyncAcceptanceTests.query(dir, "SELECT COUNT(*) FROM outbox") == "0" },
                "an outbox did not drain: \((try? SyncAcceptanceTests.query(dir, "SELECT entity || ' ' || operation || ' ' || hlc FROM outbox LIMIT 3")) ?? ""); "
                    + "said: \(repl.stdout.suffix(400)) \(repl.stderr.suffix(400))")
        }
        let drained = Date().timeIntervalSince(healed)
        let agenda = "SELECT name || '|' || COALESCE(observation, '') FROM agenda_events"
        let fabioAgenda = try SyncAcceptanceTests.query(fabioDir, agenda)
        try check(try SyncAcceptanceTests.sync(luan) { try SyncAcceptanceTests.query(luanDir, agenda) == fabioAgenda },
            "the event differs: fabio \(fabioAgenda), luan \((try? SyncAcceptanceTests.query(luanDir, agenda)) ?? "")")
        let serverAgenda = try server.query(
            "SELECT json_extract(record, '$.fields.name') || '|' || COALESCE(json_extract(record, '$.fields.observation'), '') FROM sync_records WHERE entity = 'agenda'")
        try check(serverAgenda == fabioAgenda, "the server's event \(serverAgenda), fabio's \(fabioAgenda)")

        // Nothing lost: every note as last written, on fabio's and on the server.
        let fabioNotes = try SyncAcceptanceTests.query(fabioDir, "SELECT group_concat(text, '|') FROM (SELECT text FROM notes ORDER BY text)")
        let typed = notes.values.sorted().joined(separator: "|")
        try check(fabioNotes == typed, "fabio's notes \(fabioNotes), typed \(typed)")
        let serverNotes = try server.query(
            "SELECT group_concat(t, '|') FROM (SELECT json_extract(record, '$.fields.text') t FROM sync_records WHERE entity = 'note' ORDER BY t)")
        try check(serverNotes == typed, "the server's notes \(serverNotes), typed \(typed)")
        // Every chat once, in order.
        let received = try SyncAcceptanceTests.query(luanDir, "SELECT group_concat(body, '|') FROM (SELECT body FROM chat_messages ORDER BY sent_at, hlc)")
        try check(received == chats.joined(separator: "|"), "luan's chat \(received), sent \(chats)")
        // Nothing doubled: each operation applied once.
        let applied = try server.query("SELECT COUNT(*) FROM sync_changes")
        try check(applied == (try server.query("SELECT COUNT(DISTINCT op_id) FROM sync_changes")), "an operation applied twice")
        // Every value that lost is kept, the same on the server and on both workstations.
        let lost = "SELECT group_concat(k, ',') FROM (SELECT DISTINCT field || '@' || lost_hlc k FROM sync_conflicts WHERE entity = 'agenda' ORDER BY k)"
        let serverLost = try server.query(lost)
        try check(try SyncAcceptanceTests.query(fabioDir, lost) == serverLost, "fabio's conflicts differ from the server's")
        try check(try SyncAcceptanceTests.query(luanDir, lost) == serverLost, "luan's conflicts differ from the server's")
        return drained
    }
}
