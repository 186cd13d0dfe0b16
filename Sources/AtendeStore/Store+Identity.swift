import AtendeCore
import Foundation
import GRDB
import GRDBSQLite

/// The checks that make sure the store writes into its own database file (ST-6), before it opens
/// the file and at every commit after.
///
/// Before the pool opens anything: a write-ahead log beside a missing or empty database is
/// refused; the store's id as the database file alone holds it (SQLite's `immutable=1`, which
/// reads no log) must be the id the file and its log show together, or the log is another
/// database's; and `PRAGMA quick_check` must pass, unless the file is, to its inode, size and
/// change times, the one this store left when it last closed it whole, with no log beside it
/// (``CleanClose``): reading a 1,000,000-call store in full took seconds at every start. These
/// reads use read-only connections, which never checkpoint a log into the file: a refused start
/// changes nothing.
enum StoreFiles {
    /// Refuses a database whose files do not belong together, or that SQLite finds damaged.
    /// Returns whether the database file itself holds the store's id; when it does not (a new
    /// store, or one whose pages are all still in its log), the store checkpoints once it is open,
    /// so that a log copied from elsewhere is caught at the next start.
    static func check(path: String, busyTimeout: TimeInterval) throws(StoreError) -> (holdsIdentity: Bool, checkedInFull: Bool) {
        let databaseSize = size(path)
        if (size(path + "-wal") ?? 0) > 0 && (databaseSize ?? 0) == 0 {
            throw .journalWithoutDatabase(path: path)
        }
        guard let databaseSize, databaseSize > 0 else { return (false, false) }
        // The file alone may be unreadable while a writer of another process is checkpointing
        // into it; then there is nothing to compare, and quick_check below still reads it all.
        let onDisk = try? ReadOnlyConnection(path: path, parameters: "immutable=1", busyTimeout: busyTimeout).identity()
        let connection = try ReadOnlyConnection(path: path, parameters: "mode=ro", busyTimeout: busyTimeout)
        let seen = try connection.identity()
        let ids = Set([onDisk?.meta, onDisk?.clock, seen.meta, seen.clock].compactMap { $0 })
        if ids.count > 1 { throw .foreignJournal(path: path) }
        let unchanged = CleanClose.unchanged(path)
        if !unchanged { try connection.quickCheck() }
        return (onDisk?.meta != nil, !unchanged)
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}

/// What the store knew of its database file when it last closed it whole: every connection of
/// the process closed and the log checkpointed away (SQLite deletes it then). Kept beside the
/// file (`atende.sqlite-closed`): its device, inode, size, and modification and status-change
/// times to the nanosecond. A file anything wrote into since (another program, a copy over it, a
/// session still open or killed, which leaves its log) shows other times or a log, and is read in
/// full at the next start; damage that changes none of these (the disk's own) is found by SQLite
/// when it reads the page.
enum CleanClose {
    static func recordPath(_ path: String) -> String { path + "-closed" }

    /// The file's identity and times, as one line.
    static func stamp(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
            + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }

    /// Whether the file is the one recorded at the last clean close, with no log beside it.
    static func unchanged(_ path: String) -> Bool {
        guard (StoreFiles.size(path + "-wal") ?? 0) == 0, let now = stamp(path),
            let data = FileManager.default.contents(atPath: recordPath(path))
        else { return false }
        return String(decoding: data, as: UTF8.self) == now
    }

    /// Records the file as it is, once its last connection closed and no log is left; otherwise
    /// removes any record, so the next start reads the file in full.
    static func record(_ path: String) {
        let record = recordPath(path)
        guard (StoreFiles.size(path + "-wal") ?? 0) == 0, let now = stamp(path) else {
            unlink(record)
            return
        }
        let temporary = record + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(now.utf8), attributes: [.posixPermissions: 0o600]),
            rename(temporary, record) == 0
        else {
            unlink(temporary)
            unlink(record)
            return
        }
    }
}

