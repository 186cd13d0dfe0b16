public import AtendeCore
public import Foundation
import GRDB

/// The agent's pauses, with reason and times (CC-11).
public final class PauseLogRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    /// Records a pause as started; it stays open until ``end(agent:at:)``.
    public func start(_ entry: PauseEntry) throws {
        try pool.writing { db in
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: """
                    INSERT INTO pause_log (id, agent, reason, kind, code, started_at, ended_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    entry.id.uuidString, entry.agent, entry.reason.name, entry.reason.kind.rawValue, entry.reason.code,
                    entry.startedAt.unixSeconds, entry.endedAt?.unixSeconds, hlc,
                ])
            try stamper.enqueue(db, entity: "pause", id: entry.id, operation: "insert", record: entry, hlc: hlc)
        }
    }

    /// Closes the agent's open pause, if any.
    public func end(agent: String, at time: Date) throws {
        try pool.writing { db in
            guard let id = try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM pause_log WHERE agent = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1"), arguments: [agent])
            else { return }
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: "UPDATE pause_log SET ended_at = ?, hlc = ? WHERE id = ?").execute(arguments: [time.unixSeconds, hlc, id])
            try stamper.enqueue(
                db, entity: "pause", id: UUID(uuidString: id)!, operation: "update", record: ["ended_at": time.unixSeconds], hlc: hlc)
        }
    }

    /// The agent's pauses that overlap `span`, oldest first.
    public func list(agent: String, span: DateSpan) throws -> [PauseEntry] {
        try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                    SELECT * FROM pause_log WHERE agent = ? AND started_at < ? AND (ended_at IS NULL OR ended_at >= ?)
                    ORDER BY started_at
                    """), arguments: [agent, span.end.unixSeconds, span.start.unixSeconds]
            ).map { r in
                PauseEntry(
                    id: r.uuid("id")!, agent: r["agent"],
                    reason: PauseReason(name: r["reason"], kind: PauseReason.Kind(rawValue: r["kind"]) ?? .eventual, code: r["code"]),
                    startedAt: r.date("started_at")!, endedAt: r.date("ended_at"))
            }
        }
    }
}
