public import Foundation
import Synchronization

/// A signal that wakes a waiting timer loop early, when a deadline may have changed.
///
/// A signal sent while nobody waits is kept for the next wait, so none is lost.
/// ```swift
/// let wakeup = Wakeup()
/// Task { await Alarm.run(clock: SystemClock(), wakeup: wakeup, next: { deadline }, fire: { fireDue() }) }
/// wakeup.signal()   // a new call rings: look at the deadline again
/// ```
public final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let w = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait), or after `seconds`.
    public func wait(atMost seconds: TimeInterval) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(max(0, min(seconds, 86_400)) * 1000) + 1)) }
            group.addTask { await self.signalled() }
            await group.next()
            group.cancelAll()
        }
    }

    private func signalled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.pending || s.cancelled {
                        s.pending = false
                        s.cancelled = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                guard let w = s.waiter else {
                    s.cancelled = true
                    return nil
                }
                s.waiter = nil
                return w
            }
            waiter?.resume()
        }
    }
}

/// Timer loops on the real clock: sleep until the next deadline, fire what is due, again.
public enum Alarm {
    /// Runs until the task is cancelled; looks again at least every `recheck` seconds.
    public static func run(
        clock: any AtendeClock, wakeup: Wakeup, recheck: TimeInterval = 60,
        next: @Sendable () async -> Date?, fire: @Sendable () async -> Void
    ) async {
        while !Task.isCancelled {
            let delay = await next().map { $0.timeIntervalSince(clock.now()) } ?? recheck
            if delay > 0 { await wakeup.wait(atMost: min(delay, recheck)) }
            guard !Task.isCancelled else { return }
            await fire()
        }
    }
}
