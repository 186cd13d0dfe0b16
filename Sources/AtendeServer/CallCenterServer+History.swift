import AtendeCore
import AtendeServerStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The export of the server's history (RP-6, `atende admin export`): every attendance the
/// server holds — each the agent's workstation's record merged with the switch host's — as CSV or
/// JSON Lines, streamed a page at a time with constant memory on both sides. An admin exports
/// everyone's, a supervisor their groups', an agent their own. Each export is audited.
extension CallCenterServer {
    /// The columns of the server's export: the workstation's (RP-6) with the record's id and the
    /// call's in place of the workstation's own number, and the mismatches with the switch's record.
    static let historyColumns = [
        "id", "call_id", "type", "service", "phone", "contact", "agent", "group", "extension", "queued_at", "ringing_at",
        "answered_at", "ended_at", "talk_seconds", "wait_seconds", "hold_seconds", "ended_by", "transfer_target",
        "qualification", "mismatches",
    ]

    /// Attendances read per page (one read transaction each).
    static let historyPage = 2000

    /// The header that says how many attendances the export holds, for a progress bar, and the
    /// trailer that says how many it wrote.
    static let historyRowsHeader = HTTPField.Name("X-Atende-Rows")!

    func historyRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/api/v1/admin/export") { [self] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            let parameters = request.uri.queryParameters
            let text = { (name: String) in parameters[name[...]].map(String.init) }
            guard let format = ExportFormat(rawValue: text("format") ?? "csv") else {
                return Self.problem(ServerProblem(.badRequest, "format is csv or jsonl"))
            }
            guard let from = text("from").map({ Int64($0) }) ?? Int64(0), let to = text("to").map({ Int64($0) }) ?? Int64(253_402_300_799),
                from <= to
            else {
                return Self.problem(ServerProblem(.badRequest, "from and to are Unix seconds, from not after to"))
            }
            let timeZone = text("tz").flatMap(TimeZone.init(identifier:))
            if text("tz") != nil && timeZone == nil {
                return Self.problem(ServerProblem(.badRequest, "tz is a time zone identifier such as America/Sao_Paulo"))
            }
            let query: HistoryQuery
            switch Self.historyQuery(from: from, to: to, agent: text("agent"), by: principal.agent, registry: registry.current.registry) {
            case .success(let q): query = q
            case .failure(let problem): return Self.problem(problem)
            }
            let excel = text("excel") == "1"
            let total: Int
            do throws(ServerStoreError) {
                total = try records.historyCount(query)
                let filters = [text("from").map { "from \($0)" }, text("to").map { "to \($0)" }, query.agent.map { "agent \($0)" }]
                try records.audit(
                    AuditEntry(
                        at: configuration.clock.now(), actor: principal.agent.nickname, action: "export",
                        detail: (["\(total) attendances as \(format.rawValue)"] + filters.compactMap { $0 }).joined(separator: ", ")))
            } catch {
                return Self.problem(ServerProblem(.unavailable, "the server could not read its history: try again"))
            }
            let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
            return Response(
                status: .ok, headers: [.contentType: contentType, Self.historyRowsHeader: String(total)],
                body: ResponseBody { [records, logger] writer in
                    try await Self.writeHistory(
                        query, format: format, excel: excel, timeZone: timeZone, records: records, logger: logger, to: &writer)
                })
        }
    }

    /// The query `viewer` may run: an admin's as asked, a supervisor's within their groups, an
    /// agent's on their own attendances only.
    static func historyQuery(
        from: Int64, to: Int64, agent: String?, by viewer: Agent, registry: Registry
    ) -> Result<HistoryQuery, ServerProblem> {
        var query = HistoryQuery(from: from, to: to)
        if let agent, agent.caseInsensitiveCompare(viewer.nickname) != .orderedSame {
            guard viewer.role != .agent else {
                return .failure(ServerProblem(.forbidden, "only supervisors and admins export another agent's history"))
            }
            guard let other = registry.agent(agent) else { return .failure(ServerProblem(.notFound, "no agent \(agent)")) }
            query.agent = other.nickname
        } else if viewer.role == .agent || agent != nil {
            query.agent = viewer.nickname
        }
        if viewer.role == .supervisor { query.groups = AttendanceVisibility(for: viewer).groups }
        return .success(query)
    }

    /// Streams the header and every row, a page at a time. A failure midway throws: the connection
    /// closes without the body's end, and the client knows the export is incomplete.
    static func writeHistory(
        _ query: HistoryQuery, format: ExportFormat, excel: Bool, timeZone: TimeZone?, records: some HistoryRecords, logger: Logger,
        to writer: inout any ResponseBodyWriter
    ) async throws {
        let csv = CSVWriter(delimiter: excel ? ";" : ",", excel: excel)
        if format == .csv {
            var head = excel ? csv.preamble() : []
            head += Array(csv.encode(historyColumns).utf8)
            try await writer.write(ByteBuffer(bytes: head))
        }
        var line = ExportLine(format: format, csv: csv, columns: historyColumns, timeZone: timeZone)
        var after: HistoryKey?
        var buffer = ByteBuffer()
        var written = 0
        while true {
            let page: [HistoryRow]
            do {
                page = try records.history(query, after: after, limit: historyPage)
            } catch {
                logger.error("history export stopped", metadata: ["reason": "\(error)"])
                throw error
            }
            guard let last = page.last else { break }
            buffer.clear()
            for row in page {
                encode(row, into: &line)
                line.bytes.withUnsafeBytes { _ = buffer.writeBytes($0) }
            }
            try await writer.write(buffer)
            if written == 0 { logger.info("history export under way", metadata: ["rows": "\(page.count)"]) }
            written += page.count
            after = last.key
            if page.count < historyPage { break }
        }
        // The trailer says how many were written (the count of the head was taken before).
        try await writer.finish([historyRowsHeader: String(written)])
    }

    /// One attendance as a line, its fields in the order of `historyColumns`. Talk and wait the
    /// switch's record leaves out are counted from its times, as the workstation counts them.
    static func encode(_ row: HistoryRow, into line: inout ExportLine) {
        var talk = row.talkSeconds, wait = row.waitSeconds
        if talk == nil || wait == nil, let end = row.endedAt {
            let date = { (t: Int64?) in t.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
            let counted = Attendance.seconds(
                queuedAt: date(row.queuedAt), ringingAt: date(row.ringingAt), answeredAt: date(row.answeredAt), endedAt: date(end)!)
            talk = talk ?? Int64(counted.talk)
            wait = wait ?? Int64(counted.wait)
        }
        line.start()
        line.text(row.id)
        line.text(row.callID)
        line.text(row.type)
        line.text(row.service)
        line.text(row.phone)
        line.text(row.contact)
        line.text(row.agent)
        line.text(row.group)
        line.text(row.extension)
        line.time(row.queuedAt)
        line.time(row.ringingAt)
        line.time(row.answeredAt)
        line.time(row.endedAt)
        line.integer(talk)
        line.integer(wait)
        line.integer(row.holdSeconds)
        line.text(row.endedBy)
        line.text(row.transferTarget)
        line.text(row.qualification)
        line.integer(Int64(row.mismatches))
        line.finish()
    }
}
