import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// The foundation acceptance session, run through the real binary on a new data dir.
@Suite struct AgentSessionTests {
    static let session = """
        login fabio receptivas
        s3cret-pass
        s3cret-pass
        note add Call the bank
        notes
        contacts add "Maria Souza" --phone "(48) 3281-9500" --company Intelbras
        search 32819500
        search maria
        agenda new "Projeto X" --start "11/10/2026 08:00" --end "11/10/2026 09:00" --phone 21060006
        agenda --pending
        config areacode 11
        logout

        """

    func atende(_ dir: TemporaryDirectory, _ extra: [String] = [], _ input: String) throws -> RunResult {
        try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 07:30"] + extra, input: input)
    }

    @Test func firstSessionDoesEveryOfflineTask() throws {
        // Given a new, empty data dir
        let dir = TemporaryDirectory()
        // When the acceptance session is piped in
        let r = try atende(dir, [], Self.session)
        // Then every command succeeds and says what it did
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.isEmpty)
        let out = r.stdout
        #expect(out.contains("First login of fabio"))
        #expect(out.contains("Password created."))
        #expect(out.contains("Welcome, Fabio (group Receptivas)."))
        #expect(out.contains("Note 1 added."))
        #expect(out.contains("1    11/10/2026 07:30  Call the bank"))
        #expect(out.contains("Contact 1 added: Maria Souza."))
        // Both searches find her
        let hits = r.lines.filter { $0.hasPrefix("contact  1    Maria Souza") }
        #expect(hits.count == 2)
        #expect(out.contains("Agenda event 1 created."))
        #expect(out.contains("Projeto X  4821060006  pending"))
        #expect(out.contains("areacode = 11"))
        #expect(out.contains("fabio logged out."))
        // And the store holds it all
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        #expect(try store.notes.list(agent: "fabio").map(\.text) == ["Call the bank"])
        #expect(try store.contacts.count() == 1)
        #expect(try store.agenda.list(agent: "fabio", span: nil, filter: .pending).map(\.name) == ["Projeto X"])
        #expect(try store.preferences.all()["areacode"] == "11")
    }

    @Test func secondRunUsesTheSavedPasswordAndAWrongOneChangesNothing() throws {
        let dir = TemporaryDirectory()
        _ = try atende(dir, [], Self.session)

        // A second run logs in with the saved password (one line) and sees the note.
        let again = try atende(dir, [], "login fabio receptivas\ns3cret-pass\nnotes\n")
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(!again.stdout.contains("First login"))
        #expect(again.stdout.contains("Call the bank"))

        // A wrong password is refused with status 1; the command after it never runs.
        let wrong = try atende(dir, [], "login fabio receptivas\nnot-the-password\nnote add should not exist\n")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.hasPrefix("error: wrong password"))
        #expect(!wrong.stdout.contains("Welcome"))
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        #expect(try store.notes.list(agent: "fabio").count == 1)
    }

    @Test func jsonModePrintsOneObjectPerResult() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, ["--json"], Self.session)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        var types: [String] = []
        for line in r.lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let type = try #require(object?["type"] as? String, "line is not a typed object: \(line)")
            types.append(type)
        }
        // notes → one note; each search → one contact; agenda --pending → one event.
        #expect(types.filter { $0 == "note" }.count == 1)
        #expect(types.filter { $0 == "contact" }.count == 2)
        #expect(types.filter { $0 == "agenda_event" }.count == 1)
        #expect(types.filter { $0 == "message" }.count == 9)
    }

    @Test func theDatabaseHasEveryTableInWALAndNoClearPassword() throws {
        let dir = TemporaryDirectory()
        _ = try atende(dir, [], Self.session)
        let sqlite = try shell("sqlite3", [dir.file("atende.sqlite").path, ".tables", "PRAGMA journal_mode;"])
        for table in [
            "attendances", "qualifications", "qualification_codes", "losses", "agenda_events", "notes", "contacts",
            "contact_phones", "chat_messages", "preferences", "catalog_groups", "catalog_services", "catalog_pause_reasons",
            "catalog_recording_reasons", "extension_directory", "outbox", "sync_cursors", "sync_conflicts", "tombstones",
            "attendance_recordings", "credentials",
        ] {
            #expect(sqlite.split(whereSeparator: \.isWhitespace).contains(Substring(table)), "missing table \(table)")
        }
        #expect(sqlite.hasSuffix("wal\n"))
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let bytes = try Data(contentsOf: dir.file(name))
            #expect(bytes.range(of: Data("s3cret-pass".utf8)) == nil, "\(name) holds the password")
        }
    }

    @Test(arguments: [
        ("frobnicate", "error: unknown command \"frobnicate\". Type `help` for the list."),
        ("note add", "error: `note add` needs TEXT. See `help note add`."),
        (
            "agenda new \"X\" --start \"31/02/2026 08:00\" --end \"01/03/2026 09:00\"",
            "error: invalid date \"31/02/2026 08:00\". Use dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM."
        ),
        (
            "agenda new \"X\" --start \"11/10/2026 10:00\" --end \"11/10/2026 09:00\"",
            "error: the end is before the start. Give an end at or after the start."
        ),
        ("config areacode 1", "error: invalid value for areacode: \"1\". Use a 2-digit area code (11 to 99)."),
        ("contacts add Bad --phone 12ab", "error: invalid phone \"12ab\": character \"a\" is not allowed."),
    ])
    func badInputGivesOneLineAndChangesNothing(command: String, message: String) throws {
        let dir = TemporaryDirectory()
        _ = try atende(dir, [], "login fabio receptivas\npw-1234\npw-1234\n")
        let before = try shell("sqlite3", [dir.file("atende.sqlite").path, "SELECT COUNT(*) FROM outbox;"])
        let r = try atende(dir, [], "login fabio receptivas\npw-1234\n\(command)\nnote add not reached\n")
        #expect(r.status == 1)
        #expect(r.errorLines == [message])
        let after = try shell("sqlite3", [dir.file("atende.sqlite").path, "SELECT COUNT(*) FROM outbox;"])
        #expect(before == after)
    }

    @Test func keepGoingRunsEveryLineAndStillFails() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, ["--keep-going"], "login fabio receptivas\npw-1234\npw-1234\nbogus\nnote add after\n")
        #expect(r.status == 1)
        #expect(r.stdout.contains("Note 1 added."))
    }

    @Test func portugueseIsTheDefaultForPtLocales() throws {
        let dir = TemporaryDirectory()
        let r = try AtendeBinary.run(
            ["--data-dir", dir.path], input: "login fabio receptivas\npw-1234\npw-1234\nnote add Ligar\nfrobnicate\n",
            environment: ["LANG": "pt_BR.UTF-8"])
        #expect(r.stdout.contains("Aviso 1 criado."))
        #expect(r.stderr == "erro: comando desconhecido \"frobnicate\". Digite `help` para a lista.\n")
    }
}

/// Runs a command-line tool and returns its standard output.
func shell(_ tool: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
