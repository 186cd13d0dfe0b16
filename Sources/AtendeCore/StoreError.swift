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

    public var description: String {
        switch self {
        case .tooNew(let path, let unknown):
            return "\(path): written by a newer version (migrations \(unknown.joined(separator: ", ")))"
        case .sqlite(let path, let code, let message):
            return "\(path): SQLite error \(code): \(message)"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }
}
