public import AtendeCore
import Foundation
import GRDB

/// The chat log between agents (CH-1).
public final class ChatRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    public func add(_ m: ChatMessage) throws {
        try pool.writing { db in
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: """
                    INSERT INTO chat_messages (id, from_agent, to_agents, body, sent_at, read_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    m.id.uuidString, m.from, m.to.joined(separator: ","), m.body, m.sentAt.unixSeconds,
                    m.readAt?.unixSeconds, hlc,
                ])
            try stamper.enqueue(db, entity: "chat", id: m.id, operation: "insert", record: m, hlc: hlc)
        }
    }

    public func message(id: String) throws -> ChatMessage? {
        try pool.reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chat_messages WHERE id = ?", arguments: [id]).map(Self.decode)
        }
    }

    static func decode(_ r: Row) -> ChatMessage {
        ChatMessage(
            id: r.uuid("id")!, from: r["from_agent"], to: (r["to_agents"] as String).split(separator: ",").map(String.init),
            body: r["body"], sentAt: r.date("sent_at")!, readAt: r.date("read_at"))
    }

    /// The last `limit` messages `agent` sent or received (with `other` only, when given), oldest
    /// first; those received are marked read.
    public func conversation(agent: String, with other: String?, limit: Int = 50) throws -> [ChatMessage] {
        try pool.writing { db in
            var sql = """
                SELECT * FROM chat_messages
                WHERE (from_agent = ?1 OR (',' || to_agents || ',') LIKE '%,' || ?1 || ',%')
                """
            if other != nil { sql += " AND (from_agent = ?2 OR (',' || to_agents || ',') LIKE '%,' || ?2 || ',%')" }
            sql += " ORDER BY sent_at DESC, hlc DESC LIMIT ?3"
            let messages = try Row.fetchAll(db, sql: sql, arguments: [agent, other, limit]).map(Self.decode).reversed()
            try db.execute(
                sql: """
                    UPDATE chat_messages SET read_at = ?2
                    WHERE read_at IS NULL AND from_agent <> ?1 AND (',' || to_agents || ',') LIKE '%,' || ?1 || ',%'
                    """ + (other != nil ? " AND from_agent = ?3" : ""), arguments: [agent, stamper.now.unixSeconds, other])
            return Array(messages)
        }
    }

    /// Messages sent to `agent` and not read yet (the status badge).
    public func unreadCount(agent: String) throws -> Int {
        try pool.reading { db in
            try Int.fetchOne(try db.cachedStatement(sql: """
                    SELECT COUNT(*) FROM chat_messages
                    WHERE read_at IS NULL AND from_agent <> ?1 AND (',' || to_agents || ',') LIKE '%,' || ?1 || ',%'
                    """), arguments: [agent]) ?? 0
        }
    }
}
