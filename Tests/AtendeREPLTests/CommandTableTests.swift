import AtendeCore
import Foundation
import Testing

@testable import AtendeREPL

@Suite struct CommandTableTests {
    @Test func everyCommandHasOneSpecAndEveryWordIsUnique() {
        #expect(Set(CommandSpec.all.map(\.id)).count == CommandID.allCases.count)
        #expect(CommandSpec.all.count == CommandID.allCases.count)
        let words = CommandSpec.all.flatMap { [$0.name] + $0.aliases + ($0.shortcut.map { [$0] } ?? []) }
        #expect(Set(words).count == words.count, "a name, alias or shortcut is used twice")
    }

    @Test(arguments: Language.allCases)
    func everyCommandIsSummarisedInEachLanguage(language: Language) {
        let c = Catalogue(language: language)
        let summaries = CommandID.allCases.map(c.summary)
        #expect(summaries.allSatisfy { !$0.isEmpty })
        #expect(Set(summaries).count == summaries.count)
    }

    @Test func portugueseAndEnglishDiffer() {
        for id in CommandID.allCases {
            #expect(Catalogue(language: .pt).summary(id) != Catalogue(language: .en).summary(id), "\(id)")
        }
    }

    @Test(arguments: [
        ("note add Call the bank", CommandID.noteAdd, ["Call the bank"]),
        ("aviso novo Ligar", .noteAdd, ["Ligar"]),
        ("NOTES", .notes, []),
        (",", .calls, []),
        (",hoje", .calls, ["hoje"]),
        ("?", .help, []),
        ("help agenda new", .help, ["agenda new"]),
        ("agenda", .agenda, []),
        ("agenda day 11/10/2026", .agendaDay, ["11/10/2026"]),
        ("contato maria", .contacts, ["maria"]),
        ("config areacode 11", .config, ["areacode", "11"]),
        ("login fabio receptivas", .login, ["fabio", "receptivas"]),
        ("configuração ddd 11", .config, ["ddd", "11"]),
    ])
    func linesFindTheirCommand(line: String, id: CommandID, arguments: [String]) throws {
        let c = try CommandParser.parse(line)
        #expect(c.id == id)
        #expect(c.arguments == arguments)
    }

