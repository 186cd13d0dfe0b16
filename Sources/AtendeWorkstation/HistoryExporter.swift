public import AtendeCore
public import AtendeStore
public import Foundation

/// What to export: days, agent, format.
public struct ExportRequest: Sendable {
    public var from: String?
    public var to: String?
    public var agent: String?
    public var format: ExportFormat
    /// CSV for spreadsheets set to pt-BR: `;` and a byte-order mark.
    public var excel: Bool
    /// Whose attendances the exporting user may see (``Workstation/authorizeExport(_:by:)``).
    public var visibility: AttendanceVisibility?

    public init(
        from: String? = nil, to: String? = nil, agent: String? = nil, format: ExportFormat, excel: Bool = false,
        visibility: AttendanceVisibility? = nil
    ) {
        self.from = from
        self.to = to
        self.agent = agent
        self.format = format
        self.excel = excel
        self.visibility = visibility
    }
}

/// Streams stored attendances to CSV or JSON Lines with constant memory (RP-6).
///
/// For example:
/// ```swift
/// let exporter = HistoryExporter(store: store, calendar: .current, clock: SystemClock())
/// let rows = try exporter.export(ExportRequest(format: .csv), to: writer) { done, total in }
/// ```
public struct HistoryExporter {
    public static let columns = [
        "number", "type", "service", "phone", "contact", "agent", "group", "extension", "queued_at", "ringing_at",
        "answered_at", "ended_at", "talk_seconds", "wait_seconds", "hold_seconds", "ended_by", "transfer_target",
        "qualification",
    ]

    let store: Store
    let dates: DateInput
    let clock: any AtendeClock

    public init(store: Store, calendar: Calendar, clock: any AtendeClock) {
        self.store = store
        self.dates = DateInput(calendar: calendar)
        self.clock = clock
    }

    /// The attendances a request covers; everything when no days are given.
    public func query(_ r: ExportRequest) throws -> AttendanceQuery {
        let now = clock.now()
        let start = try r.from.map { try dates.day($0, now: now).start } ?? Date(timeIntervalSince1970: 0)
        let end = try r.to.map { try dates.day($0, now: now).end } ?? Date(timeIntervalSince1970: 253_402_300_799)
        guard end > start else { throw AtendeError.endBeforeStart }
        return AttendanceQuery(span: DateSpan(start: start, end: end), agent: r.agent, visibility: r.visibility)
    }

    /// Writes the header and every row; returns the number of rows. `progress` gets (done, total).
    @discardableResult
    public func export(_ r: ExportRequest, to out: BufferedFileWriter, progress: (Int, Int) -> Void) throws -> Int {
        let q = try query(r)
        let total = try store.attendances.count(q)
        let csv = CSVWriter(delimiter: r.excel ? ";" : ",", excel: r.excel)
        if r.format == .csv {
            if r.excel { try out.write(csv.preamble()) }
            try out.write(csv.encode(Self.columns))
        }
        var line = ExportLine(format: r.format, csv: csv, columns: Self.columns)
        var done = 0
        try store.attendances.forEachExportRow(q) { row in
            Self.encode(row, into: &line)
            try line.bytes.withUnsafeBytes { try out.write($0) }
            done += 1
            if done % 4096 == 0 { progress(done, total) }
        }
        progress(done, total)
        return done
    }

    /// One attendance as a line, its fields in the order of `columns`.
    static func encode(_ row: AttendanceExportRow, into line: inout ExportLine) {
        line.start()
        line.integer(row.integer(.number))
        line.text(row.type.rawValue)
        row.withText(.service) { line.text($0) }
        row.withText(.phone) { line.text($0) }
        row.withText(.contactName) { line.text($0) }
        row.withText(.agent) { line.text($0) }
        row.withText(.group) { line.text($0) }
        row.withText(.extension) { line.text($0) }
        line.time(row.integer(.queuedAt))
        line.time(row.integer(.ringingAt))
        line.time(row.integer(.answeredAt))
        line.time(row.integer(.endedAt))
        line.integer(row.integer(.talkSeconds))
        line.integer(row.integer(.waitSeconds))
        line.integer(row.integer(.holdSeconds))
        line.text(row.endedBy?.rawValue)
        row.withText(.transferTarget) { line.text($0) }
        row.withText(.qualification) { line.text($0) }
        line.finish()
    }
}
