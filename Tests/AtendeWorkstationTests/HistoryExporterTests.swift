import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

/// `HistoryExporter`: the bytes of each format, against a plain String encoding of the decoded
/// attendances.
@Suite struct HistoryExporterTests {
    /// A generated history plus attendances with NULLs and text that CSV and JSON must escape.
    static func fixture() throws -> WorkstationFixture {
        let f = try WorkstationFixture()
        var generator = HistoryGenerator(seed: 3)
        try generator.generate(into: f.store, attendances: 300, contacts: 80, registry: WorkstationFixture.registry) { _ in }
        let at = f.clock.now()
        try f.store.attendances.addAll([
            Attendance(
                type: .inbound, service: "Suporte", phone: "+554832819500", contactName: "Souza, \"Zé\"\r\nda Silva;",
                agent: "fabio", group: "receptivas", extension: "2050", queuedAt: at, answeredAt: at.addingTimeInterval(3_599),
                endedAt: at.addingTimeInterval(3_661), talkSeconds: 62, waitSeconds: 3_599, endedBy: .customer,
                transferTarget: " 2071", qualification: "tab\there \\ \u{01}"),
            Attendance(type: .outbound, phone: "4832819501", contactName: "", agent: "luan", group: "ativas", extension: "2071"),
        ])
        return f
    }

    /// Local `yyyy-mm-dd HH:MM:SS`, the way the export writes times.
    static func localTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func fields(of a: Attendance) -> [String] {
        [
            String(a.number), a.type.rawValue, a.service ?? "", a.phone, a.contactName ?? "", a.agent, a.group,
            a.extension, localTime(a.queuedAt), localTime(a.ringingAt), localTime(a.answeredAt), localTime(a.endedAt),
            String(a.talkSeconds), String(a.waitSeconds), String(a.holdSeconds), a.endedBy?.rawValue ?? "",
            a.transferTarget ?? "", a.qualification ?? "",
        ]
    }

    static func jsonLine(_ fields: [String]) -> String {
        let members = zip(HistoryExporter.columns, fields).map { key, value in
            let number = key == "number" || key.hasSuffix("_seconds")
            return "\"\(key)\":" + (value.isEmpty ? "null" : number ? value : JSONText.quote(value))
        }
        return "{" + members.joined(separator: ",") + "}\n"
    }

    static func export(_ f: WorkstationFixture, _ request: ExportRequest) throws -> (rows: Int, text: String) {
        let path = f.dir.file("export-\(UUID().uuidString)").path
        let out = try BufferedFileWriter(path: path)
        let rows = try HistoryExporter(store: f.store, calendar: f.calendar, clock: f.clock).export(request, to: out) { _, _ in }
        try out.close()
        return (rows, String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    @Test(arguments: [false, true])
    func csvIsTheHeaderThenOneRecordPerAttendance(excel: Bool) throws {
        // Given a history with awkward text
        let f = try Self.fixture()
        let attendances = try f.store.attendances.list(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
        // When it is exported to CSV
        let (rows, text) = try Self.export(f, ExportRequest(format: .csv, excel: excel))
        // Then it reads as the String encoding of every decoded attendance, oldest first
        let csv = CSVWriter(excel: excel)
        let expected = csv.header + csv.encode(HistoryExporter.columns) + attendances.map { csv.encode(Self.fields(of: $0)) }.joined()
        #expect(rows == 302)
        #expect(text == expected)
    }

    @Test func jsonLinesHaveNumbersAsNumbersAndEmptyValuesAsNull() throws {
        let f = try Self.fixture()
        let luan = try f.store.attendances.list(
            AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture), agent: "luan"))
        let (rows, text) = try Self.export(f, ExportRequest(agent: "luan", format: .jsonl))
        #expect(rows == luan.count)
        #expect(text == luan.map { Self.jsonLine(Self.fields(of: $0)) }.joined())
        #expect(text.contains(
            #"{"number":302,"type":"outbound","service":null,"phone":"4832819501","contact":null,"agent":"luan","#
                + #""group":"ativas","extension":"2071","queued_at":null,"ringing_at":null,"answered_at":null,"#
                + #""ended_at":null,"talk_seconds":0,"wait_seconds":0,"hold_seconds":0,"ended_by":null,"#
                + #""transfer_target":null,"qualification":null}"# + "\n"))
    }
}
