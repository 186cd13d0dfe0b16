import AtendeCore
import AtendeStore
import Foundation
import Testing

/// `forEachExportRow`: the columns read in place are those of the decoded attendances.
@Suite struct AttendanceExportRowTests {
    /// Each export column as UTF-8 (numbers and Unix times in decimal), nil for NULL.
    static func columns(of row: AttendanceExportRow) -> [[UInt8]?] {
        AttendanceExportRow.Column.allCases.map { column in
            switch column {
            case .type: Array(row.type.rawValue.utf8)
            case .endedBy: row.endedBy.map { Array($0.rawValue.utf8) }
            case .number, .queuedAt, .ringingAt, .answeredAt, .endedAt, .talkSeconds, .waitSeconds, .holdSeconds:
                row.integer(column).map { Array(String($0).utf8) }
            default: row.withText(column) { $0.map(Array.init) }
            }
        }
    }

    /// The same columns, from a decoded attendance.
    static func columns(of a: Attendance) -> [[UInt8]?] {
        func text(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }
        func time(_ d: Date?) -> [UInt8]? { d.map { Array(String(Int64($0.timeIntervalSince1970)).utf8) } }
        return [
            text(String(a.number)), text(a.type.rawValue), text(a.service), text(a.phone), text(a.contactName),
            text(a.agent), text(a.group), text(a.extension), time(a.queuedAt), time(a.ringingAt), time(a.answeredAt),
            time(a.endedAt), text(String(a.talkSeconds)), text(String(a.waitSeconds)), text(String(a.holdSeconds)),
            text(a.endedBy?.rawValue), text(a.transferTarget), text(a.qualification),
        ]
    }

    static func exportRows(_ f: StoreFixture, _ query: AttendanceQuery) throws -> [[[UInt8]?]] {
        var rows: [[[UInt8]?]] = []
        try f.store.attendances.forEachExportRow(query) { rows.append(columns(of: $0)) }
        return rows
    }

    @Test func rowsMatchTheDecodedAttendancesWithNullsAndAwkwardText() throws {
        // Given attendances with NULLs, CSV and JSON specials, non-ASCII text and an empty name
        let f = try StoreFixture()
        let at = f.clock.now()
        try f.store.attendances.addAll([
            Attendance(
                type: .inbound, service: "Suporte", phone: "+554832819500", contactName: "Souza, \"Zé\"\nda Silva",
                agent: "fabio", group: "receptivas", extension: "2050", queuedAt: at, ringingAt: at.addingTimeInterval(4),
                answeredAt: at.addingTimeInterval(9), endedAt: at.addingTimeInterval(70), talkSeconds: 61, waitSeconds: 9,
                holdSeconds: 2, endedBy: .customer, transferTarget: "2071", qualification: "VENDA"),
            Attendance(type: .outbound, phone: "4832819501", agent: "luan", group: "ativas", extension: "2071"),
            Attendance(
                type: .internal, service: " espaço\t", phone: "2000", contactName: "", agent: "fabio", group: "receptivas",
                extension: "2050", ringingAt: at.addingTimeInterval(-3_600), endedAt: at, endedBy: .transfer,
                qualification: "Conceição 📞 \\ fim"),
        ])
        let all = AttendanceQuery(span: DateSpan(start: at.addingTimeInterval(-86_400), end: at.addingTimeInterval(86_400)))
        // When they are read as export rows
        let rows = try Self.exportRows(f, all)
        // Then every column equals the decoded attendance's, in the same order, NULLs as nil
        let decoded = try f.store.attendances.list(all).map(Self.columns(of:))
        #expect(rows.map { $0[0] } == ["3", "2", "1"].map { Array($0.utf8) })
        #expect(rows == decoded)
        #expect(rows[1][2] == nil && rows[1][8] == nil && rows[1][15] == nil)
        #expect(rows[0][4] == [])
        #expect(try Self.exportRows(f, AttendanceQuery(span: all.span, agent: "luan")).map { $0[0] } == [Array("2".utf8)])
    }

    @Test func callsOfTheSameSecondComeInNumberOrder() throws {
        // Given calls sharing their seconds, stored in the opposite order of their numbers
        let f = try StoreFixture()
        let at = f.clock.now()
        try f.store.attendances.addAll([0, 0, 60, 0, 60, 120, 0].map { offset in
            let start = at.addingTimeInterval(Double(offset))
            return Attendance(
                type: .inbound, phone: "4832819501", agent: offset == 60 ? "luan" : "fabio", group: "receptivas",
                extension: "2050", ringingAt: start)
        })
        _ = try f.sql("UPDATE attendances SET number = 100 - number")
        // When they are read as export rows, all of them or one agent's
        let all = AttendanceQuery(span: DateSpan(start: at, end: at.addingTimeInterval(3_600)))
        let fabio = AttendanceQuery(span: all.span, agent: "fabio")
        // Then they come by second, then by number, as the decoded list has them
        let numbers = try Self.exportRows(f, all).map { String(decoding: $0[0]!, as: UTF8.self) }
        #expect(numbers == ["93", "96", "98", "99", "95", "97", "94"])
        for query in [all, fabio] {
            #expect(try Self.exportRows(f, query) == (try f.store.attendances.list(query).map(Self.columns(of:))))
        }
    }

    @Test func textIsReadAsADecodedAttendanceHoldsIt() throws {
        // Given stored text that no Swift String wrote: invalid UTF-8, a NUL, unknown type and ending
        let f = try StoreFixture()
        let at = f.clock.now()
        try f.store.attendances.addAll((0..<3).map { _ in
            Attendance(
                type: .outbound, phone: "4832819501", agent: "luan", group: "ativas", extension: "2071", ringingAt: at,
                endedBy: .agent)
        })
        _ = try f.sql("""
            PRAGMA ignore_check_constraints = ON;
            UPDATE attendances SET contact_name = CAST(X'41FF42C3' AS TEXT) WHERE number = 1;
            UPDATE attendances SET contact_name = CAST(X'41004200' AS TEXT), phone = 'Zé' WHERE number = 2;
            UPDATE attendances SET type = 'fax', ended_by = 'robot' WHERE number = 3;
            """)
        let all = AttendanceQuery(span: DateSpan(start: at.addingTimeInterval(-60), end: at.addingTimeInterval(60)))
        // When they are read as export rows
        let rows = try Self.exportRows(f, all)
        // Then invalid UTF-8 is repaired, text ends at the NUL, and unknown values fall back, as when decoded
        #expect(rows == (try f.store.attendances.list(all).map(Self.columns(of:))))
        #expect(rows[0][4] == Array("A\u{FFFD}B\u{FFFD}".utf8))
        #expect(rows[1][4] == Array("A".utf8))
        #expect(rows[2][1] == Array("inbound".utf8) && rows[2][15] == nil)
    }
}
