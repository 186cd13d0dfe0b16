public import AtendeCore
public import Foundation
import GRDB

/// Scheduled tasks (AG-1, AG-2). Events are never deleted automatically.
public final class AgendaRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    @discardableResult
    public func add(_ event: AgendaEvent) throws -> AgendaEvent {
        try pool.writing { db in
            var e = event
            e.number = try stamper.next("agenda", db)
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: """
                    INSERT INTO agenda_events (id, number, group_name, agent, name, phone, starts_at, ends_at, all_day,
                        contact_id, observation, done_at, created_by, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    e.id.uuidString, e.number, e.group, e.agent, e.name, e.phone, e.startsAt.unixSeconds,
                    e.endsAt.unixSeconds, e.allDay, e.contactID?.uuidString, e.observation, e.doneAt?.unixSeconds,
                    e.createdBy, hlc,
                ])
            try stamper.enqueue(db, entity: "agenda", id: e.id, operation: "insert", record: e, hlc: hlc)
            return e
        }
    }

    /// Stores every field of an existing event.
    public func update(_ e: AgendaEvent) throws {
        try pool.writing { db in
            let previous = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT * FROM agenda_events WHERE id = ?"), arguments: [e.id.uuidString]
            ).map(Self.decode)
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: """
                    UPDATE agenda_events SET group_name = ?, agent = ?, name = ?, phone = ?, starts_at = ?, ends_at = ?,
                        all_day = ?, contact_id = ?, observation = ?, done_at = ?, hlc = ?
                    WHERE id = ?
                    """).execute(arguments: [
                    e.group, e.agent, e.name, e.phone, e.startsAt.unixSeconds, e.endsAt.unixSeconds, e.allDay,
                    e.contactID?.uuidString, e.observation, e.doneAt?.unixSeconds, hlc, e.id.uuidString,
                ])
            try stamper.enqueue(db, entity: "agenda", id: e.id, operation: "update", record: e, hlc: hlc, previous: previous)
        }
    }

    public func event(id: UUID) throws -> AgendaEvent? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM agenda_events WHERE id = ?"), arguments: [id.uuidString]).map(Self.decode)
        }
    }

    public func event(number: Int) throws -> AgendaEvent? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM agenda_events WHERE number = ?"), arguments: [number]).map(Self.decode)
        }
    }

    /// The agent's events overlapping `span` (all of them when nil), by start time.
    public func list(agent: String, span: DateSpan?, filter: AgendaFilter) throws -> [AgendaEvent] {
        var sql = "SELECT * FROM agenda_events WHERE agent = ?"
        var args: StatementArguments = [agent]
        if let span {
            sql += " AND starts_at < ? AND ends_at >= ?"
            args += [span.end.unixSeconds, span.start.unixSeconds]
        }
        switch filter {
        case .all: break
        case .pending: sql += " AND done_at IS NULL"
        case .done: sql += " AND done_at IS NOT NULL"
        }
        sql += " ORDER BY starts_at, number"
        return try pool.reading { db in try Row.fetchAll(db, sql: sql, arguments: args).map(Self.decode) }
    }

    /// Unfinished events of the agent that have started by `now` (the status badge).
    public func dueCount(agent: String, now: Date) throws -> Int {
        try pool.reading { db in
            try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM agenda_events WHERE agent = ? AND done_at IS NULL AND starts_at <= ?"), arguments: [agent, now.unixSeconds]) ?? 0
        }
    }

    static func decode(_ r: Row) -> AgendaEvent {
        AgendaEvent(
            id: r.uuid("id")!, number: r["number"], group: r["group_name"], agent: r["agent"], name: r["name"],
            phone: r["phone"], startsAt: r.date("starts_at")!, endsAt: r.date("ends_at")!, allDay: r["all_day"],
            contactID: r.uuid("contact_id"), observation: r["observation"], doneAt: r.date("done_at"),
            createdBy: r["created_by"])
    }
}
