import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// `atende import contacts` and `atende export`, through the real binary on real files.
@Suite struct ImportExportTests {
    @Test func importKeepsGoodRowsAndReportsEachBadOne() throws {
        // Given a spreadsheet-style CSV (`;`, Portuguese headers) with broken rows
        let dir = TemporaryDirectory()
        let csv = try dir.write(
            "contacts.csv",
            """
            nome;telefone;empresa;email
            Maria Souza;(48) 3281-9500;Intelbras;maria@example.com
            ;4832819501;Sem nome;
            João "Broken;123;x;y
            Pedro Alves;abc;Acme;
            Ana Lima;11 98765-4321|4830001111;Acme;ana@example.com
            Extra;4833334444;A;b;c

            """)
        // When fabio (contact-edit) imports it
        try Self.signUp(dir, "fabio", password: "fabio-pass")
        let r = try AtendeBinary.run(
            ["import", "contacts", csv.path, "--user", "fabio", "--data-dir", dir.path, "--lang", "en"], input: "fabio-pass\n")
        // Then each bad row gets one line with its number and reason, and the good rows are kept
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "line 3: the name is required. Give a value.",
            "line 4: quote inside an unquoted field.",
            "line 5: invalid phone \"abc\": character \"a\" is not allowed.",
            "line 7: 5 fields, the header has 4.",
            "2 contact(s) imported, 4 row(s) refused.",
        ])
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        #expect(try store.contacts.count() == 2)
        let ana = try #require(try store.search.contacts("987654321").first)
        #expect(ana.name == "Ana Lima")
        #expect(ana.phones.map(\.e164) == ["+5511987654321", "+554830001111"])
    }

    @Test func importOfAMissingFileSaysSo() throws {
        let dir = TemporaryDirectory()
        try Self.signUp(dir, "fabio", password: "fabio-pass")
        let r = try AtendeBinary.run(
            ["import", "contacts", dir.file("nope.csv").path, "--user", "fabio", "--data-dir", dir.path, "--lang", "en"],
            input: "fabio-pass\n")
        #expect(r.status == 1)
        #expect(r.errorLines == ["error: file not found: \(dir.file("nope.csv").path). Check the path."])
    }

    /// Gives `agent` (by default the admin, who sees both agents' attendances) a password here.
    static func signUp(_ dir: TemporaryDirectory, _ agent: String = "intelbras", password: String = "admin-pass") throws {
        let r = try AtendeBinary.run(
            ["--data-dir", dir.path, "--lang", "en"], input: "login \(agent) receptivas\n\(password)\n\(password)\nlogout\n")
        #expect(r.status == 0, "stderr: \(r.stderr)")
    }

    /// `atende export ARGS` by the admin signed up with ``signUp(_:_:password:)``.
    static func export(_ dir: TemporaryDirectory, _ arguments: [String]) throws -> RunResult {
        try AtendeBinary.run(["export", "--user", "intelbras", "--data-dir", dir.path] + arguments, input: "admin-pass\n")
    }

    /// Fills a store with `count` attendances of two agents over ten days, with awkward text,
    /// through the repository (for small counts).
    static func seed(_ dir: TemporaryDirectory, count: Int) throws {
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        try store.attendances.addAll((0..<count).map { i in
            let at = start.addingTimeInterval(Double(i) * 8.64)
            return Attendance(
                type: i % 3 == 0 ? .outbound : .inbound, service: i % 3 == 0 ? nil : "Suporte", phone: "+554832819500",
                contactName: i % 7 == 0 ? "Souza, \"Zé\"\nda Silva" : "Cliente \(i)", agent: i % 2 == 0 ? "fabio" : "luan",
                group: "receptivas", extension: i % 2 == 0 ? "2050" : "2071", ringingAt: at, answeredAt: at.addingTimeInterval(5),
                endedAt: at.addingTimeInterval(65), talkSeconds: 60, waitSeconds: 5, endedBy: .customer,
                qualification: i % 5 == 0 ? "VENDA" : nil)
        })
    }

    /// The same kind of rows in bulk, written by SQLite itself: the store's schema, made by the
    /// binary, filled by one `INSERT … SELECT` (the repository path is measured by the benchmarks).
    static func bulkSeed(_ dir: TemporaryDirectory, count: Int) throws {
        try signUp(dir)
        _ = try shell("sqlite3", [
            dir.file("atende.sqlite").path,
            """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < \(count))
            INSERT INTO attendances (id, number, type, service, phone, contact_name, agent, group_name, extension,
                ringing_at, answered_at, ended_at, started_at, talk_seconds, wait_seconds, ended_by, qualification, hlc)
            SELECT printf('00000000-0000-0000-0000-%012d', i), i + 1,
                CASE WHEN i % 3 = 0 THEN 'outbound' ELSE 'inbound' END,
                CASE WHEN i % 3 = 0 THEN NULL ELSE 'Suporte' END, '+554832819500',
                CASE WHEN i % 7 = 0 THEN 'Souza, "Zé"' || char(10) || 'da Silva' ELSE 'Cliente ' || i END,
                CASE WHEN i % 2 = 0 THEN 'fabio' ELSE 'luan' END, 'receptivas', '2050',
                1790000000 + i * 8, 1790000005 + i * 8, 1790000065 + i * 8, 1790000005 + i * 8, 60, 5, 'customer',
                CASE WHEN i % 5 = 0 THEN 'VENDA' END, '0'
            FROM n;
            """,
        ])
    }

    @Test func csvExportReadsBackRowForRowInPython() throws {
        // Given a store holding 100,000 attendances
        let dir = TemporaryDirectory()
        try Self.bulkSeed(dir, count: 100_000)
        // When they are exported to CSV
        let out = dir.file("history.csv")
        let r = try Self.export(dir, ["--format", "csv", "--out", out.path, "--lang", "en"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr == "100000 attendance(s) exported to \(out.path).\n")
        // Then Python's csv module reads every row back, with the awkward names intact
        let check = try shell("python3", [
            "-c",
            """
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
            assert rows[0][:4] == ['number', 'type', 'service', 'phone'], rows[0]
            assert all(len(r) == len(rows[0]) for r in rows)
            numbers = [int(r[0]) for r in rows[1:]]
            assert numbers == list(range(1, 100001)), 'numbers out of order'
            assert rows[1][4] == 'Souza, "Zé"\\nda Silva', rows[1][4]
            print(len(rows) - 1)
            """,
            out.path,
        ])
        #expect(check == "100000\n")
    }

    @Test func excelAndJSONLinesExports() throws {
        let dir = TemporaryDirectory()
        try Self.seed(dir, count: 30)
        try Self.signUp(dir)
        let excel = try Self.export(dir, ["--format", "csv", "--excel"])
        #expect(excel.status == 0)
        #expect(excel.stdout.hasPrefix("\u{FEFF}number;type;service;phone"))
        let jsonl = try Self.export(dir, ["--format", "jsonl", "--agent", "luan"])
        let objects = try jsonl.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count == 15)
        #expect(objects.allSatisfy { $0["agent"] as? String == "luan" && $0["talk_seconds"] as? Int == 60 })
        let bad = try Self.export(dir, ["--format", "xml", "--lang", "en"])
        #expect(bad.status == 1)
        #expect(bad.errorLines == ["error: unknown format \"xml\". Use csv or jsonl."])
    }

    @Test func exportMemoryDoesNotGrowWithTheRowCount() throws {
        // Peak resident memory of the whole process, measured by a Python parent for each run.
        func peakKiB(rows: Int) throws -> Int {
            let dir = TemporaryDirectory()
            try Self.bulkSeed(dir, count: rows)
            let peak = try shell("python3", [
                "-c",
                """
                import resource, subprocess, sys
                subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, input=b"admin-pass\\n")
                print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
                """,
                AtendeBinary.url.path, "export", "--user", "intelbras", "--format", "csv", "--out", dir.file("out.csv").path, "--data-dir", dir.path,
            ])
            return try #require(Int(peak.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let small = try peakKiB(rows: 5_000)
        let large = try peakKiB(rows: 100_000)
        // Twenty times the rows may not cost more than 8 MiB more memory.
        #expect(large - small < 8 * 1024, "5,000 rows: \(small) KiB; 100,000 rows: \(large) KiB")
    }
}
