import AtendeCore
import Foundation
import Testing
import TestSupport

/// The store writes into its own database file and says so when it cannot (ST-6): through the
/// binary, with the files touched as a user or another program would touch them.
@Suite struct StoreSafetyTests {
    static let login = ["login fabio receptivas", "pw123456", "pw123456"]

    static func arguments(_ dir: TemporaryDirectory, now: String = "2026-10-11 09:00", _ extra: [String] = []) -> [String] {
        ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", now, "--transfer", "off", "--keep-going"] + extra
    }

    func atende(_ dir: TemporaryDirectory, now: String = "2026-10-11 09:00", _ lines: [String], environment: [String: String] = [:])
        throws -> RunResult
    {
        try AtendeBinary.run(Self.arguments(dir, now: now), input: lines.joined(separator: "\n") + "\n", environment: environment)
    }

    /// A session left running with a note written: its log holds pages the database file does not.
    func running(_ dir: TemporaryDirectory, note: String) throws -> RunningAtende {
        let a = try RunningAtende(Self.arguments(dir))
        for line in Self.login + ["note add \"\(note)\""] { a.type(line) }
        #expect(a.waitFor("Note 1 added."), "stderr: \(a.stderr)")
        return a
    }

    func bytes(_ url: URL) -> Data? { try? Data(contentsOf: url) }

    @Test func aDatabaseDeletedWhileRunningIsNoticedAtTheNextWrite() throws {
        // Given a session that saved a note
        let dir = TemporaryDirectory()
        let a = try running(dir, note: "one")
        // When the database file is deleted under it
        try FileManager.default.removeItem(at: dir.file("atende.sqlite"))
        a.type("note add \"two\"")
        // Then the next write is refused and says what happened, and nothing is acknowledged
        #expect(a.waitFor("was deleted or replaced while Atende was running", inErrors: true), "stderr: \(a.stderr)")
        a.type("note list")
        a.type("note add \"three\"")
        #expect(a.finish() == 1)
        #expect(!a.stdout.contains("Note 2 added"), "stdout: \(a.stdout)")
        #expect(a.stderr.components(separatedBy: "error: the database file \(dir.file("atende.sqlite").path) was deleted").count == 3)
        // And the next start does not make a new store over the log left behind
        let again = try atende(dir, ["note list"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("atende.sqlite-wal is there but the database"), "stderr: \(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("atende.sqlite").path))
    }

    @Test(arguments: [false, true]) func aLogBesideAMissingOrEmptyDatabaseIsRefused(empty: Bool) throws {
        // Given a store's log copied without its database (or beside an empty file)
        let source = TemporaryDirectory()
        let a = try running(source, note: "kept in the log")
        let dir = TemporaryDirectory()
        try FileManager.default.copyItem(at: source.file("atende.sqlite-wal"), to: dir.file("atende.sqlite-wal"))
        if empty { FileManager.default.createFile(atPath: dir.file("atende.sqlite").path, contents: Data()) }
        let log = bytes(dir.file("atende.sqlite-wal"))
        // When atende starts there
        let r = try atende(dir, ["note list"])
        // Then it refuses, and neither file changes
        #expect(r.status == 2)
        #expect(
            r.errorLines == [
                "error: \(dir.file("atende.sqlite").path)-wal is there but the database \(dir.file("atende.sqlite").path) is missing or empty. Nothing was changed; restore the database, or move both away to start afresh."
            ])
        #expect(bytes(dir.file("atende.sqlite-wal")) == log)
        #expect(bytes(dir.file("atende.sqlite")) == (empty ? Data() : nil))
        _ = a.finish()
    }

    @Test func anotherDatabasesLogIsRefused() throws {
        // Given a store with a note, closed
        let dir = TemporaryDirectory()
        #expect(try atende(dir, Self.login + ["note add \"mine\""]).status == 0)
        let database = bytes(dir.file("atende.sqlite"))
        // And another store's log, copied beside it
        let other = TemporaryDirectory()
        let b = try running(other, note: "theirs")
        try? FileManager.default.removeItem(at: dir.file("atende.sqlite-wal"))
        try? FileManager.default.removeItem(at: dir.file("atende.sqlite-shm"))
        try FileManager.default.copyItem(at: other.file("atende.sqlite-wal"), to: dir.file("atende.sqlite-wal"))
        _ = b.finish()
        // When atende starts on it
        let r = try atende(dir, ["login fabio receptivas", "pw123456", "note list"])
        // Then it refuses, and the database file is as it was
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: \(dir.file("atende.sqlite").path)-wal belongs to another database"), "stderr: \(r.stderr)")
        #expect(!r.stdout.contains("theirs"))
        #expect(bytes(dir.file("atende.sqlite")) == database)
    }

    @Test func aDamagedPageRefusesTheStartWithThePathAndTheReason() throws {
        // Given a store whose pages are all in the database file, one of them then overwritten
        let dir = TemporaryDirectory()
        #expect(try atende(dir, Self.login + ["note add \"one\""]).status == 0)
        let shell = try SQLiteShell(path: dir.file("atende.sqlite").path)
        try shell.run("PRAGMA wal_checkpoint(TRUNCATE);")
        let page = Int(try shell.run("SELECT rootpage FROM sqlite_master WHERE name = 'notes';").trimmingCharacters(in: .whitespacesAndNewlines))!
        shell.close()
        let file = try FileHandle(forWritingTo: dir.file("atende.sqlite"))
        try file.seek(toOffset: UInt64((page - 1) * 4096))
        file.write(Data(repeating: 0xff, count: 4096))
        try file.close()
        let damaged = bytes(dir.file("atende.sqlite"))
        // When atende starts
        let r = try atende(dir, ["note list"])
        // Then it refuses with the path and SQLite's finding, and changes nothing
        #expect(r.status == 2)
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.hasPrefix("error: the database \(dir.file("atende.sqlite").path) is damaged (Page \(page): "), "stderr: \(r.stderr)")
        #expect(r.stderr.hasSuffix("). Nothing was changed; restore it from a backup.\n"))
        #expect(bytes(dir.file("atende.sqlite")) == damaged)
    }

