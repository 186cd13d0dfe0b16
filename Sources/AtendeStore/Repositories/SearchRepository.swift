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
            let attendances = try Row.fetchAll(try db.cachedStatement(sql: """
                    SELECT a.*, bm25(attendances_fts) AS rank FROM attendances_fts
                    JOIN attendances a ON a.id = attendances_fts.attendance_id
                    WHERE attendances_fts MATCH ? ORDER BY rank, a.started_at DESC LIMIT ?
                    """), arguments: [match, limit]
            ).map { SearchHit.attendance(AttendanceRepository.decode($0), rank: $0["rank"]) }
            // Contacts first at equal rank: the person matters more than one of their calls.
            return (contacts + attendances).sorted { $0.rank < $1.rank }.prefix(limit).map { $0 }
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
