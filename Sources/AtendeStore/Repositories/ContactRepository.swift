public import AtendeCore
public import Foundation
import GRDB

/// Customer records with their phones, kept searchable (ST-5).
public final class ContactRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    /// Saves a new contact and returns it with its number.
    @discardableResult
    public func add(_ contact: Contact) throws -> Contact {
        try pool.writing { db in try insert(contact, db) }
    }

    /// Saves many contacts in one transaction; for imports (`queueForSync: false` for records the
    /// server already holds).
    public func addAll(_ contacts: [Contact], queueForSync: Bool = true) throws {
        try pool.writing { db in
            for c in contacts { _ = try insert(c, db, queueForSync: queueForSync) }
        }
    }

    /// Replaces a contact's fields and phones.
    public func update(_ contact: Contact) throws {
        try pool.writing { db in
            let hlc = try stamper.stamp(db)
            try db.cachedStatement(sql: "UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, updated_at = ?, hlc = ? WHERE id = ?").execute(arguments: [
                    contact.name, contact.company, contact.email, contact.notes, stamper.now.unixSeconds, hlc,
                    contact.id.uuidString,
                ])
            try db.cachedStatement(sql: "DELETE FROM contact_phones WHERE contact_id = ?").execute(arguments: [contact.id.uuidString])
            try db.cachedStatement(sql: Self.unindexSQL).execute(arguments: [contact.id.uuidString])
            try writePhonesAndIndex(contact, db)
            try stamper.enqueue(db, entity: "contact", id: contact.id, operation: "update", record: contact, hlc: hlc)
        }
    }

    /// Removes a contact's search row; the full-text row's rowid is the contact's number.
    static let unindexSQL = "DELETE FROM contacts_fts WHERE rowid = (SELECT number FROM contacts WHERE id = ?)"

    public func contact(number: Int) throws -> Contact? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM contacts WHERE number = ?"), arguments: [number]).map { try Self.decode($0, db) }
        }
    }

    public func contact(id: UUID) throws -> Contact? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM contacts WHERE id = ?"), arguments: [id.uuidString]).map {
                try Self.decode($0, db)
            }
        }
    }

    /// The contact owning the phone `e164` (caller ID, CT-2), the oldest when several do.
    public func contact(phone e164: String) throws -> Contact? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: """
                    SELECT c.* FROM contacts c JOIN contact_phones p ON p.contact_id = c.id
                    WHERE p.e164 = ? ORDER BY c.number LIMIT 1
                    """), arguments: [e164]
            ).map { try Self.decode($0, db) }
        }
    }

    public func count() throws -> Int {
        try pool.reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0 }
    }

    private func insert(_ contact: Contact, _ db: Database, queueForSync: Bool = true) throws -> Contact {
        var c = contact
        c.number = try stamper.next("contact", db)
        let hlc = try stamper.stamp(db)
        let now = stamper.now.unixSeconds
        try db.cachedStatement(sql: """
                INSERT INTO contacts (id, number, name, company, email, notes, created_at, updated_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [c.id.uuidString, c.number, c.name, c.company, c.email, c.notes, now, now, hlc])
        try writePhonesAndIndex(c, db)
        if queueForSync { try stamper.enqueue(db, entity: "contact", id: c.id, operation: "insert", record: c, hlc: hlc) }
        return c
    }

    private func writePhonesAndIndex(_ c: Contact, _ db: Database) throws {
        var keys: [String] = []
        for (i, phone) in c.phones.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO contact_phones (contact_id, position, text, e164) VALUES (?, ?, ?, ?)").execute(arguments: [c.id.uuidString, i, phone.text, phone.e164])
            keys += SearchIndex.phoneKeys(text: phone.text, e164: phone.e164)
        }
        try db.cachedStatement(sql: "INSERT INTO contacts_fts (rowid, name, company, notes, phones, initials) VALUES ((SELECT number FROM contacts WHERE id = ?), ?, ?, ?, ?, ?)").execute(arguments: [
                c.id.uuidString, c.name, c.company ?? "", c.notes ?? "", keys.joined(separator: " "),
                TextFolding.initials(of: c.name),
            ])
    }

    static func decode(_ row: Row, _ db: Database) throws -> Contact {
        let id: String = row["id"]
        let phones = try Row.fetchAll(try db.cachedStatement(sql: "SELECT text, e164 FROM contact_phones WHERE contact_id = ? ORDER BY position"), arguments: [id]
        ).map { ContactPhone(text: $0["text"], e164: $0["e164"]) }
        return Contact(
            id: UUID(uuidString: id)!, number: row["number"], name: row["name"], company: row["company"],
            email: row["email"], notes: row["notes"], phones: phones)
    }
}

/// How phones and text go into the full-text indexes.
enum SearchIndex {
    /// The digit forms of a phone that search matches: international, national, local, and as typed.
    static func phoneKeys(text: String, e164: String?) -> [String] {
        var keys: [String] = []
        if let e164, let parsed = try? PhoneNumber.parse(e164, areaCode: "") {
            keys = parsed.searchKeys
        }
        let typed = PhoneNumber.digits(of: text)
        if !typed.isEmpty && !keys.contains(typed) { keys.append(typed) }
        return keys
    }
}