    @Test func aDatabaseLockedPastTheBusyTimeoutSaysSoAndTheREPLGoesOn() throws {
        // Given a session, with a busy timeout of half a second
        let dir = TemporaryDirectory()
        let config = try dir.write("config.json", #"{"store": {"busyTimeoutSeconds": 0.5}}"#)
        let a = try RunningAtende(Self.arguments(dir, ["--config", config.path]))
        for line in Self.login { a.type(line) }
        #expect(a.waitFor("Welcome, Fabio"))
        // When another program holds the write lock
        let shell = try SQLiteShell(path: dir.file("atende.sqlite").path)
        try shell.run("BEGIN IMMEDIATE;")
        a.type("note add \"while locked\"")
        // Then the write says who is in the way, and nothing was saved
        #expect(a.waitFor("error: another program is using the database \(dir.file("atende.sqlite").path)", inErrors: true))
        // And once the program lets go, the REPL goes on as before
        try shell.run("COMMIT;")
        a.type("note add \"after\"")
        #expect(a.waitFor("Note 1 added."), "stdout: \(a.stdout) stderr: \(a.stderr)")
        a.type("logout")
        #expect(a.finish() == 1)
        #expect(!a.stdout.contains("while locked"))
        shell.close()
    }

    // MARK: The hybrid logical clock (SY-3)

    @Test func twoSessionsOnOneDataFolderNeverIssueTheSameStamp() throws {
        // Given two REPLs on the same data folder, on the same manual clock
        let dir = TemporaryDirectory()
        #expect(try atende(dir, Self.login + ["logout", "login luan receptivas", "pw654321", "pw654321"]).status == 0)
        let a = try RunningAtende(Self.arguments(dir))
        let b = try RunningAtende(Self.arguments(dir))
        for line in ["login fabio receptivas", "pw123456"] { a.type(line) }
        for line in ["login luan receptivas", "pw654321"] { b.type(line) }
        #expect(a.waitFor("Welcome, Fabio") && b.waitFor("Welcome, Luan"))
        // When both add notes in turn
        for i in 1...3 {
            a.type("note add \"a\(i)\"")
            #expect(a.waitFor("Note \(2 * i - 1) added."), "stdout: \(a.stdout)")
            b.type("note add \"b\(i)\"")
            #expect(b.waitFor("Note \(2 * i) added."), "stdout: \(b.stdout)")
        }
        _ = (a.finish(), b.finish())
        // Then every stamp is different, and they follow the order of the edits
        let shell = try SQLiteShell(path: dir.file("atende.sqlite").path)
        let stamps = try shell.run("SELECT hlc FROM notes ORDER BY number;").split(separator: "\n")
        #expect(stamps.count == 6)
        #expect(stamps == stamps.sorted() && Set(stamps).count == 6, "\(stamps)")
        #expect(try shell.run("SELECT COUNT(*) = COUNT(DISTINCT hlc) FROM outbox;") == "1\n")
        shell.close()
    }

    @Test func aRunInTheFutureDoesNotPoisonLaterEdits() throws {
        // Given a run with its clock in 2099
        let dir = TemporaryDirectory()
        #expect(try atende(dir, now: "2099-01-01 09:00", Self.login + ["note add \"from the future\""]).status == 0)
        // When atende starts again at the right time and a note is added
        let r = try atende(dir, ["login fabio receptivas", "pw123456", "note add \"today\""])
        // Then it says the clock was repaired, and the stamps are today's: the later edit is the later stamp
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("The store's clock was ahead (up to 01/01/2099 09:00); "), "stderr: \(r.stderr)")
        let shell = try SQLiteShell(path: dir.file("atende.sqlite").path)
        let today = HybridLogicalClock.millis(try DateInput(calendar: .current).dateTime("2026-10-11 09:00"))
        let bound = HLCStamp(millis: today + 300_000 + 1, counter: 0, node: "").description
        #expect(try shell.run("SELECT COUNT(*) FROM outbox WHERE hlc >= '\(bound)';") == "0\n")
        #expect(try shell.run("SELECT COUNT(*) FROM notes WHERE hlc >= '\(bound)';") == "0\n")
        #expect(try shell.run("SELECT group_concat(text, ',') FROM (SELECT text FROM notes ORDER BY hlc);") == "from the future,today\n")
        #expect(try shell.run("SELECT last < '\(bound)' FROM hlc_state;") == "1\n")
        shell.close()
    }

