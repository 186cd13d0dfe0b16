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
