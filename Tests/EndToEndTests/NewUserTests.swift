import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// Small truths a new user finds in the first hour (issue 10, item 14), each through the binary.
@Suite struct NewUserTests {
    static let login = ["login fabio receptivas", "pw123456", "pw123456"]

    func atende(_ dir: TemporaryDirectory, _ lines: [String], _ extra: [String] = ["--lang", "en"], environment: [String: String] = [:])
        throws -> RunResult
    {
        try AtendeBinary.run(
            ["--data-dir", dir.path, "--clock", "manual", "--now", "2026-10-11 09:00", "--transfer", "off", "--keep-going"] + extra,
            input: lines.joined(separator: "\n") + "\n", environment: environment)
    }

    /// The keys of every object in a JSON text, object by object, duplicates kept.
    static func keysPerObject(_ json: String) -> [[String]] {
        var done: [[String]] = []
        var open: [[String]] = []
        var chars = Array(json.unicodeScalars)[...]
        var expectingKey = false
        while let c = chars.popFirst() {
            switch c {
            case "{":
                open.append([])
                expectingKey = true
            case "}": done.append(open.removeLast())
            case ",": expectingKey = !open.isEmpty
            case "[": expectingKey = false
            case "\"":
                var s = ""
                while let d = chars.popFirst(), d != "\"" {
                    if d == "\\", let e = chars.popFirst() { s.unicodeScalars.append(e) } else { s.unicodeScalars.append(d) }
                }
                if expectingKey, !open.isEmpty { open[open.count - 1].append(s) }
                expectingKey = false
            default: break
            }
        }
        return done
    }

    @Test func jsonAttendanceObjectsHaveEachKeyOnce() throws {
        // Given an attendance written
        let r = try atende(TemporaryDirectory(), Self.login + [
            "sim incoming 4832819500 Suporte", "", "hangup", "qualify VENDA", "attendance 1", "calls",
        ], ["--lang", "en", "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // Then every object printed has each key once, and the call's type is `call_type`
        let attendances = r.lines.filter { $0.hasPrefix(#"{"type":"attendance""#) }
        #expect(attendances.count == 2)
        for line in r.lines {
            for keys in Self.keysPerObject(line) {
                #expect(Set(keys).count == keys.count, "duplicate key in \(line)")
            }
        }
        for line in attendances {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["type"] as? String == "attendance")
            #expect(object["call_type"] as? String == "inbound")
        }
    }

    @Test func callsRefusesAnImpossibleDateAsLossesDoes() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["calls 31/02/2026", "losses 31/02/2026", "calls 28/02/2026"])
        #expect(r.status == 1)
        let refusal = #"error: invalid date "31/02/2026". Use dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM."#
        #expect(r.errorLines == [refusal, refusal])
        #expect(r.lines.contains("No attendances in this period."))
    }

    @Test func theDialPlanKnowsNationwideInternationalAndServiceNumbers() throws {
        let r = try atende(TemporaryDirectory(), Self.login + [
            "config qualification off", "dial 0800 123 4567", "hangup", "dial 00 1 212 555 0100", "hangup", "dial 00 21 44 20 7946 0958",
            "hangup", "dial 190", "hangup", "dial 192", "hangup",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let dialling = r.lines.filter { $0.hasPrefix("Dialling") }
        #expect(dialling == [
            "Dialling 08001234567 (dial string 008001234567).",
            "Dialling +12125550100 (dial string 0002112125550100).",
            "Dialling +442079460958 (dial string 00021442079460958).",
            "Dialling 190 (dial string 0190).",
            "Dialling 192 (dial string 0192).",
        ])
    }

    @Test func configLanguageIsHonouredAtOnceAndAtTheNextStart() throws {
        // Given a workstation run without --lang, LANG=C (English)
        let dir = TemporaryDirectory()
        let first = try atende(dir, Self.login + ["config language pt", "notes", "logout"], [])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("Welcome, Fabio"))
        // Then the change speaks Portuguese at once
        #expect(first.lines.contains("Nenhum aviso. Crie um com `note add TEXTO`."), "\(first.stdout)")
        #expect(first.lines.last == "fabio saiu.")
        // And the next start too, unless --lang says otherwise
        let again = try atende(dir, ["login fabio receptivas", "pw123456", "logout"], [])
        #expect(again.stdout.contains("Bem-vindo, Fabio"), "\(again.stdout)")
        let english = try atende(dir, ["login fabio receptivas", "pw123456", "logout"], ["--lang", "en"])
        #expect(english.stdout.contains("Welcome, Fabio"))
    }