    // MARK: Time zones and daylight saving time

    @Test func aLossKeepsItsDayWhateverTZALaterRunHas() throws {
        // Given a loss at 22:31 in São Paulo (01:31 the next day in UTC)
        let dir = TemporaryDirectory()
        let first = try atende(
            dir, now: "2026-10-11 22:31", Self.login + ["sim incoming 4832819500 Suporte", "sim hangup"],
            environment: ["TZ": "America/Sao_Paulo"])
        #expect(first.stdout.contains("Lost call recorded: Suporte 4832819500"), "stdout: \(first.stdout)")
        // When a later run has TZ=UTC
        let r = try atende(
            dir, now: "2026-10-12 12:00", ["login fabio receptivas", "pw123456", "losses yesterday", "losses today"],
            environment: ["TZ": "UTC"])
        // Then the loss is still on the 11th, at 22:31, and not today
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Suporte  4832819500           0             1             11/10/2026  22:31:00  pending"), "stdout: \(r.stdout)")
        #expect(r.stdout.contains("No lost calls in this period."))
    }

    @Test func anAllDayEventIsTheCalendarDayAcrossADaylightSavingChange() throws {
        // Given New York, where 08/03/2026 has 23 hours
        let r = try atende(
            TemporaryDirectory(), now: "2026-03-07 09:00",
            Self.login + ["agenda new Feriado --start 08/03/2026 --all-day", "agenda 08/03/2026", "agenda 09/03/2026"],
            environment: ["TZ": "America/New_York"])
        // Then the event is that day, to 23:59, and not on the next
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("1    08/03/2026 00:00  08/03/2026 23:59  Feriado"), "stdout: \(r.stdout)")
        #expect(r.stdout.contains("No agenda events."))
    }

    @Test func aTimeInsideTheDaylightSavingGapIsRefused() throws {
        let r = try atende(
            TemporaryDirectory(), now: "2026-03-07 09:00",
            Self.login + ["agenda new Gap --start \"08/03/2026 02:30\" --end \"08/03/2026 03:30\"", "agenda 08/03/2026"],
            environment: ["TZ": "America/New_York"])
        #expect(r.status == 1)
        #expect(
            r.errorLines == [
                "error: \"08/03/2026 02:30\" does not exist in time zone America/New_York: the clocks skip that hour when daylight saving time starts. Use a time before or after the gap."
            ])
        #expect(r.stdout.contains("No agenda events."))
    }

    @Test func aNowInsideTheGapIsRefusedBeforeAnythingRuns() throws {
        let dir = TemporaryDirectory()
        let r = try AtendeBinary.run(
            Self.arguments(dir, now: "2026-03-08 02:30"), input: "status\n", environment: ["TZ": "America/New_York"])
        #expect(r.status == 2)
        #expect(
            r.errorLines == [
                "error: configuration refused: --now: 2026-03-08 02:30: \"2026-03-08 02:30\" does not exist in time zone America/New_York: the clocks skip that hour when daylight saving time starts. Use a time before or after the gap. Fix it and run again."
            ])
    }

    @Test(arguments: [#"{"store": {"busyTimeoutSeconds": 0}}"#, #"{"store": {"maximumClockSkewSeconds": 0.5}}"#])
    func storeSettingsOutOfRangeAreRefused(config: String) throws {
        let dir = TemporaryDirectory()
        let file = try dir.write("config.json", config)
        let r = try AtendeBinary.run(Self.arguments(dir, ["--config", file.path]), input: "status\n")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: configuration refused: \(file.path): store."), "stderr: \(r.stderr)")
    }
}
