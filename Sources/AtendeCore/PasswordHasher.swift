import Crypto
import _CryptoExtras
public import Foundation

/// Slow salted password hashes (LG-3): PBKDF2-SHA256 with at least 210,000 rounds.
public struct PasswordHasher: Sendable {
    public static let algorithm = "pbkdf2-sha256"
    public let iterations: Int

    public init(iterations: Int = 210_000) {
        self.iterations = max(iterations, 210_000)
    }

    /// A fresh random salt and the hash of `password` with it.
    public func hash(_ password: String) throws -> (salt: Data, hash: Data) {
        var salt = Data(count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &generator) }
        return (salt, try derive(password, salt: salt, iterations: iterations))
    }

    /// Whether `password` matches `hash`, compared in constant time.
    public func verify(_ password: String, salt: Data, hash: Data, iterations: Int) throws -> Bool {
        let candidate = try derive(password, salt: salt, iterations: iterations)
        guard candidate.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, hash) { difference |= a ^ b }
        return difference == 0
    }

    private func derive(_ password: String, salt: Data, iterations: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: iterations)
        return key.withUnsafeBytes { Data($0) }
    }
}
