public import AtendeCore
public import Foundation

/// How logins are guarded (LG-3, LG-6).
public struct LoginPolicy: Codable, Sendable, Equatable {
    public var minimumPasswordLength: Int
    /// Failed attempts allowed before each further attempt has to wait.
    public var attemptsBeforeDelay: Int
    /// Failed attempts that lock the account.
    public var attemptsBeforeLock: Int
    public var lockMinutes: Int

    public init(minimumPasswordLength: Int = 4, attemptsBeforeDelay: Int = 3, attemptsBeforeLock: Int = 6, lockMinutes: Int = 15) {
        self.minimumPasswordLength = minimumPasswordLength
        self.attemptsBeforeDelay = attemptsBeforeDelay
        self.attemptsBeforeLock = attemptsBeforeLock
        self.lockMinutes = lockMinutes
    }

    /// Seconds to wait after the `failures`-th consecutive failure: 0 at first, then 5, 10, 20…
    public func delay(afterFailures failures: Int) -> Int {
        guard failures >= attemptsBeforeDelay else { return 0 }
        return 5 << min(failures - attemptsBeforeDelay, 10)
    }
}

/// Everything a workstation is built from, read by the executable from `Config/` and flags.
public struct WorkstationSettings: Sendable {
    public var defaults: [String: String]
    public var registry: Registry
    public var login: LoginPolicy
    public var calendar: Calendar
    public var passwordIterations: Int
    /// The key of the device secrets (``SecretBox``), apart from the database: `DATA/secret.key`.
    /// Nil: a key for this process only (a stored secret does not outlive it).
    public var secretKeyFile: URL?

    public init(
        defaults: [String: String], registry: Registry, login: LoginPolicy = LoginPolicy(), calendar: Calendar = .current,
        passwordIterations: Int = 210_000, secretKeyFile: URL? = nil
    ) {
        self.defaults = defaults
        self.registry = registry
        self.login = login
        self.calendar = calendar
        self.passwordIterations = passwordIterations
        self.secretKeyFile = secretKeyFile
    }
}