    @Test func optionsFlagsAndQuotes() async throws {
        let c = try CommandParser.parse(#"agenda new "Projeto X" --start "11/10/2026 08:00" --end=11/10/2026\ 09:00 --phone 21060006 --all-day"#)
        #expect(c.id == .agendaNew)
        #expect(c.arguments == ["Projeto X"])
        #expect(c.option("start") == "11/10/2026 08:00")
        #expect(c.option("end") == "11/10/2026 09:00")
        #expect(c.option("phone") == "21060006")
        #expect(c.flag("all-day"))
        let repeated = try CommandParser.parse("contacts add Maria --phone 1 --telefone 2")
        #expect(repeated.options["phone"] == ["1", "2"])
    }

    @Test(arguments: [
        ("frobnicate", CommandError.unknownCommand("frobnicate", suggestion: nil)),
        ("notse", .unknownCommand("notse", suggestion: "note")),
        ("login fabio", .missingArgument(command: "login", argument: "GROUP")),
        ("note edit 3", .missingArgument(command: "note edit", argument: "TEXT")),
        ("note rm 1 2", .tooManyArguments(command: "note rm", extra: "2")),
        ("agenda new X --colour red", .unknownOption(command: "agenda new", option: "--colour")),
        ("agenda new X --start", .optionNeedsValue(command: "agenda new", option: "--start")),
        (#"note add "open"#, .unterminatedQuote),
    ])
    func badLinesAreRefusedWithTheReason(line: String, error: CommandError) {
        #expect(throws: error) { try CommandParser.parse(line) }
    }

    /// A pasted blob is refused at once: "Did you mean" looks only at words short enough to be
    /// a typo of a command (it used to compare every character with every command name).
    @Test func aHugeUnknownWordIsRefusedAtOnceWithoutASuggestion() throws {
        // Given a 500 kB word (at the old cost, minutes)
        let word = String(repeating: "notse", count: 100_000)
        // When it is parsed
        let started = ContinuousClock.now
        #expect(throws: CommandError.unknownCommand(word, suggestion: nil)) { try CommandParser.parse(word) }
        // Then the refusal takes well under a second (a generous bound: the old cost was minutes)
        #expect(ContinuousClock.now - started < .seconds(2))
        // and the cap loses no suggestion: a word that long is a third off every command name.
        let longest = CommandSpec.all.flatMap { [$0.name] + $0.aliases }.map { $0.split(separator: " ")[0].count }.max() ?? 0
        #expect(longest * 3 / 2 < CommandParser.longestSuggestedWord)
        #expect(CommandParser.suggestion(for: "notse") == "note")
    }

    @Test func everyParseErrorRendersAsOneLineInBothLanguages() {
        let errors: [CommandError] = [
            .unknownCommand("x", suggestion: "note"), .missingArgument(command: "login", argument: "GROUP"),
            .tooManyArguments(command: "note rm", extra: "2"), .unknownOption(command: "agenda new", option: "--x"),
            .optionNeedsValue(command: "agenda new", option: "--start"),
            .invalidNumber(command: "note rm", argument: "N", value: "x"), .unterminatedQuote,
            .inputEnded(expected: "Password"),
        ]
        for language in Language.allCases {
            for e in errors {
                let line = Catalogue(language: language).error(e)
                #expect(line.hasPrefix(language == .pt ? "erro: " : "error: ") && !line.contains("\n"))
            }
        }
    }

    @Test func completionOffersCommandsThenArguments() async throws {
        #expect(CommandParser.lookup(["agenda", "novo"])?.0.id == .agendaNew)
        #expect(CommandSpec.words.contains("note add"))
    }
}

@Suite struct CompletionTests {
    @Test(arguments: [
        ("", 0, ["agenda", "ajuda", "atendimento"], true),
        ("ag", 2, ["agenda"], false),
        ("agenda ", 7, ["--done", "--pending", "day", "edit", "new"], true),
        ("agenda n", 8, ["new", "novo"], false),
        ("note a", 6, ["add"], false),
        ("login f", 7, ["fabio"], false),
        ("login fabio ", 12, ["ativas", "receptivas"], false),
        ("config are", 10, ["areacode"], false),
        ("agenda new X --st", 17, ["--start"], false),
    ])
    func candidatesForTheWordUnderTheCursor(line: String, cursor: Int, expected: [String], prefixOnly: Bool) throws {
        let f = try REPLFixture()
        let got = f.repl.completions(line, cursor)
        if prefixOnly {
            #expect(expected.allSatisfy(got.contains), "\(got)")
        } else {
            #expect(got == expected)
        }
    }
}

@Suite struct ScriptModeTests {
    @Test func aMalformedLoginStillTakesItsPasswordLine() async throws {
        // Given a script whose login lacks the group, with --keep-going
        let f = try REPLFixture(lines: ["login fabio", "hunter22", "notes"])
        // When it runs
        let status = await f.repl.run()
        // Then the password is neither run as a command nor echoed
        #expect(status == 1)
        #expect(f.err.lines == ["error: `login` needs GROUP. See `help login`."])
        #expect(!(f.out.lines + f.err.lines).joined().contains("hunter22"))
    }

    @Test func aFirstLoginsConfirmationAfterAFailureIsSkippedUnseen() async throws {
        // Given a script whose login names an unknown group, followed by a first login's two lines
        // (run line by line, as --keep-going would: the login takes the next line as its password)
        let f = try REPLFixture(lines: ["Secret1234"])
        #expect(await f.repl.execute("login fabio nogroup") == false)
        #expect(f.input.readLine(prompt: "") == nil, "the password line was taken")
        // When the confirmation line comes as a command
        #expect(await f.repl.execute("Secret1234"))
        #expect(await f.repl.execute("help login"))
        // Then the password lines are never echoed, and the next command runs
        #expect(!(f.out.lines + f.err.lines).joined().contains("Secret1234"))
        #expect(f.err.lines.last == "error: line skipped after the failed `login`: it is not a command (perhaps a password); it was not run, kept or shown.")
        #expect(f.out.lines.first == "usage: login USER GROUP")
    }

    @Test func commentsAndBlankLinesDoNothing() async throws {
        let f = try REPLFixture(lines: ["# a comment", "", "   ", "help login"])
        #expect(await f.repl.run() == 0)
        #expect(f.out.lines.first == "usage: login USER GROUP")
        #expect(f.err.lines.isEmpty)
    }

    @Test func jsonErrorsAreObjectsOnStandardOutput() async throws {
        let f = try REPLFixture(lines: ["notes"], json: true)
        #expect(await f.repl.run() == 1)
        #expect(f.out.lines == [#"{"type":"error","error":"notLoggedIn","message":"not logged in. Log in with `login USER GROUP`."}"#])
    }

    @Test func inputEndingBeforeThePasswordIsAnError() async throws {
        let f = try REPLFixture(lines: ["login fabio receptivas"])
        #expect(await f.repl.run() == 1)
        #expect(f.err.lines == ["error: input ended before New password."])
    }
}

@Suite struct HistoryTests {
    @Test func onATerminalAPasswordTypedAfterAFailedLoginIsNeitherKeptNorShown() async throws {
        // Given a terminal where the user types the password a failed login did not ask for
        let f = try REPLFixture(interactive: true)
        #expect(await f.repl.execute("login fabio nogroup") == false)
        #expect(await f.repl.execute("Secret1234"))
        #expect(await f.repl.execute("notse") == false)
        // Then the refusal says no password was asked, the typed line is skipped unshown, and
        // the history keeps only commands
        #expect(f.err.lines == [
            "error: group \"nogroup\" does not exist. Check the group name. No password was asked for: do not type it as a command.",
            "error: line skipped after the failed `login`: it is not a command (perhaps a password); it was not run, kept or shown.",
            "error: unknown command \"notse\". Did you mean `note`?",
        ])
        #expect(f.input.history == ["login fabio nogroup"])
    }

