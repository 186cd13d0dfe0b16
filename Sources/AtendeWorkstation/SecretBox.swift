import Crypto
import AtendeCore
public import Foundation
import Glibc

/// Seals the workstation's device secrets (`pabx.password`) before they reach the store.
///
/// The key is 32 random bytes in a file of its own (`DATA/secret.key`, mode 0600, never followed
/// through a symbolic link), apart from the database: the database, its WAL, its backups and
/// copies, the sync outbox and exports hold only the sealed text (ChaCha20-Poly1305). Whoever
/// can read the key file too (the same account) can open it: the box keeps the secret out of
/// what is copied, sent and backed up, not away from the account that runs Atende. For example:
/// ```swift
/// let box = try SecretBox(keyFile: dataDir.appendingPathComponent("secret.key"))
/// let stored = try box.seal("PabxSecret55")   // "sealed:v1:…"
/// box.open(stored)                            // "PabxSecret55"
/// ```
public struct SecretBox: Sendable {
    static let prefix = "sealed:v1:"
    /// The key's bytes (`SymmetricKey` is not `Sendable`).
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// The box whose key is in `keyFile` (created on first use); with no file, a key that lives
    /// only as long as the process (tests).
    public init(keyFile: URL?) throws {
        guard let keyFile else {
            keyBytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            return
        }
        keyBytes = try Self.loadOrCreate(keyFile.path)
    }

    /// `text` sealed for the store; an empty text stays empty (nothing set).
    public func seal(_ text: String) throws -> String {
        guard !text.isEmpty else { return "" }
        let box = try ChaChaPoly.seal(Data(text.utf8), using: key)
        return Self.prefix + box.combined.base64EncodedString()
    }

    /// The clear text of a stored value; a value stored before sealing existed is returned as it
    /// is, one that cannot be opened (another key) is nil.
    public func open(_ stored: String) -> String? {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        guard let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? ChaChaPoly.SealedBox(combined: data),
            let clear = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return String(decoding: clear, as: UTF8.self)
    }

    /// Whether a stored value is sealed (or empty).
    public static func isSealed(_ stored: String) -> Bool {
        stored.isEmpty || stored.hasPrefix(prefix)
    }

    private static func loadOrCreate(_ path: String) throws -> Data {
        for _ in 0..<2 {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd >= 0 {
                defer { close(fd) }
                var bytes = [UInt8](repeating: 0, count: 64)
                let n = read(fd, &bytes, bytes.count)
                guard n >= 0 else { throw AtendeError.fileUnreadable(path, problem: SystemProblem(errno: errno)) }
                guard n == 32 else { throw AtendeError.secretKeyInvalid(path) }
                return Data(bytes[0..<32])
            }
            guard errno == ENOENT else { throw AtendeError.fileUnreadable(path, problem: SystemProblem(errno: errno)) }
            let created = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if created < 0 {
                if errno == EEXIST { continue }  // another process made it first: read theirs
                throw AtendeError.fileUnreadable(path, problem: SystemProblem(errno: errno))
            }
            defer { close(created) }
            let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            let written = key.withUnsafeBytes { write(created, $0.baseAddress, 32) }
            guard written == 32, fsync(created) == 0 else {
                let code = errno
                unlink(path)
                throw AtendeError.fileUnreadable(path, problem: SystemProblem(errno: code))
            }
            return key
        }
        throw AtendeError.fileUnreadable(path, problem: .other(errno: 0))
    }
}
