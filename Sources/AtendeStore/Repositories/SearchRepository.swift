public import AtendeCore
import Foundation
import GRDB

/// Full-text search over contacts and attendances at once (RP-4, CT-1, ST-5).
public final class SearchRepository: Sendable {
    let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many of the newest matching contacts are ranked. A query as short as two letters can
    /// match a tenth of the contacts; ranking every match costs its whole posting list, so the
    /// ranking runs over the newest `rankedContacts` matches and typing more narrows it.
    static let rankedContacts = 200

    /// The best-ranked of the newest matching contacts; the full-text rowid is the contact's number.
    /// Only the rows kept are joined to `contacts`: reading 200 contact rows to keep 20 was half
    /// the cost of a two-word search.
    static let contactsSQL = """
        SELECT c.*, t.rank FROM (
            SELECT rowid, rank FROM (
                SELECT rowid, bm25(contacts_fts) AS rank FROM contacts_fts WHERE contacts_fts MATCH ?
                ORDER BY rowid DESC LIMIT \(rankedContacts)
            ) ORDER BY rank, rowid DESC LIMIT ?
        ) t JOIN contacts c ON c.number = t.rowid
        ORDER BY t.rank, c.name
        """

    /// The newest matching attendances straight from the index: a common name prefix costs the
    /// rows returned, not the rows matched.
    static let attendancesSQL = """
        SELECT a.* FROM (
            SELECT rowid FROM attendances_fts WHERE attendances_fts MATCH ? ORDER BY rowid DESC LIMIT ?
        ) f JOIN attendances a ON a.number = f.rowid
        ORDER BY a.number DESC
        """

    /// The newest matching attendances among those a visibility allows (its clause appended):
    /// the filter runs before the limit, so a colleague's calls never take an agent's places.
    static func visibleAttendancesSQL(_ clause: String) -> String {
        """
        SELECT a.* FROM attendances_fts f JOIN attendances a ON a.number = f.rowid
        WHERE attendances_fts MATCH ?\(clause)
        ORDER BY f.rowid DESC LIMIT ?
        """
    }

    /// Contacts and attendances matching `text` by name prefix, phone digits or initials, best
    /// first; attendances only those `visibility` allows (nil: every one).
    public func search(_ text: String, limit: Int = 20, visibility: AttendanceVisibility? = nil) throws -> [SearchHit] {
        guard let match = Self.matchExpression(text) else { return [] }
        return try pool.reading { db in
            let contacts = try Row.fetchAll(try db.cachedStatement(sql: Self.contactsSQL), arguments: [match, limit])
                .map { SearchHit.contact(try ContactRepository.decode($0, db), rank: $0["rank"]) }
            let rows: [Row]
            if let visibility {
                let (clause, args) = AttendanceRepository.visibilityClause(visibility, column: "a.")
                rows = try Row.fetchAll(
                    try db.cachedStatement(sql: Self.visibleAttendancesSQL(clause)), arguments: [match] + args + [limit])
            } else {
                rows = try Row.fetchAll(try db.cachedStatement(sql: Self.attendancesSQL), arguments: [match, limit])
            }
            let attendances = rows.map { SearchHit.attendance(AttendanceRepository.decode($0), rank: 0) }
            // Contacts first, best ranked first; then the calls, newest first.
            return Array((contacts + attendances).prefix(limit))
        }
    }

    /// Contacts only; for `contacts TEXT` and caller-ID pop-ups.
    public func contacts(_ text: String, limit: Int = 50) throws -> [Contact] {
        guard let match = Self.matchExpression(text) else { return [] }
        return try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: Self.contactsSQL), arguments: [match, limit])
                .map { try ContactRepository.decode($0, db) }
        }
    }

    /// The FTS5 query for what the user typed: a phone becomes one digit prefix on the phones
    /// column; words become prefixes that must all match; nil when nothing searchable is left.
    static func matchExpression(_ text: String) -> String? {
        if PhoneNumber.looksLikeNumber(text) {
            var digits = PhoneNumber.digits(of: text)
            // A trunk prefix (0 + carrier) is not part of any stored form.
            while digits.hasPrefix("0") { digits.removeFirst() }
            return digits.isEmpty ? nil : "phones : \"\(digits)\"*"
        }
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { String($0) }
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " AND ")
    }
}
