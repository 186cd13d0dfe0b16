public import AtendeCore
import AtendeStore
public import Foundation

/// What `calls` was asked for (RP-1): days, hours, agent, group, text.
public struct CallsRequest: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var time: String?
    /// An agent's nickname; `all` for every agent (supervisors).
    public var agent: String?
    public var group: String?
    public var text: String?

    public init(from: String? = nil, to: String? = nil, time: String? = nil, agent: String? = nil, group: String? = nil, text: String? = nil) {
        self.from = from
        self.to = to
        self.time = time
        self.agent = agent
        self.group = group
        self.text = text
    }
}

/// The attendances report: its rows, the span it covers and the customer totals.
public struct CallsReport: Sendable, Equatable {
    public var span: DateSpan
    /// Every row, consult legs and unanswered dials included (each marked as what it is).
    public var attendances: [Attendance]
    /// The customer attendances among them (consult legs and unanswered dials are not).
    public var customerAttendances: Int
    /// The customers' talk time: each customer call once.
    public var totalSeconds: Int
}

/// The period of a losses report (RP-3).
public enum LossPeriod: Sendable, Equatable {
    case today, yesterday, month, lastMonth
    case days(String, String)
}

/// The status line's figures (SL-5, SL-6).
public struct StatusSnapshot: Sendable, Equatable {
    public var agent: String
    public var agentName: String
    public var group: String
    public var now: Date
    public var extensionNumber: String
    public var agendaDue: Int
    /// Nil when the loss report is off.
    public var losses: Int?
    public var unreadChat: Int
    public var pendingSync: Int
    public var standalone: Bool
    /// The call-center server (`host:port`), when this workstation works with one.
    public var server: String?
    /// Whether the session's link to the server's switch is up.
    public var online: Bool = false
}

extension Workstation {
    public func calls(_ r: CallsRequest) throws -> CallsReport {
        let session = try requireSession()
        let span: DateSpan
        switch (r.from, r.to) {
        case (nil, _): span = try dates.day("today", now: now)
        case (let from?, nil): span = try dates.day(from, now: now)
        case (let from?, let to?): span = try dates.days(from: from, to: to, now: now)
        }
        let agent = try reportAgent(r.agent, session: session)
        let query = AttendanceQuery(
            span: span, agent: agent, group: r.group, timeOfDay: try r.time.map { try dates.timeRange($0) }, text: r.text,
            visibility: visibility(session))
        let rows = try store.attendances.list(query)
        let customers = rows.filter(\.isCustomerAttendance)
        return CallsReport(
            span: span, attendances: rows, customerAttendances: customers.count,
            totalSeconds: customers.reduce(0) { $0 + $1.talkSeconds })
    }

    /// An attendance with its qualification history.
    public func attendance(_ number: Int) throws -> (Attendance, [Qualification]) {
        let a = try ownAttendance(number, session: try requireSession())
        return (a, try store.attendances.qualifications(of: a.id))
    }

    public func losses(_ period: LossPeriod) throws -> [Loss] {
        let session = try requireSession()
        guard try configuration().isOn(.lossReport) else { throw AtendeError.lossReportDisabled }
        let span: DateSpan
        switch period {
        case .today: span = try dates.day("today", now: now)
        case .yesterday: span = try dates.day("yesterday", now: now)
        case .month: span = dates.month(of: now)
        case .lastMonth: span = dates.month(of: now, offset: -1)
        case .days(let a, let b): span = try dates.days(from: a, to: b, now: now)
        }
        let lastDay = span.end.addingTimeInterval(-1)
        return try store.losses.list(fromDay: dayKey(span.start), toDay: dayKey(lastDay), group: session.group.name)
    }

    public func search(_ text: String) throws -> [SearchHit] {
        let session = try requireSession()
        guard !text.trimmingSpaces.isEmpty else { throw AtendeError.emptyField("text") }
        return try store.search.search(text, visibility: visibility(session))
    }

    /// Totals and calls per hour of one day for this agent, and the seconds paused (RP-5).
    public func stats(day: String?) throws -> (DateSpan, AttendanceSummary, pauseSeconds: Int) {
        let session = try requireSession()
        let span = try dates.day(day ?? "today", now: now)
        let paused = try store.pauses.list(agent: session.agent.nickname, span: span).reduce(0) { total, p in
            // Only the part of each pause inside the day, an open pause up to now.
            let start = max(p.startedAt, span.start)
            let end = min(p.endedAt ?? now, span.end)
            return total + max(0, Int(end.timeIntervalSince(start)))
        }
        return (span, try store.attendances.summary(AttendanceQuery(span: span, agent: session.agent.nickname)), paused)
    }

    public func status() throws -> StatusSnapshot {
        let session = try requireSession()
        let config = try configuration()
        let now = self.now
        return StatusSnapshot(
            agent: session.agent.nickname, agentName: session.agent.name, group: session.group.name, now: now,
            extensionNumber: config[.extension],
            agendaDue: try store.agenda.dueCount(agent: session.agent.nickname, now: now),
            losses: config.isOn(.lossReport) ? try store.losses.pendingCount(day: dayKey(now), group: session.group.name) : nil,
            unreadChat: try store.chat.unreadCount(agent: session.agent.nickname),
            pendingSync: try store.pendingOutboxCount(), standalone: gateway == nil, server: gateway?.address,
            online: serverSession != nil && linkUp)
    }

    /// The local calendar day of `date`, `yyyy-mm-dd`, as losses are kept.
    public nonisolated func dayKey(_ date: Date) -> String {
        calendar.dayKey(date)
    }

    /// The agent a report is for: this one, another (supervisors), or everyone (`all`).
    func reportAgent(_ requested: String?, session: Session) throws -> String? {
        guard let requested, requested.caseInsensitiveCompare(session.agent.nickname) != .orderedSame else {
            return session.agent.nickname
        }
        guard session.agent.role != .agent else { throw AtendeError.supervisorOnly }
        if requested.lowercased() == "all" || requested.lowercased() == "todos" { return nil }
        guard let agent = registry.agent(requested) else { throw AtendeError.unknownAgent(requested) }
        return agent.nickname
    }
}
