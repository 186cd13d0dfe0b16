import AtendeCore
@testable import AtendeStore
import Foundation
import Testing
import TestSupport

/// The hot queries use their indexes: a change of schema or SQL that makes one scan a table
/// fails here, not in a benchmark months later.
@Suite struct QueryPlanTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
    }

    func plan(_ sql: String) throws -> String {
        try f.store.queryPlan(sql).joined(separator: "\n")
    }

    @Test func aDayOfCallsOfOneAgentReadsTheAgentIndex() throws {
        let span = DateSpan(start: Date(timeIntervalSince1970: 1_790_000_000), end: Date(timeIntervalSince1970: 1_790_086_400))
        let (sql, _) = AttendanceRepository.select("*", AttendanceQuery(span: span, agent: "fabio"))
        let p = try plan(sql + " ORDER BY started_at, number")
        #expect(p.contains("SEARCH attendances USING INDEX attendances_agent_started (agent=? AND started_at>? AND started_at<?)"))
        #expect(!p.contains("SCAN attendances"))
    }

    @Test func everyonesExportReadsTheTimeIndexInOrder() throws {
        let span = DateSpan(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 253_402_300_799))
        let (sql, _) = AttendanceRepository.select("*", AttendanceQuery(span: span))
        let p = try plan(sql + " ORDER BY started_at, number")
        #expect(p.contains("SEARCH attendances USING INDEX attendances_started (started_at>? AND started_at<?)"))
    }

    @Test func aMonthOfLossesReadsTheDayIndex() throws {
        for group in [false, true] {
            let p = try plan(LossRepository.listSQL(group: group))
            #expect(p.contains("SEARCH losses USING INDEX"), "\(p)")
            #expect(p.contains("loss_day>? AND loss_day<?"), "\(p)")
        }
    }

    @Test func searchJoinsItsHitsThroughTheNumberIndex() throws {
        let contacts = try plan(SearchRepository.contactsSQL)
        #expect(contacts.contains("SCAN contacts_fts VIRTUAL TABLE INDEX"))
        #expect(contacts.contains("SEARCH c USING INDEX sqlite_autoindex_contacts_2 (number=?)"), "\(contacts)")
        let attendances = try plan(SearchRepository.attendancesSQL)
        #expect(attendances.contains("SEARCH a USING INDEX sqlite_autoindex_attendances_2 (number=?)"), "\(attendances)")
        #expect(!attendances.contains("SCAN attendances "))
    }

    @Test func anAgentsSearchFiltersTheHitsJoinedByNumber() throws {
        for v in [AttendanceVisibility(for: Agent(nickname: "fabio", name: "F", extension: "2050", groups: ["receptivas"])),
                  AttendanceVisibility(for: Agent(nickname: "ana", name: "A", extension: "2000", groups: ["receptivas", "ativas"], role: .supervisor))]
        {
            let (clause, _) = AttendanceRepository.visibilityClause(v, column: "a.")
            let p = try plan(SearchRepository.visibleAttendancesSQL(clause))
            #expect(p.contains("SEARCH a USING INDEX sqlite_autoindex_attendances_2 (number=?)"), "\(p)")
            #expect(!p.contains("SCAN attendances ") && !p.contains("SCAN a "), "\(p)")
        }
    }

    /// Qualifying and editing touch one full-text row by rowid, not every row of the index.
    @Test func reindexingOneRecordFindsItsRowByRowid() throws {
        for sql in [AttendanceRepository.reindexQualificationSQL, ContactRepository.unindexSQL] {
            let p = try plan(sql)
            #expect(p.contains("VIRTUAL TABLE INDEX 0:="), "\(p)")
            #expect(p.contains("USING INDEX sqlite_autoindex_"), "\(p)")
        }
    }

    @Test func theWriterSyncsEveryCommit() throws {
        let d = try f.store.durability()
        #expect(d.journalMode == "wal")
        #expect(d.synchronous == 2, "synchronous must be FULL (2), was \(d.synchronous)")
    }
}
