import GRDB
import GRDBSQLite

/// An INSERT run once per row of a bulk write, its values bound straight to SQLite.
///
/// GRDB's `execute(arguments:)` builds an array of existential values for every row; on an import
/// of 200,000 contacts (four inserts each) that cost about a tenth of the writer's time. The rows
/// bypass GRDB's statement hooks, so a transaction observer would not see them (the store's
/// one observer, ``FileIdentityGuard``, watches commits only). For example:
/// ```swift
/// let insert = try InsertStatement(db, sql: "INSERT INTO notes (number, text) VALUES (?, ?)")
/// try insert.run { $0.bind(7); $0.bind("Call the bank") }
/// ```
struct InsertStatement {
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the values `bind` gives, from the first parameter on, and runs the insert.
    func run(_ bind: (inout Values) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var values = Values(handle: handle)
        bind(&values)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// The values of one row, bound in parameter order.
    struct Values {
        fileprivate let handle: SQLiteStatement
        private var index: CInt = 1

        fileprivate init(handle: SQLiteStatement) {
            self.handle = handle
        }

        mutating func bind(_ text: String) {
            var text = text
            // SQLite copies the bytes (SQLITE_TRANSIENT). An empty buffer may have no address, and a
            // null one would bind NULL instead of ''.
            text.withUTF8 { utf8 in
                if let bytes = utf8.baseAddress, !utf8.isEmpty {
                    sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), CInt(utf8.count), transient)
                } else {
                    sqlite3_bind_text(handle, index, "", 0, transient)
                }
            }
            index += 1
        }

        mutating func bind(_ text: String?) {
            if let text {
                bind(text)
            } else {
                sqlite3_bind_null(handle, index)
                index += 1
            }
        }

        mutating func bind(_ number: Int) {
            sqlite3_bind_int64(handle, index, Int64(number))
            index += 1
        }

        mutating func bind(_ number: Int64) {
            sqlite3_bind_int64(handle, index, number)
            index += 1
        }
    }
}

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
