import AtendeCore
import AtendeSync
import AtendeWorkstation
import Foundation

/// How each kind of record is shown: table cells for people, objects for `--json`.
extension REPL {
    /// A table row whose `--json` object is built only with `--json`, and its cells only without:
    /// a day of calls has hundreds of rows, and their objects cost more than the text.
    func row(_ item: @autoclosure () -> ResultItem, cells: @autoclosure () -> [String]) -> Table.Row {
        options.json ? Table.Row(item: item(), cells: []) : Table.Row(item: Self.textOnly, cells: cells())
    }

    /// The object of a row rendered as text, never printed.
    static let textOnly = ResultItem(kind: "", fields: [])

    func noteItem(_ n: Note) -> ResultItem {
        ResultItem(kind: "note", fields: [
            ("number", .int(n.number)), ("text", .string(n.text)), ("created_at", .string(format.iso(n.createdAt))),
            ("updated_at", .string(format.iso(n.updatedAt))),
        ])
    }

    func conflictItem(_ c: SyncConflict) -> ResultItem {
        let o = c.overwrite
        return ResultItem(kind: "conflict", fields: [
            ("number", .int(c.number)), ("entity", .string(o.entity.rawValue)), ("id", .string(o.id)), ("field", .string(o.field)),
            ("lost", .optional(o.lost.map(Self.valueText))), ("lost_hlc", .string(o.lostStamp.description)),
            ("workstation", .optional(o.lostOrigin?.workstation)), ("agent", .optional(o.lostOrigin?.agent)),
            ("reason", .string(o.reason.rawValue)), ("restored", .bool(c.restoredAt != nil)),
        ])
    }

    func conflictsTable(_ conflicts: [SyncConflict]) -> Output {
        .table(Table(
            headers: ["number", "what", "detail", "agent", "when", "state"].map(catalogue.header),
            rows: conflicts.map { c in
                let o = c.overwrite
                let when = Date(timeIntervalSince1970: TimeInterval(o.lostStamp.millis) / 1000)
                return Table.Row(item: conflictItem(c), cells: [
                    String(c.number), "\(o.entity.rawValue) \(o.field)", o.lost.map(Self.valueText) ?? catalogue.word("deleted"),
                    o.lostOrigin?.agent ?? "", format.dateTime(when),
                    catalogue.word(c.restoredAt != nil ? "restored" : o.reason.rawValue),
                ])
            },
            empty: catalogue.text(.noConflicts)))
    }

