import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// A store on a real file in a fresh folder, with a clock the test moves.
struct StoreFixture {
    let dir = TemporaryDirectory()
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))
    let store: Store

    init() throws {
        store = try Store(path: dir.file("atende.sqlite").path, clock: clock)
    }

    var path: String { dir.file("atende.sqlite").path }

    func sql(_ statement: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, statement]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite struct AttendanceNumberTests {
    func call(_ number: Int = 0) -> Attendance {
        Attendance(number: number, type: .inbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050")
    }

    @Test func aReservedNumberIsTheOneStoredUnlessAnotherWriterTookIt() throws {
        let f = try StoreFixture()
        // Given a number reserved for a call in progress: it is the one the attendance gets
        let first = try f.store.attendances.reserveNumber()
        #expect(first == 1)
        #expect(try f.store.attendances.add(call(first)).number == 1)
        // Two calls at once reserve different numbers
        let (second, third) = (try f.store.attendances.reserveNumber(), try f.store.attendances.reserveNumber())
        #expect((second, third) == (2, 3))
        // When another writer (an import, say) takes 2 meanwhile, the reserved call gets the next free one
        #expect(try f.store.attendances.add(call()).number == 2)
        #expect(try f.store.attendances.add(call(second)).number == 3)
        #expect(try f.store.attendances.add(call(third)).number == 4)
        // And a reservation lost with its process is handed out again: nothing was written for it
        let again = try Store(path: f.path, clock: f.clock)
        #expect(try again.attendances.reserveNumber() == 5)
    }
}

@Suite struct MigrationTests {
    static let all = ["0001_init", "0002_call_engine", "0003_search_by_number", "0004_call_legs", "0005_store_identity", "0006_outbox_pending", "0007_sync_replica"]

    @Test func aNewDatabaseGetsEveryMigrationInWALMode() throws {
        let f = try StoreFixture()
        #expect(try f.store.appliedMigrations() == Self.all)
        #expect(Store.schemaVersion == 7)
        #expect(try f.sql("PRAGMA journal_mode") == "wal")
        #expect(try f.sql("PRAGMA user_version") == "7")
        #expect(try f.sql("PRAGMA foreign_key_check") == "")
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let f = try StoreFixture()
        try f.store.notes.add(agent: "fabio", text: "kept")
        var told = false
        let again = try Store(path: f.path, clock: f.clock) { _, _ in told = true }
        #expect(!told)
        #expect(try again.appliedMigrations() == Self.all)
        #expect(try again.notes.list(agent: "fabio").map(\.text) == ["kept"])
    }

    /// A version-2 store (search rows keyed by a text id column) keeps its contacts and calls
    /// searchable after the upgrade, and qualifying then updates the migrated search row.
    @Test func version3KeepsAVersion2StoreSearchable() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("atende.sqlite").path
        let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Migrations/workstation").standardized
        var script = "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);\n"
        for name in ["0001_init", "0002_call_engine"] {
            script += try String(contentsOf: migrations.appendingPathComponent(name + ".sql"), encoding: .utf8)
            script += "\nINSERT INTO grdb_migrations VALUES ('\(name)');\n"
        }
        let id = "6F1C1D2E-0000-4000-8000-000000000001"
        let call = "6F1C1D2E-0000-4000-8000-000000000002"
        script += """
            INSERT INTO contacts (id, number, name, company, created_at, updated_at, hlc)
                VALUES ('\(id)', 7, 'Maria Souza', 'Intelbras', 0, 0, 'h');
            INSERT INTO contact_phones VALUES ('\(id)', 0, '(48) 3281-9500', '+554832819500');
            INSERT INTO contacts_fts (contact_id, name, company, notes, phones, initials)
                VALUES ('\(id)', 'Maria Souza', 'Intelbras', '', '554832819500 4832819500 32819500', 'ms');
            INSERT INTO attendances (id, number, type, phone, agent, group_name, extension, started_at, hlc)
                VALUES ('\(call)', 41, 'inbound', '+554832819500', 'fabio', 'receptivas', '2050', 0, 'h');
            INSERT INTO attendances_fts (attendance_id, phones, contact, qualification, comments)
                VALUES ('\(call)', '554832819500 4832819500 32819500', 'Maria Souza', '', '');
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, script]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)

        var told: [Int] = []
        let store = try Store(path: path, clock: ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))) { from, to in
            told = [from, to]
        }
        #expect(told == [2, 7])
        #expect(try store.appliedMigrations().last == "0007_sync_replica")
        #expect(try store.search.contacts("mari").map(\.number) == [7])
        #expect(try store.search.contacts("32819500").map(\.name) == ["Maria Souza"])
        let hits = try store.search.search("souza")
        #expect(hits.contains { if case .attendance(let a, _) = $0 { a.number == 41 } else { false } })
        try store.attendances.qualify(Qualification(
            attendanceID: try #require(UUID(uuidString: call)), code: "VENDA", comment: "retorno", agent: "fabio",
            createdAt: Date(timeIntervalSince1970: 1_790_000_000)))
        #expect(try store.search.search("retorno").count == 1)
    }

    @Test func aDatabaseFromANewerVersionIsRefusedAndLeftAlone() throws {
        let f = try StoreFixture()
        _ = try f.sql("INSERT INTO grdb_migrations (identifier) VALUES ('0099_future')")
        let before = try Data(contentsOf: f.dir.file("atende.sqlite"))
        #expect(throws: StoreError.tooNew(path: f.path, unknown: ["0099_future"])) {
            _ = try Store(path: f.path, clock: f.clock)
        }
        #expect(try Data(contentsOf: f.dir.file("atende.sqlite")) == before)
    }

    /// Every file of the folder and its bytes.
    static func snapshot(_ dir: TemporaryDirectory) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            files[name] = try Data(contentsOf: dir.file(name))
        }
        return files
    }

    @Test(arguments: ["DELETE", "WAL"])
    func aNewerDatabaseIsOpenedReadOnlyAndNotOneByteChanges(journalMode: String) throws {
        // Given a database of a newer Atende, closed, in either journal mode
        let dir = TemporaryDirectory()
        let path = dir.file("atende.sqlite").path
        _ = try Store(path: path, clock: SystemClock())
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, "PRAGMA journal_mode = \(journalMode); INSERT INTO grdb_migrations (identifier) VALUES ('0099_future');"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let before = try Self.snapshot(dir)
        #expect(before.keys.sorted() == ["atende.sqlite"])
        // When it is opened
        #expect(throws: StoreError.tooNew(path: path, unknown: ["0099_future"])) {
            _ = try Store(path: path, clock: SystemClock())
        }
        // Then the folder holds the same files with the same bytes: no -wal, no -shm, no WAL switch
        #expect(try Self.snapshot(dir) == before)
    }
}

@Suite struct NoteRepositoryTests {
    @Test func notesAreNumberedEditedAndRemovedWithATombstone() throws {
        let f = try StoreFixture()
        let a = try f.store.notes.add(agent: "fabio", text: "one")
        let b = try f.store.notes.add(agent: "fabio", text: "two")
        try f.store.notes.add(agent: "luan", text: "not fabio's")
        #expect((a.number, b.number) == (1, 2))
        f.clock.advance(by: 60)
        let edited = try #require(try f.store.notes.edit(agent: "fabio", number: 1, text: "one, edited"))
        #expect(edited.updatedAt == f.clock.now())
        #expect(try f.store.notes.edit(agent: "luan", number: 1, text: "not mine") == nil)
        #expect(try f.store.notes.remove(agent: "fabio", number: 2)?.id == b.id)
        #expect(try f.store.notes.list(agent: "fabio").map(\.text) == ["one, edited"])
        #expect(try f.sql("SELECT entity || ':' || entity_id FROM tombstones") == "note:\(b.id.uuidString)")
        // A removed number is never handed out again.
        #expect(try f.store.notes.add(agent: "fabio", text: "three").number == 4)
    }

    @Test func everyChangeQueuesOneOutboxOperationWithAnIncreasingStamp() throws {
        let f = try StoreFixture()
        try f.store.notes.add(agent: "fabio", text: "a")
        _ = try f.store.notes.edit(agent: "fabio", number: 1, text: "b")
        _ = try f.store.notes.remove(agent: "fabio", number: 1)
        #expect(try f.sql("SELECT group_concat(operation) FROM (SELECT operation FROM outbox ORDER BY seq)") == "insert,update,delete")
        let stamps = try f.sql("SELECT hlc FROM outbox ORDER BY seq").split(separator: "\n").map(String.init)
        #expect(stamps == stamps.sorted() && Set(stamps).count == 3)
    }
}

@Suite struct ContactSearchTests {
    func fixtureWithMaria() throws -> StoreFixture {
        let f = try StoreFixture()
        try f.store.contacts.add(Contact(
            name: "Maria da Silva Souza", company: "Intelbras", notes: "prefere ligação à tarde",
            phones: [ContactPhone(text: "(48) 3281-9500", e164: "+554832819500")]))
        try f.store.contacts.add(Contact(name: "João Souza", company: "Acme", phones: [ContactPhone(text: "11 98765-4321", e164: "+5511987654321")]))
        return f
    }

    @Test(arguments: ["(48) 3281-9500", "+55 48 32819500", "4832819500", "32819500", "3281", "048 3281-9500"])
    func aPhoneIsFoundWhateverItsFormatting(query: String) throws {
        let f = try fixtureWithMaria()
        #expect(try f.store.search.contacts(query).map(\.name) == ["Maria da Silva Souza"])
    }

    @Test(arguments: [
        ("maria", ["Maria da Silva Souza"]), ("MAR", ["Maria da Silva Souza"]), ("joao", ["João Souza"]),
        ("souza", ["João Souza", "Maria da Silva Souza"]), ("mdss", ["Maria da Silva Souza"]), ("js", ["João Souza"]),
        ("acme", ["João Souza"]), ("tarde", ["Maria da Silva Souza"]), ("maria acme", []), ("zzz", []),
    ])
    func namesInitialsCompaniesAndNotesAreFound(query: String, expected: [String]) throws {
        let f = try fixtureWithMaria()
        #expect(try f.store.search.contacts(query).map(\.name).sorted() == expected)
    }

    @Test func searchPutsContactsAndAttendancesTogether() throws {
        let f = try fixtureWithMaria()
        try f.store.attendances.add(Attendance(
            type: .inbound, service: "Suporte", phone: "+554832819500", contactName: "Maria da Silva Souza", agent: "fabio",
            group: "receptivas", extension: "2050", answeredAt: f.clock.now()))
        let hits = try f.store.search.search("32819500")
        #expect(hits.count == 2)
        #expect(hits.contains { if case .contact(let c, _) = $0 { c.name == "Maria da Silva Souza" } else { false } })
        #expect(hits.contains { if case .attendance(let a, _) = $0 { a.number == 1 } else { false } })
    }

    /// A prefix matching thousands of contacts ranks only the newest 200 matches: the cost of a
    /// search stays that of 200 rows, and typing more narrows it.
    @Test func rankingRunsOverTheNewestMatchesOnly() throws {
        let f = try StoreFixture()
        for i in 1...250 {
            try f.store.contacts.add(Contact(name: "Maria \(i)", phones: []))
        }
        let found = try f.store.search.contacts("maria", limit: 300)
        #expect(found.count == 200)
        #expect(found.allSatisfy { $0.number > 50 })
        #expect(try f.store.search.contacts("maria 7", limit: 300).map(\.name).contains("Maria 7"))
    }

    @Test func editingAContactReindexesIt() throws {
        let f = try fixtureWithMaria()
        var maria = try #require(try f.store.contacts.contact(number: 1))
        maria.name = "Mariana Souza"
        maria.phones = [ContactPhone(text: "4830001111", e164: "+554830001111")]
        try f.store.contacts.update(maria)
        #expect(try f.store.search.contacts("32819500").isEmpty)
        #expect(try f.store.search.contacts("30001111").map(\.name) == ["Mariana Souza"])
        #expect(try f.store.contacts.contact(phone: "+554830001111")?.number == 1)
    }
}

@Suite struct AttendanceAndLossTests {
    func attendance(_ f: StoreFixture, agent: String = "fabio", minutesAfter: Double, talk: Int) -> Attendance {
        let at = f.clock.now().addingTimeInterval(minutesAfter * 60)
        return Attendance(
            type: .inbound, service: "Suporte", phone: "+554832819500", agent: agent, group: "receptivas", extension: "2050",
            ringingAt: at, answeredAt: at, endedAt: at.addingTimeInterval(Double(talk)), talkSeconds: talk, waitSeconds: 3, holdSeconds: 1)
    }

    @Test func reportsFilterByDayAgentAndText() throws {
        let f = try StoreFixture()
        try f.store.attendances.addAll([
            attendance(f, minutesAfter: 0, talk: 30), attendance(f, minutesAfter: 90, talk: 60),
            attendance(f, agent: "luan", minutesAfter: 10, talk: 5), attendance(f, minutesAfter: 60 * 30, talk: 7),
        ])
        let day = DateSpan(start: f.clock.now(), end: f.clock.now().addingTimeInterval(86_400))
        let fabio = try f.store.attendances.list(AttendanceQuery(span: day, agent: "fabio"))
        #expect(fabio.map(\.number) == [1, 2])
        #expect(try f.store.attendances.count(AttendanceQuery(span: day)) == 3)
        #expect(try f.store.attendances.list(AttendanceQuery(span: day, text: "32819500")).count == 3)
        #expect(try f.store.attendances.list(AttendanceQuery(span: day, text: "nobody")).isEmpty)
        let s = try f.store.attendances.summary(AttendanceQuery(span: day, agent: "fabio"))
        #expect((s.calls, s.talkSeconds, s.waitSeconds, s.holdSeconds) == (2, 90, 6, 2))
        #expect(s.perHour.reduce(0, +) == 2)
    }

    @Test func qualifyingAppendsHistoryAndIsSearchable() throws {
        let f = try StoreFixture()
        let a = try f.store.attendances.add(attendance(f, minutesAfter: 0, talk: 30))
        try f.store.attendances.qualify(Qualification(attendanceID: a.id, code: "INFO", comment: nil, agent: "fabio", createdAt: f.clock.now()))
        f.clock.advance(by: 5)
        try f.store.attendances.qualify(Qualification(attendanceID: a.id, code: "VENDA", comment: "plano anual", agent: "fabio", createdAt: f.clock.now()))
        #expect(try f.store.attendances.qualifications(of: a.id).map(\.code) == ["INFO", "VENDA"])
        #expect(try f.store.attendances.attendance(number: 1)?.qualification == "VENDA")
        #expect(try f.store.search.search("anual").count == 1)
    }

    @Test func lossesOfADayServiceAndPhoneAccumulate() throws {
        let f = try StoreFixture()
        for place in [AbandonPlace.queue, .agent, .agent] {
            try f.store.losses.record(service: "Suporte", phone: "+554832819500", contactName: nil, group: "receptivas", day: "2026-09-21", at: f.clock.now(), place: place)
        }
        try f.store.losses.record(service: "Vendas", phone: "+554832819500", contactName: "Maria", group: "receptivas", day: "2026-09-21", at: f.clock.now(), place: .queue)
        let losses = try f.store.losses.list(fromDay: "2026-09-21", toDay: "2026-09-21", group: "receptivas")
        #expect(losses.count == 2)
        let suporte = try #require(losses.first { $0.service == "Suporte" })
        #expect((suporte.abandonedInQueue, suporte.abandonedAtAgent) == (1, 2))
        #expect(try f.store.losses.pendingCount(day: "2026-09-21", group: "receptivas") == 2)
        #expect(try f.store.losses.pendingCount(day: "2026-09-22", group: "receptivas") == 0)
    }
}

@Suite struct AgendaRepositoryTests {
    @Test func dueCountsOnlyStartedUnfinishedEventsOfTheAgent() throws {
        let f = try StoreFixture()
        let now = f.clock.now()
        func event(_ name: String, startsIn minutes: Double, agent: String = "fabio") -> AgendaEvent {
            AgendaEvent(group: "receptivas", agent: agent, name: name, startsAt: now.addingTimeInterval(minutes * 60),
                        endsAt: now.addingTimeInterval(minutes * 60 + 600), createdBy: "fabio")
        }
        try f.store.agenda.add(event("past", startsIn: -30))
        var done = try f.store.agenda.add(event("done", startsIn: -10))
        try f.store.agenda.add(event("future", startsIn: 30))
        try f.store.agenda.add(event("luan's", startsIn: -5, agent: "luan"))
        done.doneAt = now
        try f.store.agenda.update(done)
        #expect(try f.store.agenda.dueCount(agent: "fabio", now: now) == 1)
        #expect(try f.store.agenda.list(agent: "fabio", span: nil, filter: .pending).map(\.name) == ["past", "future"])
        #expect(try f.store.agenda.list(agent: "fabio", span: nil, filter: .done).map(\.name) == ["done"])
    }

    @Test func theSchemaRefusesAnEventEndingBeforeItStarts() throws {
        let f = try StoreFixture()
        let now = f.clock.now()
        #expect(throws: StoreError.self) {
            try f.store.agenda.add(AgendaEvent(group: "g", agent: "fabio", name: "x", startsAt: now, endsAt: now.addingTimeInterval(-1), createdBy: "fabio"))
        }
        #expect(try f.store.pendingOutboxCount() == 0)
    }
}

@Suite struct CatalogRepositoryTests {
    @Test func theCatalogueIsRewrittenOnlyWhenTheRegistryChanges() throws {
        let f = try StoreFixture()
        var registry = Registry(
            groups: [Group(name: "receptivas", title: "Receptivas")], services: [],
            agents: [Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"], permissions: [.chat, .capture])],
            pauseReasons: [PauseReason(name: "Treinamento", kind: .productive, code: "101")],
            qualificationCodes: [QualificationCode(code: "VENDA", label: "Venda", tags: ["sucesso"])], recordingReasons: [])
        #expect(try f.store.catalog.refresh(with: registry))
        #expect(try f.store.catalog.refresh(with: registry) == false)
        #expect(try f.store.catalog.registry() == registry)
        registry.agents[0].extension = "2051"
        #expect(try f.store.catalog.refresh(with: registry))
        #expect(try f.store.catalog.registry().agents[0].extension == "2051")
    }
}

/// The store's identity and its clock (ST-6, SY-3), on real files.
@Suite struct StoreIdentityTests {
    @Test func twoStoresOnOneFileShareOneClock() throws {
        // Given two stores open on the same file (as two processes are), on the same still clock
        let f = try StoreFixture()
        let other = try Store(path: f.path, clock: f.clock)
        // When they add notes in turn
        for i in 0..<4 { try (i.isMultiple(of: 2) ? f.store : other).notes.add(agent: "fabio", text: "n\(i)") }
        // Then no two stamps are the same, and they follow the order of the edits
        let stamps = try f.sql("SELECT hlc FROM notes ORDER BY number").split(separator: "\n")
        #expect(stamps.count == 4 && Set(stamps).count == 4)
        #expect(stamps == stamps.sorted())
    }

    @Test func aClockLeftInTheFutureIsRepairedAtOpen() throws {
        // Given a store written with its clock in 2099
        let f = try StoreFixture()
        let future = ManualClock(now: Date(timeIntervalSince1970: 4_070_941_200))
        try Store(path: f.path, clock: future).notes.add(agent: "fabio", text: "from the future")
        // When it is opened again now, and its clock bounded
        let store = try Store(path: f.path, clock: f.clock, options: StoreOptions(maximumClockSkew: 60))
        let repair = try #require(try store.boundClock())
        // Then it says how far ahead it was, and every stamp is now within the skew
        #expect(repair.aheadUntil.timeIntervalSince1970 > 4_070_941_199 && repair.restamped == 1)  // the note and its outbox entry share one
        let bound = HLCStamp(millis: HybridLogicalClock.millis(f.clock.now()) + 60_001, counter: 0, node: "").description
        #expect(try f.sql("SELECT COUNT(*) FROM notes WHERE hlc >= '\(bound)'") == "0")
        #expect(try f.sql("SELECT COUNT(*) FROM outbox WHERE hlc >= '\(bound)'") == "0")
        #expect(try store.boundClock() == nil)
        // And a later edit sorts after the repaired one
        try store.notes.add(agent: "fabio", text: "today")
        #expect(try f.sql("SELECT group_concat(text, ',') FROM (SELECT text FROM notes ORDER BY hlc)") == "from the future,today")
    }

    @Test func aWriteBoundsAClockAnotherProcessMovedAhead() throws {
        // Given a store open now, and another process of it writing in 2099
        let f = try StoreFixture()
        try Store(path: f.path, clock: ManualClock(now: Date(timeIntervalSince1970: 4_070_941_200))).notes.add(agent: "fabio", text: "ahead")
        // When the first one writes
        try f.store.notes.add(agent: "fabio", text: "now")
        // Then its stamp is today's and still the latest
        let last = try #require(HLCStamp(try f.sql("SELECT last FROM hlc_state")))
        #expect(last.millis <= HybridLogicalClock.millis(f.clock.now()) + 300_000)
        #expect(try f.sql("SELECT group_concat(text, ',') FROM (SELECT text FROM notes ORDER BY hlc)") == "ahead,now")
    }

    @Test func aWriteAfterTheFileWasReplacedIsRefused() throws {
        // Given a store with a note, whose file is then replaced by a copy
        let f = try StoreFixture()
        try f.store.notes.add(agent: "fabio", text: "kept")
        let copy = f.dir.file("copy.sqlite")
        try FileManager.default.copyItem(at: f.dir.file("atende.sqlite"), to: copy)
        try FileManager.default.removeItem(at: f.dir.file("atende.sqlite"))
        try FileManager.default.moveItem(at: copy, to: f.dir.file("atende.sqlite"))
        // When it writes again: refused, and nothing reaches the new file
        #expect(throws: StoreError.moved(path: f.path)) { try f.store.notes.add(agent: "fabio", text: "lost") }
        #expect(try f.sql("SELECT COUNT(*) FROM notes WHERE text = 'lost'") == "0")
    }

    @Test func aNewStoreKeepsTheTimeZoneItWasMadeWith() throws {
        // Given a store made in São Paulo
        let f = TemporaryDirectory()
        let path = f.file("atende.sqlite").path
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))
        _ = try Store(path: path, clock: clock, options: StoreOptions(timeZone: TimeZone(identifier: "America/Sao_Paulo")!))
        // When it is opened where the zone is UTC, it keeps São Paulo
        let again = try Store(path: path, clock: clock, options: StoreOptions(timeZone: TimeZone(identifier: "UTC")!))
        #expect(again.timeZone.identifier == "America/Sao_Paulo")
    }
}
