public import AtendeCore
public import Foundation
import GRDB

/// Where a lost call gave up.
public enum AbandonPlace: Sendable {
    case queue, agent
}

/// Lost calls, one row per day, service and phone (RP-3).
public final class LossRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    /// Counts a lost call into the day's loss for that service and phone, creating it if needed.
    ///
    /// Losses are the switch host's record (append-only events on the server, pulled by each
    /// workstation of the group): the day's counts kept here are this store's and never queued.
    @discardableResult
    public func record(
        service: String, phone: String, contactName: String?, group: String, day: String, at time: Date,
        place: AbandonPlace
    ) throws -> Loss {
        try pool.writing { db in
            try Self.count(
                db, hlc: try stamper.stamp(db), service: service, phone: phone, contactName: contactName, group: group, day: day,
                at: time, place: place)
        }
    }

    /// Counts one lost call into its day's loss (the standalone host's, or one pulled).
    static func count(
        _ db: Database, hlc: String, service: String, phone: String, contactName: String?, group: String, day: String,
        at time: Date, place: AbandonPlace
    ) throws -> Loss {
        let queue = place == .queue ? 1 : 0
        let agent = place == .agent ? 1 : 0
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
                INSERT INTO losses (id, service, phone, contact_name, group_name, loss_day, abandoned_in_queue,
                    abandoned_at_agent, last_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(loss_day, service, phone) DO UPDATE SET
                    abandoned_in_queue = abandoned_in_queue + excluded.abandoned_in_queue,
                    abandoned_at_agent = abandoned_at_agent + excluded.abandoned_at_agent,
                    last_at = max(last_at, excluded.last_at), callback = 'pending', hlc = excluded.hlc,
                    contact_name = COALESCE(excluded.contact_name, contact_name)
                RETURNING *
                """), arguments: [
                UUID.random().uuidString, service, phone, contactName, group, day, queue, agent, time.unixSeconds, hlc,
            ])!
        return Self.decode(row)
    }

    /// Marks done the call-backs still pending of `phone` lost at or before `time`: the number was
    /// called back and answered then. Returns how many losses it closed.
    @discardableResult
    public func markCalledBack(phone: String, at time: Date) throws -> Int {
        try pool.writing { db in
            let pending = try Row.fetchAll(try db.cachedStatement(sql: """
                    SELECT id FROM losses WHERE phone = ? AND callback = 'pending' AND last_at <= ?
                    """), arguments: [phone, time.unixSeconds])
            guard !pending.isEmpty else { return 0 }
            let hlc = try stamper.stamp(db)
            for row in pending {
                try db.cachedStatement(sql: "UPDATE losses SET callback = 'done', hlc = ? WHERE id = ?").execute(arguments: [hlc, row["id"] as String])
            }
            return pending.count
        }
    }

    /// The losses of the days `fromDay…toDay` (inclusive, `yyyy-mm-dd`), newest first.
    public func list(fromDay: String, toDay: String, group: String?) throws -> [Loss] {
        var args: StatementArguments = [fromDay, toDay]
        if let group { args += [group] }
        return try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: Self.listSQL(group: group != nil)), arguments: args).map(Self.decode)
        }
    }

    static func listSQL(group: Bool) -> String {
        "SELECT * FROM losses WHERE loss_day BETWEEN ? AND ?" + (group ? " AND group_name = ?" : "") + " ORDER BY last_at DESC"
    }

    /// Losses of the day still waiting for a call-back (the status badge).
    public func pendingCount(day: String, group: String?) throws -> Int {
        try pool.reading { db in
            try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM losses WHERE loss_day = ? AND callback = 'pending' AND (?2 IS NULL OR group_name = ?2)"), arguments: [day, group]) ?? 0
        }
    }

    static func decode(_ r: Row) -> Loss {
        Loss(
            id: r.uuid("id")!, service: r["service"], phone: r["phone"], contactName: r["contact_name"],
            group: r["group_name"], day: r["loss_day"], abandonedInQueue: r["abandoned_in_queue"],
            abandonedAtAgent: r["abandoned_at_agent"], lastAt: r.date("last_at")!,
            callback: Loss.CallbackStatus(rawValue: r["callback"]) ?? .pending)
    }
}
