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
        var c = contact
        c.number = try pool.writing { db in try insert(ContactBatch([contact]), db) }
        return c
    }

    /// Saves many contacts in one transaction, numbered in order; for imports (`queueForSync: false`
    /// for records the server already holds).
    public func addAll(_ contacts: [Contact], queueForSync: Bool = true) throws {
        try addAll(ContactBatch(contacts, queueForSync: queueForSync))
    }

    /// Saves a prepared batch in one transaction, numbered in order.
    public func addAll(_ batch: ContactBatch) throws {
        guard batch.count > 0 else { return }
        try pool.writing { db in _ = try insert(batch, db) }
    }

    /// Replaces a contact's fields and phones.
    public func update(_ contact: Contact) throws {
        let entry = ContactBatch.Entry(contact, outboxID: nil)
        try pool.writing { db in
            let previous = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT * FROM contacts WHERE id = ?"), arguments: [entry.id]
            ).map { try Self.decode($0, db) }
            let hlc = try stamper.stamp(db)
            guard let number = try Int.fetchOne(try db.cachedStatement(sql: """
                    UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, updated_at = ?, hlc = ? WHERE id = ?
                    RETURNING number
                    """), arguments: [
                        contact.name, contact.company, contact.email, contact.notes, stamper.now.unixSeconds, hlc, entry.id,
                    ])
            else { throw AtendeError.noSuchContact(String(contact.number)) }
            try db.cachedStatement(sql: "DELETE FROM contact_phones WHERE contact_id = ?").execute(arguments: [entry.id])
            try db.cachedStatement(sql: Self.unindexSQL).execute(arguments: [entry.id])
            let inserts = try Inserts(db, stamper: stamper)
            try inserts.phonesAndSearchRow(entry, number: number)
            var updated = contact
            updated.number = number
            try stamper.enqueue(db, entity: "contact", id: contact.id, operation: "update", record: updated, hlc: hlc, previous: previous)
        }
    }

    /// Writes a contact as the server's changes made it (nothing queued): its row, phones and
    /// full-text row, replacing what the workstation had of it.
    static func show(_ contact: Contact, hlc: String, _ db: Database, stamper: Stamper) throws {
        let entry = ContactBatch.Entry(contact, outboxID: nil)
        let now = stamper.now.unixSeconds
        try db.cachedStatement(sql: unindexSQL).execute(arguments: [entry.id])
        try db.cachedStatement(sql: """
                INSERT INTO contacts (id, number, name, company, email, notes, created_at, updated_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, company = excluded.company, email = excluded.email,
                    notes = excluded.notes, updated_at = excluded.updated_at, hlc = excluded.hlc
                """).execute(arguments: [entry.id, contact.number, contact.name, contact.company, contact.email, contact.notes, now, now, hlc])
        try db.cachedStatement(sql: "DELETE FROM contact_phones WHERE contact_id = ?").execute(arguments: [entry.id])
        try Inserts(db, stamper: stamper).phonesAndSearchRow(entry, number: contact.number)
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
        try pool.reading { db in try Self.contact(phone: e164, db) }
    }

    /// The first contact with the phone `e164`, read in `db`'s transaction.
    static func contact(phone e164: String, _ db: Database) throws -> Contact? {
        try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT c.* FROM contacts c JOIN contact_phones p ON p.contact_id = c.id
                WHERE p.e164 = ? ORDER BY c.number LIMIT 1
                """), arguments: [e164]
        ).map { try Self.decode($0, db) }
    }

    public func count() throws -> Int {
        try pool.reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0 }
    }

    /// Inserts `batch` with the next numbers of the contact sequence; returns the first number.
    private func insert(_ batch: ContactBatch, _ db: Database) throws -> Int {
        let first = try stamper.next("contact", count: batch.count, db)
        let stamps = try stamper.stamps(batch.count, db)
        let now = stamper.now
        let inserts = try Inserts(db, stamper: stamper)
        for (offset, entry) in batch.entries.enumerated() {
            let number = first + offset
            let c = entry.contact
            try inserts.contact.run { row in
                row.bind(entry.id)
                row.bind(number)
                row.bind(c.name)
                row.bind(c.company)
                row.bind(c.email)
                row.bind(c.notes)
                row.bind(now.unixSeconds)
                row.bind(now.unixSeconds)
                row.bind(stamps[offset])
            }
            try inserts.phonesAndSearchRow(entry, number: number)
            try inserts.outbox(entry, operation: "insert", number: number, hlc: stamps[offset], at: now)
        }
        return first
    }

    /// The inserts that write a contact, prepared once for all the contacts of a transaction.
    private struct Inserts {
        let contact: InsertStatement
        let phone: InsertStatement
        let searchRow: InsertStatement
        let outboxEntry: InsertStatement
        let stamper: Stamper

        init(_ db: Database, stamper: Stamper) throws {
            self.stamper = stamper
            contact = try InsertStatement(db, sql: """
                    INSERT INTO contacts (id, number, name, company, email, notes, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            phone = try InsertStatement(db, sql: "INSERT INTO contact_phones (contact_id, position, text, e164) VALUES (?, ?, ?, ?)")
            searchRow = try InsertStatement(db, sql: """
                    INSERT INTO contacts_fts (rowid, name, company, notes, phones, initials) VALUES (?, ?, ?, ?, ?, ?)
                    """)
            outboxEntry = try stamper.outboxInsert(db)
        }

        /// Writes the phones of contact `number` and its full-text row, whose rowid is the number.
        func phonesAndSearchRow(_ entry: ContactBatch.Entry, number: Int) throws {
            let c = entry.contact
            for (position, phone) in c.phones.enumerated() {
                try self.phone.run { row in
                    row.bind(entry.id)
                    row.bind(position)
                    row.bind(phone.text)
                    row.bind(phone.e164)
                }
            }
            try searchRow.run { row in
                row.bind(number)
                row.bind(c.name)
                row.bind(c.company ?? "")
                row.bind(c.notes ?? "")
                row.bind(entry.searchPhones)
                row.bind(entry.initials)
            }
        }

        /// Queues the contact for the server, unless its batch said not to.
        func outbox(_ entry: ContactBatch.Entry, operation: String, number: Int, hlc: String, at time: Date) throws {
            guard let (opID, payload) = entry.outbox else { return }
            try stamper.enqueue(
                outboxEntry, entity: "contact", id: entry.id, operation: operation, payload: payload.text(number: number), hlc: hlc,
                opID: opID, at: time)
        }
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
