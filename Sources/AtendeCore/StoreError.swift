import Foundation

/// A failure of the database itself (not a rule of the workstation): it names the file,
/// the SQLite result code and message, and never the statement arguments.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database was written by a newer Atende: its migrations are unknown to this build.
    case tooNew(path: String, unknown: [String])
    /// SQLite refused: result code and message.
    case sqlite(path: String, code: Int32, message: String)
    /// Anything else that went wrong reading or writing the file.
    case io(path: String, message: String)
    /// Another program held the database longer than the busy timeout; nothing was changed.
    case locked(path: String)
    /// The file was deleted, renamed or replaced while the store had it open; nothing more is written.
    case moved(path: String)
    /// A write-ahead log lies beside a missing or empty database: starting would lose it or replay it into a new store.
    case journalWithoutDatabase(path: String)
    /// The write-ahead log beside the database belongs to another database.
    case foreignJournal(path: String)
    /// SQLite found the file damaged (`PRAGMA quick_check`'s first finding, or why it is not a database).
    case corrupt(path: String, reason: String)

    public var description: String {
        switch self {
        case .tooNew(let path, let unknown):
            return "\(path): written by a newer version (migrations \(unknown.joined(separator: ", ")))"
        case .sqlite(let path, let code, let message):
            return "\(path): SQLite error \(code): \(message)"
        case .io(let path, let message):
            return "\(path): \(message)"
        case .locked(let path):
            return "\(path): locked by another program"
        case .moved(let path):
            return "\(path): deleted or replaced while open"
        case .journalWithoutDatabase(let path):
            return "\(path): write-ahead log without its database"
        case .foreignJournal(let path):
            return "\(path): write-ahead log of another database"
        case .corrupt(let path, let reason):
            return "\(path): damaged (\(reason))"
        }
    }
}
