public import Foundation

/// The source of the current time for every rule of the workstation.
///
/// Logic never reads the wall clock directly: it asks its clock, so tests and scripts can
/// run on a ``ManualClock``. For example:
/// ```swift
/// let clock = ManualClock(now: Date(timeIntervalSince1970: 0))
/// clock.advance(by: 30)
/// ```
public protocol AtendeClock: Sendable {
    func now() -> Date
}

/// The real time of the machine.
public struct SystemClock: AtendeClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class ManualClock: AtendeClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(now: Date) {
        current = now
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        lock.withLock { current = date }
    }
}
