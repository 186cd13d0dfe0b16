public import AtendeCore
import Foundation
import GRDB
import GRDBSQLite

extension AttendanceRepository {
    /// Hands each attendance of the query to `body` as the columns of an export, in the order of
    /// ``list(_:)`` (oldest first, calls of the same second by number), read in place from the
    /// database: constant memory and no ``Attendance`` to build (RP-6).
    ///
    /// For example:
    /// ```swift
    /// try store.attendances.forEachExportRow(query) { row in
    ///     let number = row.integer(.number)
    ///     row.withText(.contactName) { name in print(number, name.map { String(decoding: $0, as: UTF8.self) }) }
    /// }
    /// ```
    public func forEachExportRow(_ query: AttendanceQuery, _ body: (AttendanceExportRow) throws -> Void) throws {
        let (sql, args) = Self.select(AttendanceExportRow.Column.selection, query)
        let (startsSQL, _) = Self.select("started_at", query)
        // NB: ORDER BY started_at, number makes SQLite copy every row through a temporary B-tree,
        // a quarter of an export. Index order, (started_at, rowid), needs none; only the calls
        // that share a second can then be out of number order, so each such group is read again.
        let indexOrder = " ORDER BY started_at, rowid"
        try pool.reading { db in
            let rows = try db.makeStatement(sql: sql + indexOrder)
            let group = try db.makeStatement(sql: sql + " AND started_at = ? ORDER BY number")
            let cursor = try Row.fetchCursor(rows, arguments: args)
            // The same rows' started_at, one row ahead of the cursor.
            let starts = try Int64.fetchCursor(db, sql: startsSQL + indexOrder, arguments: args)
            var upcoming = try starts.next()
            while try cursor.next() != nil {
                // The cursor is on the first call of its second; `upcoming` moves to the next call's.
                let start = upcoming
                upcoming = try starts.next()
                guard let start, start == upcoming else {
                    try body(AttendanceExportRow(statement: rows.sqliteStatement))
                    continue
                }
                // Calls sharing a second: all of them by number, then the cursor past them.
                try Row.fetchCursor(group, arguments: args + [start]).forEach { _ in
                    try body(AttendanceExportRow(statement: group.sqliteStatement))
                }
                while upcoming == start {
                    _ = try cursor.next()
                    upcoming = try starts.next()
                }
            }
        }
    }
}

/// The export columns of one stored attendance, read where the database holds them.
///
/// A row is valid only inside the `forEachExportRow` body that receives it, and the text it
/// lends only inside `withText`: keep neither. Values are those of the decoded ``Attendance``.
public struct AttendanceExportRow {
    /// The columns an export reads.
    public enum Column: CInt, CaseIterable, Sendable {
        case number, type, service, phone, contactName, agent, group, `extension`
        case queuedAt, ringingAt, answeredAt, endedAt, talkSeconds, waitSeconds, holdSeconds
        case endedBy, transferTarget, qualification

        /// The column list of the SELECT, each column at its raw value's index.
        static let selection = allCases.map(\.name).joined(separator: ", ")

        var name: String {
            switch self {
            case .number: "number"
            case .type: "type"
            case .service: "service"
            case .phone: "phone"
            case .contactName: "contact_name"
            case .agent: "agent"
            case .group: "group_name"
            case .extension: "extension"
            case .queuedAt: "queued_at"
            case .ringingAt: "ringing_at"
            case .answeredAt: "answered_at"
            case .endedAt: "ended_at"
            case .talkSeconds: "talk_seconds"
            case .waitSeconds: "wait_seconds"
            case .holdSeconds: "hold_seconds"
            case .endedBy: "ended_by"
            case .transferTarget: "transfer_target"
            case .qualification: "qualification"
            }
        }
    }

    let statement: SQLiteStatement

    /// A number, a count of seconds or a Unix time; nil when the column is NULL.
    public func integer(_ column: Column) -> Int64? {
        let index = column.rawValue
        if sqlite3_column_type(statement, index) == SQLITE_NULL { return nil }
        return sqlite3_column_int64(statement, index)
    }

    /// Lends `body` the UTF-8 text of a column, nil when it is NULL.
    public func withText<R>(_ column: Column, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        let index = column.rawValue
        guard let text = sqlite3_column_text(statement, index) else {
            // NULL, or SQLite out of memory, which decoding an Attendance does not survive either.
            precondition(sqlite3_column_type(statement, index) == SQLITE_NULL, "SQLite is out of memory")
            return try body(nil)
        }
        // A decoded Attendance holds String(cString:): the text up to its first NUL, with invalid
        // UTF-8 repaired. Plain ASCII is that already; other text is decoded the same way.
        let bytes = UnsafeBufferPointer(start: text, count: strlen(text))
        if bytes.allSatisfy({ $0 < 0x80 }) { return try body(bytes) }
        var decoded = String(cString: text)
        return try decoded.withUTF8 { try body($0) }
    }

    /// The call type; inbound when the stored text is not one, as in a decoded Attendance.
    public var type: CallType {
        withText(.type) { $0.flatMap { Self.value(named: $0, in: Self.callTypes) } } ?? .inbound
    }

    /// Who ended the call; nil when the stored text is NULL or not one.
    public var endedBy: EndedBy? {
        withText(.endedBy) { $0.flatMap { Self.value(named: $0, in: Self.endings) } }
    }

    private static let callTypes = CallType.allCases
    private static let endings = EndedBy.allCases

    /// The case whose raw value is `utf8`, compared without making a String.
    private static func value<T: RawRepresentable<String>>(named utf8: UnsafeBufferPointer<UInt8>, in cases: [T]) -> T? {
        cases.first { value in
            var name = value.rawValue
            return name.withUTF8 { $0.count == utf8.count && memcmp($0.baseAddress!, utf8.baseAddress!, utf8.count) == 0 }
        }
    }
}
