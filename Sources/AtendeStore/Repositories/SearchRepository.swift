public import AtendeCore
import Foundation
import GRDB

/// Full-text search over contacts and attendances at once (RP-4, CT-1, ST-5).
public final class SearchRepository: Sendable {
    let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Contacts and attendances matching `text` by name prefix, phone digits or initials, best first.
    public func search(_ text: String, limit: Int = 20) throws -> [SearchHit] {
        guard let match = Self.matchExpression(text) else { return [] }
        return try pool.reading { db in
            let contacts = try Row.fetchAll(try db.cachedStatement(sql: """
                    SELECT c.*, bm25(contacts_fts) AS rank FROM contacts_fts
                    JOIN contacts c ON c.id = contacts_fts.contact_id
                    WHERE contacts_fts MATCH ? ORDER BY rank LIMIT ?
                    """), arguments: [match, limit]
            ).map { SearchHit.contact(try ContactRepository.decode($0, db), rank: $0["rank"]) }
            // Attendances newest first, straight from the index: no ranking of every match, so a
            // common name prefix costs the rows returned, not the rows matched.
            let attendances = try Row.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT a.* FROM (
                            SELECT attendance_id FROM attendances_fts WHERE attendances_fts MATCH ?
                            ORDER BY rowid DESC LIMIT ?
                        ) f JOIN attendances a ON a.id = f.attendance_id
                        """), arguments: [match, limit]
            ).map { SearchHit.attendance(AttendanceRepository.decode($0), rank: 0) }
            // Contacts first, best ranked first; then the calls, newest first.
            return Array((contacts + attendances).prefix(limit))
        }
    }

    /// Contacts only; for `contacts TEXT` and caller-ID pop-ups.
    public func contacts(_ text: String, limit: Int = 50) throws -> [Contact] {
        guard let match = Self.matchExpression(text) else { return [] }
        return try pool.reading { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                    SELECT c.* FROM contacts_fts JOIN contacts c ON c.id = contacts_fts.contact_id
                    WHERE contacts_fts MATCH ? ORDER BY bm25(contacts_fts), c.name LIMIT ?
                    """), arguments: [match, limit]
            ).map { try ContactRepository.decode($0, db) }
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