    @Test func theFoldedTableFindsTheCommandFoldingEveryNameFound() {
        // The look-up as it was: every name and alias folded again for each line, first match wins
        func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        func folding(_ words: [String]) -> (CommandID, Int)? {
            let lowered = words.map(fold)
            for count in [3, 2, 1] where lowered.count >= count {
                let phrase = lowered[0..<count].joined(separator: " ")
                if let spec = CommandSpec.all.first(where: {
                    fold($0.name) == phrase || $0.aliases.contains { fold($0) == phrase } || $0.shortcut == phrase
                }) {
                    return (spec.id, count)
                }
            }
            return nil
        }
        // Every name, alias and shortcut, in capitals, without accents, with a word after, and words that are none
        var lines = CommandSpec.words.flatMap { [$0, $0.uppercased(), fold($0), $0 + " extra", $0.capitalized + " 11/10/2026"] }
        lines += ["", "notse", "sim", "sim nothing", "AGENDA NOVO x", "estatísticas", "ESTATISTICAS", "config areacode 11", "?", ","]
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            let found = CommandParser.lookup(words).map { ($0.0.id, $0.1) }
            let expected = folding(words)
            #expect(found?.0 == expected?.0 && found?.1 == expected?.1, "\(line)")
        }
    }

    @Test func aScriptsLinesAreNotParsedForAHistory() async throws {
        // Given piped lines (no terminal, so no history to recall them from)
        let f = try REPLFixture()
        #expect(await f.repl.execute("help"))
        #expect(await f.repl.execute("help calls"))
        // Then none is handed to the history
        #expect(f.input.history.isEmpty)
    }

    @Test func aPasswordTypedOnTheLoginLineIsNotEchoed() async throws {
        let f = try REPLFixture(interactive: true)
        #expect(await f.repl.execute("login fabio receptivas Secret1234") == false)
        #expect(f.err.lines == [
            "error: `login` takes no password on its line (it was neither shown nor kept): type just `login USER GROUP` and the password when asked."
        ])
        #expect(f.input.history.isEmpty)
    }

    @Test(arguments: [
        ("notes", true),
        ("login fabio receptivas", true),
        ("+4833334444", true),
        ("config areacode 11", true),
        ("config pabx.password PabxSecret55", false),
        ("config pabx.senha PabxSecret55", false),
        ("login fabio receptivas Secret1234", false),
        ("passwd Secret1234", false),
        ("Secret1234", false),
        ("", false),
    ])
    func theHistoryKeepsCommandsButNoSecret(line: String, kept: Bool) {
        #expect(REPL.keepsInHistory(line) == kept)
    }
}

/// No error reaches the user in Swift's words: each is a catalogue line in both languages.
@Suite struct ErrorTextTests {
    struct Opaque: Error {}

    @Test(arguments: Language.allCases)
    func systemAndFileErrorsAreCatalogueLines(language: Language) {
        let c = Catalogue(language: language)
        let errors: [any Error] = [
            FileIOError(operation: .open, path: "/x/out.csv", code: ENOENT), FileIOError(operation: .write, path: "/x/out.csv", code: ENOSPC),
            CSVError(kind: .invalidUTF8, line: 3), CocoaError(.fileWriteNoPermission), NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)),
            Opaque(), StoreError.io(path: "/d/atende.sqlite", message: "Opaque()"),
            AtendeError.transferCannotListen(address: "127.0.0.1:3000", problem: .addressInUse),
            AtendeError.transferFolderUnusable(path: "/crm/2050", problem: .notADirectory),
            AtendeError.fileUnreadable("/c.csv", problem: .permissionDenied), AtendeError.fileNotUTF8("/c.csv"),
        ]
        for e in errors {
            let line = c.error(e)
            #expect((line.hasPrefix("error: ") || line.hasPrefix("erro: ")) && !line.contains("\n"), "\(line)")
            for raw in ["FileIOError", "CSVError", "NSError", "Error Domain", "Opaque", "Cocoa", "(operation:", "errno"] {
                #expect(!line.contains(raw), "\(line)")
            }
        }
        #expect(c.error(FileIOError(operation: .open, path: "/x/out.csv", code: ENOENT)).hasSuffix(language == .en
            ? ": cannot open /x/out.csv: it does not exist. Check the path and the permissions."
            : ": não foi possível abrir /x/out.csv: não existe. Confira o caminho e as permissões."))
        #expect(c.error(CocoaError(.fileWriteNoPermission)).contains(language == .en ? "permission denied" : "sem permissão"))
        #expect(c.error(AtendeError.fileNotUTF8("/c.csv")).contains(language == .en ? "Save it as UTF-8" : "Salve-o como UTF-8"))
    }
}
