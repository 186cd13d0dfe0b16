public import Foundation
import GRDB

/// A locally cached login verifier: a slow salted hash, never the password.
public struct Credential: Sendable, Equatable {
    public var nickname: String
    public var algorithm: String
    public var iterations: Int
    public var salt: Data
    public var hash: Data
    public var failedAttempts: Int
    public var lastFailureAt: Date?
    public var lockedUntil: Date?

    public init(
        nickname: String, algorithm: String, iterations: Int, salt: Data, hash: Data, failedAttempts: Int = 0,
        lastFailureAt: Date? = nil, lockedUntil: Date? = nil
    ) {
        self.nickname = nickname
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
        self.failedAttempts = failedAttempts
        self.lastFailureAt = lastFailureAt
        self.lockedUntil = lockedUntil
    }
}

/// Login verifiers and the failed-attempt counters that throttle guessing.
public final class CredentialRepository: Sendable {
    let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    public func credential(for nickname: String) throws -> Credential? {
        try pool.reading { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM credentials WHERE nickname = ?"), arguments: [nickname]).map { r in
                Credential(
                    nickname: r["nickname"], algorithm: r["algorithm"], iterations: r["iterations"], salt: r["salt"],
                    hash: r["hash"], failedAttempts: r["failed_attempts"], lastFailureAt: r.date("last_failure_at"),
                    lockedUntil: r.date("locked_until"))
            }
        }
    }

    /// Stores a new verifier and clears the failure counters.
    public func save(_ c: Credential, at now: Date) throws {
        try pool.writing { db in
            try db.cachedStatement(sql: """
                    INSERT INTO credentials (nickname, algorithm, iterations, salt, hash, failed_attempts, updated_at)
                    VALUES (?, ?, ?, ?, ?, 0, ?)
                    ON CONFLICT(nickname) DO UPDATE SET
                        algorithm = excluded.algorithm, iterations = excluded.iterations, salt = excluded.salt,
                        hash = excluded.hash, failed_attempts = 0, last_failure_at = NULL, locked_until = NULL,
                        updated_at = excluded.updated_at
                    """).execute(arguments: [c.nickname, c.algorithm, c.iterations, c.salt, c.hash, now.unixSeconds])
        }
    }

    /// Counts a failed attempt, and locks the account until `lockUntil` when given.
    public func recordFailure(for nickname: String, at now: Date, lockUntil: Date?) throws {
        try pool.writing { db in
            try db.cachedStatement(sql: """
                    UPDATE credentials SET failed_attempts = failed_attempts + 1, last_failure_at = ?,
                        locked_until = COALESCE(?, locked_until)
                    WHERE nickname = ?
                    """).execute(arguments: [now.unixSeconds, lockUntil?.unixSeconds, nickname])
        }
    }

    public func clearFailures(for nickname: String) throws {
        try pool.writing { db in
            try db.cachedStatement(sql: """
                    UPDATE credentials SET failed_attempts = 0, last_failure_at = NULL, locked_until = NULL
                    WHERE nickname = ? AND (failed_attempts > 0 OR locked_until IS NOT NULL)
                    """).execute(arguments: [nickname])
        }
    }
}
