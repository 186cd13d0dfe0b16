import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// `atende admin export` (issue 12, item 9; RP-6): the call center's history from the server, as
/// the real binary writes it from a real server's records — each attendance once, the
/// workstation's record and the switch's merged, with its qualification; an admin sees everyone's,
/// an agent their own; a server that vanishes midway leaves no file that looks whole.
@Suite(.serialized)
struct AdminExportTests {
    static let columns = [
        "id", "call_id", "type", "service", "phone", "contact", "agent", "group", "extension", "queued_at", "ringing_at",
        "answered_at", "ended_at", "talk_seconds", "wait_seconds", "hold_seconds", "ended_by", "transfer_target",
        "qualification", "mismatches",
    ]

    @Test func theServersHistoryIsEveryAttendanceOnceWithItsQualificationAndOnlyTheUsersOwnForAnAgent() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { _ = server.terminate() }
        let fabioDir = tmp.url.appendingPathComponent("fabio")
        let fabio = try FloorTests.workstation("fabio", server: server, dir: fabioDir)
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20))
        let admin = try await server.login("intelbras")

        // A call answered, ended and qualified on the workstation; the workstation dies during the
        // next: the server's record of that one is the switch's alone.
        try await SwitchRecordSyncTests.answerAndQualify(fabio, dir: fabioDir, server: server, admin: admin)
        let first = try SyncAcceptanceTests.query(fabioDir, "SELECT id FROM attendances")
        try await SwitchRecordSyncTests.dieDuringACall(fabio, server: server, admin: admin)
        #expect(try server.query("SELECT COUNT(*) FROM sync_records WHERE entity = 'attendance'") == "2")
        // Another agent's attendance, as luan's workstation would have pushed it.
        _ = try server.query(
            """
            INSERT INTO sync_records (entity, entity_id, owner, record) VALUES ('attendance', '00000000-0000-8000-8000-0000000000AA', 'luan',
            json_object('entity', 'attendance', 'id', '00000000-0000-8000-8000-0000000000AA', 'fields', json_object('type', 'outbound',
            'phone', '4821060006', 'agent', 'luan', 'group', 'ativas', 'extension', '2071', 'answeredAt', 1000000000, 'endedAt', 1000000060,
            'talkSeconds', 60, 'waitSeconds', 0, 'holdSeconds', 0, 'endedBy', 'agent'), 'stamps', json_object(), 'origins', json_object(),
            'bases', json_object()))
            """)
        let address = ["--server", "127.0.0.1:\(server.port)", "--lang", "en"]

        // An admin's CSV: the three, oldest first, under the workstation's export's columns.
        let csvPath = tmp.url.appendingPathComponent("history.csv").path
        let csv = try AtendeBinary.run(["admin", "export", "--user", "intelbras", "--out", csvPath] + address, input: "Segredo-123\n")
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stderr.contains("3 attendance(s) exported to \(csvPath)."), "\(csv.stderr)")
        let lines = try String(contentsOfFile: csvPath, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == Self.columns.joined(separator: ","))
        #expect(lines.count == 4)
        let rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(Self.columns, line.components(separatedBy: ",")))
        }
        #expect(rows.map { $0["agent"] } == ["luan", "fabio", "fabio"])
        #expect(rows.map { $0["id"] }.filter { $0 == first }.count == 1)
        let qualified = rows.first { $0["id"] == first }
        #expect(qualified?["qualification"] == "SUPORTE")
        #expect(qualified?["phone"] == "4832819500")
        #expect(qualified?["mismatches"] == "0")
        // The call the workstation did not live to record: the switch's times, talk counted from them.
        let hostOnly = rows.first { $0["phone"] == "4832819501" }
        #expect(hostOnly?["ended_by"] == "customer")
        #expect(hostOnly?["qualification"] == "")
        #expect(hostOnly?["call_id"]?.isEmpty == false)
        #expect(hostOnly.flatMap { $0["talk_seconds"] }.flatMap { Int($0) } != nil)
        #expect(hostOnly?["hold_seconds"] == "")

        // JSON Lines on standard output, one agent's: the same keys, numbers as numbers.
        let jsonl = try AtendeBinary.run(["admin", "export", "--user", "intelbras", "--format", "jsonl", "--agent", "fabio"] + address, input: "Segredo-123\n")
        #expect(jsonl.status == 0, "\(jsonl.stderr)")
        let objects = try jsonl.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(objects.count == 2)
        #expect(objects.allSatisfy { Set($0.keys) == Set(Self.columns) && $0["agent"] as? String == "fabio" && $0["talk_seconds"] is NSNumber })
        #expect(objects.contains { $0["qualification"] is NSNull })

        // An agent exports their own only, and may not name another; the server says so too.
        let own = try AtendeBinary.run(["admin", "export", "--user", "fabio", "--format", "jsonl"] + address, input: "Segredo-123\n")
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.lines.count == 2)
        #expect(!own.stdout.contains("luan"))
        let other = try AtendeBinary.run(["admin", "export", "--user", "fabio", "--agent", "luan"] + address, input: "Segredo-123\n")
        #expect(other.status == 1)
        #expect(other.errorLines == ["error: only supervisors and admins can act for other agents."], "\(other.stderr)")
        #expect(other.stdout.isEmpty)
        let nobody = try AtendeBinary.run(["admin", "export", "--user", "intelbras", "--agent", "ninguem"] + address, input: "Segredo-123\n")
        #expect(nobody.status == 1)
        #expect(nobody.errorLines.count == 1)
        #expect(nobody.errorLines.first?.contains("ninguem") == true, "\(nobody.stderr)")
        let token = try await server.login("fabio").token
        var refusal: ServerProblem?
        do {
            _ = try await server.client.export(
                ServerExportRequest(from: nil, to: nil, agent: "luan", format: .csv, excel: false, timeZone: .current), token: token,
                start: { _ in }, body: { _ in })
        } catch let problem as ServerProblem {
            refusal = problem
        }
        #expect(refusal?.code == .forbidden)

        // Every export is in the audit trail, with who and how many.
        #expect(try server.query("SELECT actor, detail FROM audit WHERE action = 'export' ORDER BY id")
            == "intelbras|3 attendances as csv\nintelbras|2 attendances as jsonl, agent fabio\nfabio|2 attendances as jsonl, agent fabio")

        // Bad input: one line, exit 2, nothing asked of the server.
        let format = try AtendeBinary.run(["admin", "export", "--user", "intelbras", "--format", "xml"] + address, input: "Segredo-123\n")
        #expect(format.status == 2)
        #expect(format.errorLines == ["error: unknown format \"xml\". Use csv or jsonl."])
        let day = try AtendeBinary.run(["admin", "export", "--user", "intelbras", "--from", "32/01/2026"] + address, input: "Segredo-123\n")
        #expect(day.status == 2)
        #expect(day.errorLines.count == 1)
        #expect(day.errorLines.first?.contains("32/01/2026") == true)
        #expect(try server.query("SELECT COUNT(*) FROM audit WHERE action = 'export'") == "3")
    }

    @Test func aServerThatVanishesMidwayLeavesNoFileThatLooksWholeAndSaysSo() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url.appendingPathComponent("server"))
        defer { if server.process.process.isRunning { server.kill() } }
        _ = try await server.login("intelbras")
        // 200,000 attendances: an export that takes a while.
        _ = try server.query(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
            INSERT INTO sync_records (entity, entity_id, owner, record)
            SELECT 'attendance', printf('%08X-0000-8000-8000-%012X', i, i), 'fabio', json_object('entity', 'attendance',
                'id', printf('%08X-0000-8000-8000-%012X', i, i), 'fields', json_object('type', 'inbound', 'service', 'Suporte',
                'phone', '4832819500', 'agent', 'fabio', 'group', 'receptivas', 'extension', '2050', 'answeredAt', 1764000000 + i * 60,
                'endedAt', 1764000000 + i * 60 + 180, 'endedBy', 'agent'), 'stamps', json_object(), 'origins', json_object(),
                'bases', json_object())
            FROM n
            """)
        let out = tmp.url.appendingPathComponent("history.csv")
        try Data("the previous export\n".utf8).write(to: out)
        let export = try RunningAtende(["admin", "export", "--user", "intelbras", "--server", "127.0.0.1:\(server.port)", "--lang", "en", "--out", out.path])
        export.type("Segredo-123")
        // Killed once the export is under way: its first page sent (the server says so in its log).
        #expect(server.process.waitFor("history export under way", inErrors: true, timeout: 30), "\(server.process.stderr.suffix(300))")
        server.kill()
        #expect(export.waitFor("error: Export interrupted after", inErrors: true, timeout: 30), "\(export.stderr)")
        #expect(export.finish() == 1)
        #expect(export.stderr.contains("\(out.path) was not written; run the export again."))
        #expect(export.stderr.split(separator: "\n").count == 1, "\(export.stderr)")
        // The file that was there is untouched, and no half-written one is left beside it.
        #expect(try String(contentsOf: out, encoding: .utf8) == "the previous export\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path).filter { $0.contains(".tmp-") } == [])
    }
}