/// The two copies of the store's id: in `workstation_meta` and in the clock's row.
struct StoreIdentity {
    var meta: String?
    var clock: String?
}

/// A plain read-only SQLite connection, opened by URI, for the checks made before the pool opens.
private final class ReadOnlyConnection {
    let path: String
    private var handle: OpaquePointer?

    init(path: String, parameters: String, busyTimeout: TimeInterval) throws(StoreError) {
        self.path = path
        var escaped = ""
        for c in path.unicodeScalars {
            switch c {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(c)
            }
        }
        let code = sqlite3_open_v2("file:" + escaped + "?" + parameters, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        guard code == SQLITE_OK else {
            let error = failure(code)
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
        sqlite3_busy_timeout(handle, Int32(busyTimeout * 1000))
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The store's id as this connection reads it; nil where a store from before the id has none.
    func identity() throws(StoreError) -> StoreIdentity {
        var identity = StoreIdentity()
        guard try tableExists("workstation_meta") else { return identity }
        identity.meta = try rows("SELECT value FROM workstation_meta WHERE key = 'store_id'").first ?? nil
        if try tableExists("hlc_state"), try rows("SELECT 1 FROM pragma_table_info('hlc_state') WHERE name = 'store_id'").count == 1 {
            identity.clock = try rows("SELECT store_id FROM hlc_state WHERE id = 1").first ?? nil
        }
        return identity
    }

    /// Throws ``StoreError/corrupt(path:reason:)`` with SQLite's first finding unless it says `ok`.
    func quickCheck() throws(StoreError) {
        let first = (try rows("PRAGMA quick_check(1)").first ?? nil) ?? "no answer"
        guard first == "ok" else {
            // SQLite's finding comes as lines under a `*** in database main ***` heading.
            let lines = first.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("***") }
            throw .corrupt(path: path, reason: String(lines.joined(separator: "; ").prefix(200)))
        }
    }

    private func tableExists(_ name: String) throws(StoreError) -> Bool {
        try rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '\(name)'").count == 1
    }

    /// The first column of every row of `sql`, as text.
    private func rows(_ sql: String) throws(StoreError) -> [String?] {
        var statement: OpaquePointer?
        var code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK else { throw failure(code) }
        defer { sqlite3_finalize(statement) }
        var result: [String?] = []
        while true {
            code = sqlite3_step(statement)
            guard code == SQLITE_ROW else { break }
            result.append(sqlite3_column_text(statement, 0).map { String(cString: $0) })
        }
        guard code == SQLITE_DONE else { throw failure(code) }
        return result
    }

    private func failure(_ code: Int32) -> StoreError {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        switch code & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt(path: path, reason: message)
        case SQLITE_BUSY, SQLITE_LOCKED: return .locked(path: path)
        default: return .sqlite(path: path, code: code, message: message)
        }
    }
}

/// Refuses every commit once the database file has been deleted, renamed or replaced under the
/// open connection: SQLite would go on writing into a file nobody will open again.
///
/// SQLite's unix VFS answers `SQLITE_FCNTL_HAS_MOVED` by comparing the inode it opened with the
/// one at the file's path (one `stat` per commit). A throw here rolls the transaction back.
final class FileIdentityGuard: TransactionObserver {
    private let path: String
    private let connection: SQLiteConnection?

    init(path: String, connection: SQLiteConnection?) {
        self.path = path
        self.connection = connection
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseWillCommit() throws {
        if Self.hasMoved(connection) { throw StoreError.moved(path: path) }
    }

    /// Whether the file `connection` opened is no longer the one at its path.
    static func hasMoved(_ connection: SQLiteConnection?) -> Bool {
        var moved: Int32 = 0
        let code = sqlite3_file_control(connection, "main", SQLITE_FCNTL_HAS_MOVED, &moved)
        return code == SQLITE_OK && moved != 0
    }
}