    /// A lost value as one short line: text as it is, a record's fields as `key=value`.
    static func valueText(_ v: SyncValue) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let t): return t
        case .list(let l): return l.map(valueText).joined(separator: ", ")
        case .object(let o):
            // A note's whole record: its text is what the agent knows it by.
            if case .text(let t)? = o["text"] { return t }
            return o.keys.sorted().map { "\($0)=\(valueText(o[$0]!))" }.joined(separator: " ")
        }
    }

    func chatItem(_ m: ChatMessage) -> ResultItem {
        ResultItem(kind: "chat", fields: [
            ("from", .string(m.from)), ("to", .array(m.to.map(JSONValue.string))), ("text", .string(m.body)),
            ("sent", .string(format.iso(m.sentAt))),
        ])
    }

    func chatTable(_ messages: [ChatMessage]) -> Output {
        .table(Table(
            headers: ["when", "agent", "text"].map(catalogue.header),
            rows: messages.map { m in
                Table.Row(item: chatItem(m), cells: [format.dateTime(m.sentAt), "\(m.from) → \(m.to.joined(separator: ","))", m.body])
            },
            empty: catalogue.text(.noChat)))
    }

    func notesTable(_ notes: [Note]) -> Output {
        .table(Table(
            headers: ["number", "updated", "text"].map(catalogue.header),
            rows: notes.map { Table.Row(item: noteItem($0), cells: [String($0.number), format.dateTime($0.updatedAt), $0.text]) },
            empty: catalogue.text(.noNotes)))
    }

    func contactItem(_ c: Contact) -> ResultItem {
        ResultItem(kind: "contact", fields: [
            ("number", .int(c.number)), ("name", .string(c.name)), ("company", .optional(c.company)),
            ("email", .optional(c.email)), ("notes", .optional(c.notes)),
            ("phones", .array(c.phones.map { .string($0.text) })),
            ("phones_e164", .array(c.phones.map { .optional($0.e164) })),
        ])
    }

    func contactsTable(_ contacts: [Contact]) -> Output {
        .table(Table(
            headers: ["number", "name", "company", "phones"].map(catalogue.header),
            rows: contacts.map {
                row(contactItem($0), cells: [String($0.number), $0.name, $0.company ?? "", $0.phones.map(\.text).joined(separator: ", ")])
            },
            empty: catalogue.text(.noContacts)))
    }

    func contactDetail(_ c: Contact) -> Output {
        var lines = ["\(catalogue.header("number")) \(c.number)  \(c.name)"]
        if let v = c.company { lines.append("  \(catalogue.header("company")): \(v)") }
        for p in c.phones { lines.append("  \(catalogue.header("phone")): \(p.text)") }
        if let v = c.email { lines.append("  \(catalogue.header("email")): \(v)") }
        if let v = c.notes { lines.append("  \(catalogue.header("notes")): \(v)") }
        return .text(lines, contactItem(c))
    }

    func contactDraft(_ c: ParsedCommand) -> ContactDraft {
        ContactDraft(
            name: c.option("name"), phones: c.options["phone"], removedPhones: c.options["remove-phone"], company: c.option("company"),
            email: c.option("email"), notes: c.option("notes"))
    }

    func agendaDraft(_ c: ParsedCommand) -> AgendaDraft {
        AgendaDraft(
            name: c.option("name"), phone: c.option("phone"), start: c.option("start"), end: c.option("end"),
            allDay: c.flag("all-day") ? true : nil, group: c.option("group"), agent: c.option("agent"),
            contact: c.option("contact"), observation: c.option("obs"))
    }

    func agendaFilter(_ c: ParsedCommand) -> AgendaFilter {
        c.flag("pending") ? .pending : c.flag("done") ? .done : .all
    }

    func agendaItem(_ e: AgendaEvent) -> ResultItem { presenter.agendaItem(e) }

    func agendaTable(_ events: [AgendaEvent]) -> Output {
        let now = workstation.now
        return .table(Table(
            headers: ["number", "start", "end", "name", "phone", "done"].map(catalogue.header),
            rows: events.map { e in
                let due = !e.isDone && e.startsAt <= now
                return Table.Row(item: agendaItem(e), cells: [
                    String(e.number) + (due && options.colour ? " !" : ""), format.dateTime(e.startsAt), format.dateTime(e.endsAt),
                    e.name, e.phone.map(displayPhone) ?? "", e.isDone ? catalogue.word("done") : catalogue.word("pending"),
                ])
            },
            empty: catalogue.text(.noAgenda)))
    }

    func displayPhone(_ e164: String) -> String { Presenter.displayPhone(e164) }

    func configTable(_ config: WorkstationConfig, only: ConfigKey? = nil) -> Output {
        let keys = only.map { [$0] } ?? ConfigKey.all
        return .table(Table(
            headers: ["key", "value"].map(catalogue.header),
            rows: keys.map { k in
                let v = k.kind == .secret && !config[k].isEmpty ? "********" : config[k]
                return Table.Row(
                    item: ResultItem(kind: "config", fields: [("key", .string(k.name)), ("alias", .string(k.alias)), ("value", .string(v))]),
                    cells: [k.name + " (" + k.alias + ")", v])
            },
            empty: ""))
    }

    func attendanceItem(_ a: Attendance) -> ResultItem { presenter.attendanceItem(a) }

    func attendanceCells(_ a: Attendance) -> [String] {
        let start = a.startedAt
        return [
            catalogue.word(a.consultOf != nil ? "consult" : a.answeredAt == nil ? "unanswered" : a.type.rawValue), String(a.number), a.qualification ?? "", displayPhone(a.phone), a.contactName ?? "",
            start.map(format.date) ?? "", start.map { format.time($0, seconds: true) } ?? "",
            a.endedAt.map { format.time($0, seconds: true) } ?? "", format.duration(a.talkSeconds), a.extension,
        ]
    }

    static let attendanceHeaders = ["type", "number", "qualification", "phone", "contact", "date", "in", "out", "duration", "extension"]

    func callsTable(_ c: ParsedCommand) async throws -> Output {
        // Leading words that read as dates are the period; the rest is text to look for. A word
        // written as a date that is not one (31/02/2026) is refused, not looked for.
        var words = c.arguments.first.map { $0.split(separator: " ").map(String.init) } ?? []
        var dates: [String] = []
        let input = DateInput(calendar: workstation.calendar)
        while dates.count < 2, let w = words.first {
            if DateInput.looksLikeDate(w) {
                _ = try input.day(w, now: workstation.now)
            } else if (try? input.day(w, now: workstation.now)) == nil {
                break
            }
            dates.append(words.removeFirst())
        }
        let report = try await workstation.calls(CallsRequest(
            from: dates.first, to: dates.count > 1 ? dates[1] : nil, time: c.option("time"), agent: c.option("agent"),
            group: c.option("group"), text: words.isEmpty ? nil : words.joined(separator: " ")))
        return .table(Table(
            headers: Self.attendanceHeaders.map(catalogue.header),
            rows: report.attendances.map { row(attendanceItem($0), cells: attendanceCells($0)) },
            footer: catalogue.text(.callsTotal(
                count: report.customerAttendances, legs: report.attendances.count - report.customerAttendances,
                duration: format.duration(report.totalSeconds))),
            empty: catalogue.text(.noCalls)))
    }

    func attendanceDetail(_ a: Attendance, _ history: [Qualification]) -> Output {
        var lines = zip(Self.attendanceHeaders.map(catalogue.header), attendanceCells(a)).filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1)" }
        lines.append("\(catalogue.header("service")): \(a.service ?? "")  \(catalogue.header("agent")): \(a.agent)")
        for q in history {
            lines.append("  \(format.dateTime(q.createdAt))  \(q.code)  \(q.comment ?? "")  (\(q.agent))")
        }
        for r in a.recordings {
            let stop = r.stopOffset.map { format.duration($0) } ?? "…"
            lines.append("  \(catalogue.header("recording")) \(r.reason) \(format.duration(r.startOffset))–\(stop)  \(r.comment ?? "")")
        }
        var fields = attendanceItem(a).fields
        fields.append(("recordings", .array(a.recordings.map { r in
            .object([
                ("reason", .string(r.reason)), ("comment", .optional(r.comment)), ("start_offset", .int(r.startOffset)),
                ("stop_offset", r.stopOffset.map(JSONValue.int) ?? .null),
            ])
        })))
        fields.append(("qualifications", .array(history.map { q in
            .object([("code", .string(q.code)), ("comment", .optional(q.comment)), ("agent", .string(q.agent)), ("at", .string(format.iso(q.createdAt)))])
        })))
        return .text(lines, ResultItem(kind: "attendance", fields: fields))
    }

    func lossPeriod(_ text: String?) throws -> LossPeriod {
        let words = (text ?? "today").split(separator: " ").map { $0.lowercased() }
        switch words.first ?? "today" {
        case "today", "hoje": return .today
        case "yesterday", "ontem": return .yesterday
        case "month", "mes", "mês": return .month
        case "last-month", "mes-anterior", "mês-anterior": return .lastMonth
        default: return .days(words[0], words.count > 1 ? words[1] : words[0])
        }
    }

    func lossesTable(_ losses: [Loss]) -> Output {
        .table(Table(
            headers: ["service", "phone", "contact", "in_queue", "at_agent", "date", "time", "callback"].map(catalogue.header),
            rows: losses.map { l in
                row(
                    ResultItem(kind: "loss", fields: [
                        ("service", .string(l.service)), ("phone", .string(l.phone)), ("contact", .optional(l.contactName)),
                        ("abandoned_in_queue", .int(l.abandonedInQueue)), ("abandoned_at_agent", .int(l.abandonedAtAgent)),
                        ("day", .string(l.day)), ("last_at", .string(format.iso(l.lastAt))), ("callback", .string(l.callback.rawValue)),
                    ]),
                    cells: [
                        l.service, displayPhone(l.phone), l.contactName ?? "", String(l.abandonedInQueue), String(l.abandonedAtAgent),
                        format.date(l.lastAt), format.time(l.lastAt, seconds: true), catalogue.word(l.callback.rawValue),
                    ])
            },
            empty: catalogue.text(.noLosses)))
    }

    func searchTable(_ hits: [SearchHit], text: String) -> Output {
        .table(Table(
            headers: ["what", "number", "name", "detail"].map(catalogue.header),
            rows: hits.map { hit in
                switch hit {
                case .contact(let c, _):
                    return row(contactItem(c), cells: [
                        catalogue.word("contact"), String(c.number), c.name,
                        ([c.company ?? ""] + c.phones.map(\.text)).filter { !$0.isEmpty }.joined(separator: ", "),
                    ])
                case .attendance(let a, _):
                    return row(attendanceItem(a), cells: [
                        catalogue.word("attendance"), String(a.number), a.contactName ?? displayPhone(a.phone),
                        [catalogue.word(a.type.rawValue), displayPhone(a.phone), a.startedAt.map(format.dateTime) ?? "", a.qualification ?? ""]
                            .filter { !$0.isEmpty }.joined(separator: " "),
                    ])
                }
            },
            empty: catalogue.text(.nothingFound(text))))
    }

    func statsOutput(_ span: DateSpan, _ s: AttendanceSummary, pauseSeconds: Int) -> Output {
        let peak = max(s.perHour.max() ?? 0, 1)
        var lines = [catalogue.text(.statsTitle(day: format.date(span.start)))]
        let first = s.perHour.firstIndex { $0 > 0 } ?? 8
        let last = s.perHour.lastIndex { $0 > 0 } ?? 18
        for h in min(first, 8)...max(last, 18) {
            let bar = String(repeating: "█", count: s.perHour[h] * 40 / peak)
            lines.append(DisplayFormat.padded(h, 2) + "h │" + bar + (s.perHour[h] > 0 ? " \(s.perHour[h])" : ""))
        }
        lines.append(catalogue.text(.statsTotals(
            calls: s.calls, talk: format.duration(s.talkSeconds), wait: format.duration(s.waitSeconds), hold: format.duration(s.holdSeconds),
            pause: format.duration(pauseSeconds))))
        let item = ResultItem(kind: "stats", fields: [
            ("day", .string(format.iso(span.start))), ("calls", .int(s.calls)),
            ("inbound", .int(s.byType[.inbound] ?? 0)), ("outbound", .int(s.byType[.outbound] ?? 0)),
            ("internal", .int(s.byType[.internal] ?? 0)), ("talk_seconds", .int(s.talkSeconds)),
            ("wait_seconds", .int(s.waitSeconds)), ("hold_seconds", .int(s.holdSeconds)), ("pause_seconds", .int(pauseSeconds)),
            ("per_hour", .array(s.perHour.map(JSONValue.int))),
        ])
        return .text(lines, item)
    }
}
