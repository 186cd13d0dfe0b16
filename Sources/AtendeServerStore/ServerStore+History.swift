public import Foundation
import GRDB

/// Which attendances an export of the server's history covers (RP-6).
public struct HistoryQuery: Sendable, Equatable {
    /// The first and last second (Unix time) of the attendances' starts.
    public var from: Int64
    public var to: Int64
    /// When set, only this agent's.
    public var agent: String?
    /// When set, only those taken in these groups.
    public var groups: [String]?

    public init(from: Int64, to: Int64, agent: String? = nil, groups: [String]? = nil) {
        self.from = from
        self.to = to
        self.agent = agent
        self.groups = groups
    }
}

/// One attendance of the server's history, as the export writes it: the merged record of the
/// agent's workstation and the switch's host, its latest qualification, and how many values of
/// the two records differed (kept in the conflicts as mismatches).
public struct HistoryRow: Sendable, Equatable {
    public var id: String
    public var callID: String?
    public var type: String?
    public var service: String?
    public var phone: String?
    public var contact: String?
    public var agent: String?
    public var group: String?
    public var `extension`: String?
    public var queuedAt: Int64?
    public var ringingAt: Int64?
    public var answeredAt: Int64?
    public var endedAt: Int64?
    public var talkSeconds: Int64?
    public var waitSeconds: Int64?
    public var holdSeconds: Int64?
    public var endedBy: String?
    public var transferTarget: String?
    public var qualification: String?
    public var mismatches: Int
    /// Where the row stands in the export's order; the next page starts after it.
    public var key: HistoryKey
}

/// A place in the history's order: the start, then the id.
public struct HistoryKey: Sendable, Equatable {
    public var started: Double
    public var id: String
}

/// The server's history of attendances, read in pages (each page one read).
public protocol HistoryRecords: Sendable {
    /// How many attendances `query` covers.
    func historyCount(_ query: HistoryQuery) throws(ServerStoreError) -> Int
    /// At most `limit` attendances `query` covers after `key`, in the order they started.
    func history(_ query: HistoryQuery, after key: HistoryKey?, limit: Int) throws(ServerStoreError) -> [HistoryRow]
}

extension ServerStore: HistoryRecords {
    /// The start of an attendance, as the index `sync_attendances_started` has it.
    private static let started = """
        COALESCE(
                json_extract(record, '$.fields.answeredAt'), json_extract(record, '$.fields.ringingAt'),
                json_extract(record, '$.fields.queuedAt'), json_extract(record, '$.fields.endedAt'))
        """

    private static func filter(_ q: HistoryQuery, after key: HistoryKey?) -> (sql: String, arguments: StatementArguments) {
        // After a key, the index's range starts at its start (a row value would not bound it):
        // each page reads only its own rows, the last as fast as the first.
        var sql = "entity = 'attendance' AND \(started) BETWEEN ? AND ?"
        var arguments: StatementArguments = [key.map { max(Double(q.from), $0.started) } ?? Double(q.from), Double(q.to) + 0.999_999]
        if let agent = q.agent {
            sql += " AND json_extract(record, '$.fields.agent') = ? COLLATE NOCASE"
            arguments += [agent]
        }
        if let groups = q.groups {
            let marks = Array(repeating: "?", count: groups.count).joined(separator: ", ")
            sql += " AND json_extract(record, '$.fields.group') COLLATE NOCASE IN (\(groups.isEmpty ? "NULL" : marks))"
            arguments += StatementArguments(groups)
        }
        if let key {
            sql += " AND (\(started) > ? OR entity_id > ?)"
            arguments += [key.started, key.id]
        }
        return (sql, arguments)
    }

    public func historyCount(_ q: HistoryQuery) throws(ServerStoreError) -> Int {
        let (filter, arguments) = Self.filter(q, after: nil)
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sync_records INDEXED BY sync_attendances_started WHERE \(filter)", arguments: arguments) ?? 0 }
    }

    public func history(_ q: HistoryQuery, after key: HistoryKey?, limit: Int) throws(ServerStoreError) -> [HistoryRow] {
        let (filter, arguments) = Self.filter(q, after: key)
        func field(_ name: String) -> String { "json_extract(record, '$.fields.\(name)') AS \"\(name)\"" }
        func time(_ name: String) -> String { "CAST(json_extract(record, '$.fields.\(name)') AS INTEGER) AS \(name)" }
        let sql = """
            SELECT entity_id, \(Self.started) AS started,
                \(["callID", "type", "service", "phone", "contactName", "agent", "group", "extension"].map(field).joined(separator: ", ")),
                \(["queuedAt", "ringingAt", "answeredAt", "endedAt", "talkSeconds", "waitSeconds", "holdSeconds"].map(time).joined(separator: ", ")),
                \(["endedBy", "transferTarget"].map(field).joined(separator: ", ")),
                COALESCE(
                    (SELECT json_extract(q.record, '$.fields.code') FROM sync_records q
                        WHERE q.entity = 'qualification' AND json_extract(q.record, '$.fields.attendanceID') = +a.entity_id
                        ORDER BY json_extract(q.record, '$.fields.createdAt') DESC, q.entity_id DESC LIMIT 1),
                    json_extract(record, '$.fields.qualification')) AS qualification,
                (SELECT COUNT(*) FROM sync_conflicts c
                    WHERE c.entity = 'attendance' AND c.entity_id = a.entity_id AND c.reason = 'mismatch') AS mismatches
            FROM sync_records a INDEXED BY sync_attendances_started WHERE \(filter)
            ORDER BY started, entity_id LIMIT ?
            """
        return try read { db in
            // Columns by position, in the order of the query: no lookup by name per value.
            try Row.fetchAll(db, sql: sql, arguments: arguments + [limit]).map { row in
                let id: String = row[0]
                return HistoryRow(
                    id: id, callID: row[2], type: row[3], service: row[4], phone: row[5], contact: row[6], agent: row[7], group: row[8],
                    extension: row[9], queuedAt: row[10], ringingAt: row[11], answeredAt: row[12], endedAt: row[13],
                    talkSeconds: row[14], waitSeconds: row[15], holdSeconds: row[16], endedBy: row[17], transferTarget: row[18],
                    qualification: row[19], mismatches: row[20], key: HistoryKey(started: row[1], id: id))
            }
        }
    }
}