    @Test func apostrophesInWordsAreNotQuotes() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            "note add it's for D'Ávila", "contacts add --name 'Joana D'Arc' --phone 4832819500", "contacts add O'Brien",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.lines.contains("Contact 1 added: Joana D'Arc."))
        #expect(r.lines.contains("Contact 2 added: O'Brien."))
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        #expect(try store.notes.list(agent: "fabio").map(\.text) == ["it's for D'Ávila"])
    }

    @Test func aScriptStartingWithAByteOrderMarkRuns() throws {
        let r = try atende(TemporaryDirectory(), ["\u{FEFF}login fabio receptivas", "pw123456", "pw123456", "notes"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Welcome, Fabio"))
    }

    @Test func controlCharactersInStoredTextArePrintedEscaped() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["note add clear\u{1B}[2Jscreen\u{07}", "notes"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the terminal")
        #expect(r.lines.contains { $0.hasSuffix(#"clear\x1b[2Jscreen\x07"#) }, "\(r.stdout)")
    }

    @Test(arguments: [["--lang", "en"], ["--lang", "pt"]])
    func helpFitsOneHundredColumns(language: [String]) throws {
        let r = try atende(TemporaryDirectory(), ["help", "help agenda new", "help contacts edit"], language)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.lines.count > 50)  // one line per command at least
        for line in r.lines {
            #expect(line.count <= 100, "\(line.count) columns: \(line)")
        }
    }

    @Test func helpOfAFamilyListsItAndAWrongMemberIsNotSuggestedItself() throws {
        let r = try atende(TemporaryDirectory(), ["help sim", "help note", "note show", "sim"])
        #expect(r.status == 1)
        #expect(r.lines.contains { $0.hasPrefix("sim advance SECONDS") })
        #expect(r.lines.contains { $0.hasPrefix("note add TEXT") })
        #expect(!r.lines.contains { $0.hasPrefix("login") })
        #expect(r.errorLines == [
            "error: unknown command \"note show\". The note commands: `notes`, `note add`, `note edit`, `note rm` (see `help note`).",
            "error: unknown command \"sim\". The sim commands: `sim incoming`, `sim ring`, `sim answer`, `sim hangup`, `sim abandon`, `sim agent`, `sim advance`, `sim traffic` (see `help sim`).",
        ])
    }

    @Test func thePortugueseInterfaceIsTranslatedThrough() throws {
        // Given a session in Portuguese
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + ["help login", "note add", "note rm x", "calls 31/02/2026"], ["--lang", "pt"])
        // Then the prefix, the placeholders and the hints are Portuguese
        #expect(r.lines.contains("uso: login USUÁRIO GRUPO"), "\(r.stdout)")
        #expect(r.errorLines == [
            "erro: falta TEXTO em `note add`. Veja `help note add`.",
            "erro: N de `note rm` deve ser um número, não \"x\".",
            "erro: data inválida \"31/02/2026\". Use dd/mm/aaaa HH:MM ou aaaa-mm-dd HH:MM.",
        ])
        let help = try atende(dir, ["help"], ["--lang", "pt"])
        #expect(help.lines.contains { $0.hasPrefix("login USUÁRIO GRUPO ") })
        #expect(help.lines.contains { $0.hasPrefix("config [CHAVE] [VALOR…] ") && $0.hasSuffix("altera CHAVE para VALOR") })
        // And --json keeps its keys, with the message alone
        let json = try atende(dir, ["note add"], ["--lang", "pt", "--json"])
        #expect(json.lines == [#"{"type":"error","error":"missingArgument","message":"falta TEXTO em `note add`. Veja `help note add`."}"#])
    }

    @Test func aCallBackAnsweredMarksTheLossDone() throws {
        // Given a caller who gave up in the queue
        let r = try atende(TemporaryDirectory(), Self.login + [
            "config qualification off", "pause Café", "sim incoming 4832819500 Suporte", "sim abandon", "unpause", "losses",
            // When the number is called back and answers
            "dial 4832819500", "sim answer", "sim advance 20", "hangup", "losses",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let rows = r.lines.filter { $0.hasPrefix("Suporte") }
        #expect(rows.count == 2, "\(r.stdout)")
        // Then the loss's call-back is done
        #expect(rows.first?.hasSuffix("pending") == true, "\(rows)")
        #expect(rows.last?.hasSuffix("done") == true, "\(rows)")
    }

    @Test func aCallBackNobodyAnsweredLeavesTheLossPending() throws {
        let r = try atende(TemporaryDirectory(), Self.login + [
            "config qualification off", "pause Café", "sim incoming 4832819500 Suporte", "sim abandon", "unpause",
            "dial 4832819500", "hangup", "losses",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.lines.filter { $0.hasPrefix("Suporte") }.map { $0.hasSuffix("pending") } == [true])
    }

    @Test func contactsEditPhoneAddsAndRemovePhoneTakesOneOff() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            "contacts add Maria --phone 4832819500", "contacts edit 1 --phone 11987654321", "contacts edit 1 --company Intelbras",
            "contacts edit 1 --phone 4832819500", "contacts edit 1 --phone ''", "contacts edit 1 --remove-phone 21060006",
        ])
        #expect(r.errorLines == [
            "error: the phone is required. Give a value.",
            "error: contact 1 has no phone \"21060006\". See its phones with `contacts show 1`.",
        ])
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let contact = try #require(try store.contacts.contact(number: 1))
        #expect(contact.phones.map(\.e164) == ["+554832819500", "+5511987654321"])
        #expect(contact.company == "Intelbras")
        let removed = try atende(dir, ["login fabio receptivas", "pw123456", "contacts edit 1 --remove-phone '(48) 3281-9500'"])
        #expect(removed.status == 0, "stderr: \(removed.stderr)")
        #expect(try store.contacts.contact(number: 1)?.phones.map(\.e164) == ["+5511987654321"])
    }

    @Test func recordWithAReasonDuringARecordingIsRefusedNotAStop() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            "config qualification off", "sim incoming 4832819500 Suporte", "", "record", "sim advance 5", "record BOGUS",
            "record QUALIDADE", "sim advance 5", "record", "hangup",
        ])
        #expect(r.errorLines == [
            "error: unknown recording reason \"BOGUS\".",
            "error: a recording is already running. Type `record` alone to stop it.",
        ])
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let a = try #require(try store.attendances.attendance(number: 1))
        #expect(a.recordings.map(\.startOffset) == [0])
        #expect(a.recordings.map(\.stopOffset) == [10])
    }
}
