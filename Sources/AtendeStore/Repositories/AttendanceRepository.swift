public import AtendeCore
public import Foundation
import GRDB
import Synchronization

/// Which attendances a report covers (RP-1, RP-6).
public struct AttendanceQuery: Sendable {
    public var span: DateSpan
    public var agent: String?
    public var group: String?
    /// Minutes after local midnight, inclusive.
    public var timeOfDay: ClosedRange<Int>?
    /// Words that must appear in the phone, contact, service or qualification.
    public var text: String?
    /// Whose attendances the reader may see (SV-6); nil for every one (benchmarks, tools).
    public var visibility: AttendanceVisibility?

    public init(
        span: DateSpan, agent: String? = nil, group: String? = nil, timeOfDay: ClosedRange<Int>? = nil, text: String? = nil,
        visibility: AttendanceVisibility? = nil
    ) {
        self.span = span
        self.agent = agent
        self.group = group
        self.timeOfDay = timeOfDay
        self.text = text
        self.visibility = visibility
    }
}

/// The attendances and their qualification history.
public final class AttendanceRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper
    /// The highest number ``reserveNumber()`` handed out in this process.
    private let reserved = Mutex(0)

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    /// The number the attendance of a call in progress will have, so the agent sees it during the
    /// call (SL-4); pass it in the attendance to ``add(_:)``. Nothing is written: a number reserved
    /// by a process that dies is simply handed out again, and one another process took meanwhile
    /// is replaced by the next free number when the attendance is added.
    public func reserveNumber() throws -> Int {
        let stored = try pool.reading { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM sequences WHERE name = 'attendance'")) ?? 0
        }
        return reserved.withLock { last in
            last = max(last, stored) + 1
            return last
        }
    }

    /// Records an attendance with its reserved number (if still free) or the next one; returns it as stored.
    @discardableResult
    public func add(_ attendance: Attendance) throws -> Attendance {
        try pool.writing { db in try insert(attendance, db) }
    }

    /// Records many attendances in one transaction; `queueForSync: false` for history that the
    /// server already holds (imports, generated benchmark data).
    public func addAll(_ attendances: [Attendance], queueForSync: Bool = true) throws {
        try pool.writing { db in
            for a in attendances { _ = try insert(a, db, queueForSync: queueForSync) }
        }
    }

    /// Appends a qualification to the attendance's history and makes it the current one.
    public func qualify(_ q: Qualification) throws {
        try pool.writing { db in
            let hlc = try stamper.stamp(db)
            try Self.insert(q, db, hlc: hlc)
            try stamper.enqueue(db, entity: "qualification", id: q.id, operation: "insert", record: q, hlc: hlc)
        }
    }

    /// Adds a qualification's code and comment to the attendance's search row (rowid = number).
    static let reindexQualificationSQL = """
        UPDATE attendances_fts SET qualification = qualification || ' ' || ?, comments = comments || ' ' || ?
        WHERE rowid = (SELECT number FROM attendances WHERE id = ?)
        """

    /// One attendance with its recordings.
    public func attendance(number: Int) throws -> Attendance? {
        try pool.reading { db in
            guard var a = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM attendances WHERE number = ?"), arguments: [number]).map(Self.decode)
            else { return nil }
            a.recordings = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM attendance_recordings WHERE attendance_id = ? ORDER BY start_offset"), arguments: [a.id.uuidString]
            ).map { Recording(reason: $0["reason"], comment: $0["comment"], startOffset: $0["start_offset"], stopOffset: $0["stop_offset"]) }
            return a
        }
    }

    public func qualifications(of attendanceID: UUID) throws -> [Qualification] {
        try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM qualifications WHERE attendance_id = ? ORDER BY created_at, rowid"), arguments: [attendanceID.uuidString]
            ).map { r in
                Qualification(
                    id: r.uuid("id")!, attendanceID: r.uuid("attendance_id")!, code: r["code"], comment: r["comment"],
                    agent: r["agent"], createdAt: r.date("created_at")!)
            }
        }
    }

    /// The attendances of a report, oldest first.
    public func list(_ query: AttendanceQuery) throws -> [Attendance] {
        let (sql, args) = Self.select("*", query)
        return try pool.reading { db in
            try Row.fetchAll(db, sql: sql + " ORDER BY started_at, number", arguments: args).map(Self.decode)
        }
    }

    /// How many attendances a query covers, for progress bars.
    public func count(_ query: AttendanceQuery) throws -> Int {
        let (sql, args) = Self.select("COUNT(*)", query)
        return try pool.reading { db in try Int.fetchOne(db, sql: sql, arguments: args) ?? 0 }
    }

    /// Totals and calls per hour of the query.
    public func summary(_ query: AttendanceQuery) throws -> AttendanceSummary {
        let (sql, args) = Self.select(
            """
            type, strftime('%H', started_at, 'unixepoch', 'localtime') AS hour, COUNT(*) AS calls,
            SUM(talk_seconds) AS talk, SUM(wait_seconds) AS wait, SUM(hold_seconds) AS hold
            """, query)
        return try pool.reading { db in
            var s = AttendanceSummary(
                calls: 0, byType: [:], talkSeconds: 0, waitSeconds: 0, holdSeconds: 0, perHour: Array(repeating: 0, count: 24))
            for r in try Row.fetchAll(db, sql: sql + " GROUP BY type, hour", arguments: args) {
                let calls: Int = r["calls"]
                s.calls += calls
                if let type = CallType(rawValue: r["type"]) { s.byType[type, default: 0] += calls }
                s.talkSeconds += r["talk"] ?? 0
                s.waitSeconds += r["wait"] ?? 0
                s.holdSeconds += r["hold"] ?? 0
                if let h = Int(r["hour"] as String? ?? ""), (0..<24).contains(h) { s.perHour[h] += calls }
            }
            return s
        }
    }

    private func insert(_ attendance: Attendance, _ db: Database, queueForSync: Bool = true) throws -> Attendance {
        try Self.write(attendance, db, stamper: stamper, queueForSync: queueForSync)
    }

    /// Writes an attendance with its number (if still free) or the next one, its recordings and its
    /// search row, and queues it (`queueForSync`); returns it as stored (times in whole seconds).
    ///
    /// One already here under its id (the switch host's record of the call, pulled before the
    /// agent's own was written) is completed by this one and keeps its number and qualification.
    static func write(_ attendance: Attendance, _ db: Database, stamper: Stamper, queueForSync: Bool) throws -> Attendance {
        var a = attendance
        for path in [\Attendance.queuedAt, \.ringingAt, \.answeredAt, \.endedAt] {
            a[keyPath: path] = a[keyPath: path].map { Date(unixSeconds: $0.unixSeconds) }
        }
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT number, qualification FROM attendances WHERE id = ?"), arguments: [a.id.uuidString])
        if let existing {
            a.number = existing["number"]
            a.qualification = a.qualification ?? existing["qualification"]
            try db.cachedStatement(sql: "DELETE FROM attendances_fts WHERE rowid = ?").execute(arguments: [a.number])
            try db.cachedStatement(sql: "DELETE FROM attendance_recordings WHERE attendance_id = ?").execute(arguments: [a.id.uuidString])
        } else if try a.number > 0
            && Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attendances WHERE number = ?"), arguments: [a.number]) == nil
        {
            try db.cachedStatement(sql: """
                    INSERT INTO sequences (name, value) VALUES ('attendance', ?)
                    ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)
                    """).execute(arguments: [a.number])
        } else {
            a.number = try stamper.next("attendance", db)
        }
        let hlc = try stamper.stamp(db)
        let started = (a.startedAt ?? stamper.now).unixSeconds
        try db.cachedStatement(sql: """
                INSERT INTO attendances (id, number, type, service, phone, contact_id, contact_name, agent, group_name,
                    extension, queued_at, ringing_at, answered_at, ended_at, started_at, talk_seconds, wait_seconds,
                    hold_seconds, ended_by, transfer_target, qualification, dial_string, hlc, call_id, consult_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, service = excluded.service, phone = excluded.phone,
                    contact_id = excluded.contact_id, contact_name = excluded.contact_name, agent = excluded.agent,
                    group_name = excluded.group_name, extension = excluded.extension, queued_at = excluded.queued_at,
                    ringing_at = excluded.ringing_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
                    started_at = excluded.started_at, talk_seconds = excluded.talk_seconds,
                    wait_seconds = excluded.wait_seconds, hold_seconds = excluded.hold_seconds,
                    ended_by = excluded.ended_by, transfer_target = excluded.transfer_target,
                    qualification = excluded.qualification, dial_string = excluded.dial_string, hlc = excluded.hlc,
                    call_id = excluded.call_id, consult_of = excluded.consult_of
                """).execute(arguments: [
                a.id.uuidString, a.number, a.type.rawValue, a.service, a.phone, a.contactID?.uuidString, a.contactName,
                a.agent, a.group, a.extension, a.queuedAt?.unixSeconds, a.ringingAt?.unixSeconds,
                a.answeredAt?.unixSeconds, a.endedAt?.unixSeconds, started, a.talkSeconds, a.waitSeconds,
                a.holdSeconds, a.endedBy?.rawValue, a.transferTarget, a.qualification, a.dialString, hlc,
                a.callID?.uuidString, a.consultOf?.uuidString,
            ])
        for r in a.recordings {
            try db.cachedStatement(sql: """
                    INSERT INTO attendance_recordings (id, attendance_id, reason, comment, start_offset, stop_offset)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [UUID.random().uuidString, a.id.uuidString, r.reason, r.comment, r.startOffset, r.stopOffset])
        }
        try db.cachedStatement(sql: "INSERT INTO attendances_fts (rowid, phones, contact, qualification, comments) VALUES (?, ?, ?, ?, '')").execute(arguments: [
                a.number, SearchIndex.phoneKeys(text: a.phone, e164: a.phone).joined(separator: " "),
                a.contactName ?? "", a.qualification ?? "",
            ])
        if queueForSync { try stamper.enqueue(db, entity: "attendance", id: a.id, operation: "insert", record: a, hlc: hlc) }
        return a
    }

    /// Writes a qualification pulled for an attendance here (another workstation of its agent
    /// qualified it), once: returns whether it was new.
    static func show(_ q: Qualification, _ db: Database, hlc: String) throws -> Bool {
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attendances WHERE id = ?"), arguments: [q.attendanceID.uuidString]) != nil,
            try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM qualifications WHERE id = ?"), arguments: [q.id.uuidString]) == nil
        else { return false }
        try insert(q, db, hlc: hlc)
        return true
    }

    /// Appends a qualification to its attendance's history and makes it the current one.
    private static func insert(_ q: Qualification, _ db: Database, hlc: String) throws {
        try db.cachedStatement(sql: """
                INSERT INTO qualifications (id, attendance_id, code, comment, agent, created_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                q.id.uuidString, q.attendanceID.uuidString, q.code, q.comment, q.agent, q.createdAt.unixSeconds, hlc,
            ])
        try db.cachedStatement(sql: "UPDATE attendances SET qualification = ? WHERE id = ?").execute(arguments: [q.code, q.attendanceID.uuidString])
        try db.cachedStatement(sql: reindexQualificationSQL).execute(arguments: [q.code, q.comment ?? "", q.attendanceID.uuidString])
    }

    static func select(_ columns: String, _ q: AttendanceQuery) -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM attendances WHERE started_at >= ? AND started_at < ?"
        var args: StatementArguments = [q.span.start.unixSeconds, q.span.end.unixSeconds]
        if let agent = q.agent {
            sql += " AND agent = ?"
            args += [agent]
        }
        if let group = q.group {
            sql += " AND group_name = ?"
            args += [group]
        }
        if let visibility = q.visibility {
            let (clause, more) = visibilityClause(visibility, column: "")
            sql += clause
            args += more
        }
        if let range = q.timeOfDay {
            sql += """
                 AND (CAST(strftime('%H', started_at, 'unixepoch', 'localtime') AS INTEGER) * 60
                    + CAST(strftime('%M', started_at, 'unixepoch', 'localtime') AS INTEGER)) BETWEEN ? AND ?
                """
            args += [range.lowerBound, range.upperBound]
        }
        for word in (q.text ?? "").split(separator: " ") {
            let digits = PhoneNumber.digits(of: String(word))
            sql += " AND (contact_name LIKE ? OR service LIKE ? OR qualification LIKE ?"
            args += ["%\(word)%", "%\(word)%", "%\(word)%"]
            if !digits.isEmpty {
                sql += " OR phone LIKE ?"
                args += ["%\(digits)%"]
            }
            sql += ")"
        }
        return (sql, args)
    }

    /// ` AND …` restricting attendances (columns prefixed with `prefix`) to what `v` allows.
    static func visibilityClause(_ v: AttendanceVisibility, column prefix: String) -> (String, StatementArguments) {
        var sql = ""
        var args: StatementArguments = []
        if let agent = v.agent {
            sql += " AND \(prefix)agent = ?"
            args += [agent]
        }
        if let groups = v.groups {
            sql += groups.isEmpty ? " AND 0" : " AND \(prefix)group_name IN (\(groups.map { _ in "?" }.joined(separator: ", ")))"
            args += StatementArguments(groups)
        }
        return (sql, args)
    }

    static func decode(_ r: Row) -> Attendance {
        Attendance(
            id: r.uuid("id")!, number: r["number"], type: CallType(rawValue: r["type"]) ?? .inbound, service: r["service"],
            phone: r["phone"], contactID: r.uuid("contact_id"), contactName: r["contact_name"], agent: r["agent"],
            group: r["group_name"], extension: r["extension"], queuedAt: r.date("queued_at"),
            ringingAt: r.date("ringing_at"), answeredAt: r.date("answered_at"), endedAt: r.date("ended_at"),
            talkSeconds: r["talk_seconds"], waitSeconds: r["wait_seconds"], holdSeconds: r["hold_seconds"],
            endedBy: (r["ended_by"] as String?).flatMap(EndedBy.init), transferTarget: r["transfer_target"],
            qualification: r["qualification"], dialString: r["dial_string"], callID: r.uuid("call_id"),
            consultOf: r.uuid("consult_of"))
    }
}
