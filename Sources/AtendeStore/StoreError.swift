import AtendeCore
import Foundation
import GRDB

extension StoreError {
    init(_ error: any Error, path: String) {
        switch error {
        case let e as StoreError:
            self = e
        case let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED:
            self = .locked(path: path)
        case let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB:
            self = .corrupt(path: path, reason: e.message ?? "\(e.resultCode)")
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
