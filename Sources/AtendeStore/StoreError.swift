public import Foundation
import GRDB

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

    init(_ error: any Error, path: String) {
        switch error {
        case let e as StoreError:
            self = e
        case let e as DatabaseError:
            self = .sqlite(path: path, code: e.extendedResultCode.rawValue, message: e.message ?? "\(e.resultCode)")
        default:
            self = .io(path: path, message: String(describing: error))
        }
    }

    /// Runs `body`, turning any error other than ``AtendeError`` into a ``StoreError``.
    static func wrap<T>(path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw StoreError(error, path: path)
        }
    }
}

extension DatabasePool {
    /// A write transaction whose database errors come out as ``StoreError``; rule errors pass through.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try write(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// A read whose database errors come out as ``StoreError``.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }
}
