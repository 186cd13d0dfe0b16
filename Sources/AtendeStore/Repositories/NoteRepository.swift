public import AtendeCore
public import Foundation
import GRDB

/// The agent's personal notice board (NT-1).
public final class NoteRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    @discardableResult
    public func add(agent: String, text: String) throws -> Note {
        try pool.writing { db in
            let now = stamper.now
            let note = Note(number: try stamper.next("note", db), agent: agent, text: text, createdAt: now, updatedAt: now)
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: "INSERT INTO notes (id, number, agent, text, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [note.id.uuidString, note.number, agent, text, now.unixSeconds, now.unixSeconds, hlc])
            try stamper.enqueue(db, entity: "note", id: note.id, operation: "insert", record: note, hlc: hlc)
            return note
        }
    }

    /// Replaces the text of the agent's note `number`; nil when there is no such note.
    public func edit(agent: String, number: Int, text: String) throws -> Note? {
        try pool.writing { db in
            guard var note = try fetch(agent: agent, number: number, db) else { return nil }
            note.text = text
            note.updatedAt = stamper.now
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: "UPDATE notes SET text = ?, updated_at = ?, hlc = ? WHERE id = ?").execute(arguments: [text, note.updatedAt.unixSeconds, hlc, note.id.uuidString])
            try stamper.enqueue(db, entity: "note", id: note.id, operation: "update", record: note, hlc: hlc)
            return note
        }
    }

    /// The note with `id`, whoever's it is.
    public func note(id: UUID) throws -> Note? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM notes WHERE id = ?"), arguments: [id.uuidString]).map(Self.decode)
        }
    }

    /// Deletes the agent's note `number`, leaving a tombstone; nil when there is no such note.
    public func remove(agent: String, number: Int) throws -> Note? {
        try pool.writing { db in
            guard let note = try fetch(agent: agent, number: number, db) else { return nil }
            try db.cachedStatement(sql: "DELETE FROM notes WHERE id = ?").execute(arguments: [note.id.uuidString])
            try stamper.tombstone(db, entity: "note", id: note.id)
            return note
        }
    }

    public func list(agent: String) throws -> [Note] {
        try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM notes WHERE agent = ? ORDER BY number"), arguments: [agent]).map(Self.decode)
        }
    }

    private func fetch(agent: String, number: Int, _ db: Database) throws -> Note? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM notes WHERE agent = ? AND number = ?"), arguments: [agent, number])
            .map(Self.decode)
    }

    static func decode(_ r: Row) -> Note {
        Note(
            id: r.uuid("id")!, number: r["number"], agent: r["agent"], text: r["text"], createdAt: r.date("created_at")!,
            updatedAt: r.date("updated_at")!)
    }
}
