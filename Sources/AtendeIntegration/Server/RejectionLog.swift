/// What one CRM connection sent that was rejected, logged at most once a second.
///
/// The first rejection after a quiet second is logged as it comes, with its reason; the ones
/// that follow within the second are counted, and one summary line per second says how many of
/// each kind there were. A peer sending a megabyte of `STX` costs a few lines, not a line a byte.
/// Time is the caller's (the event loop's uptime clock), in nanoseconds. For example:
/// ```swift
/// var log = RejectionLog()
/// log.record("emptyFrame", now: 0)          // .logNow: the first one is logged with its reason
/// log.record("emptyFrame", now: 10)         // .held(flushAt: 1_000_000_000): schedule the summary
/// log.flush(now: 1_000_000_000)             // ("emptyFrame 1", 1)
/// ```
struct RejectionLog: Sendable {
    /// The length of a window, in nanoseconds (one second).
    static let window: UInt64 = 1_000_000_000

    enum Decision: Equatable {
        /// Log this rejection now, with its reason.
        case logNow
        /// Counted for the summary; `flushAt` is set for the first one held in a window (schedule a flush then).
        case held(flushAt: UInt64?)
    }

    /// A summary of the rejections held: each kind with its count, in the order first seen, and the total.
    struct Summary: Equatable {
        var kinds: String
        var total: Int
    }

    /// The end of the window in which a line was last logged; nil when the connection has been quiet.
    private var windowEnd: UInt64?
    private var counts: [(kind: String, count: Int)] = []

    mutating func record(_ kind: String, now: UInt64) -> Decision {
        guard let end = windowEnd, now < end else {
            if counts.isEmpty {
                windowEnd = now + Self.window
                return .logNow
            }
            // A flush is already due (the scheduled one has not run yet): this one joins it.
            add(kind)
            return .held(flushAt: nil)
        }
        let first = counts.isEmpty
        add(kind)
        return .held(flushAt: first ? end : nil)
    }

    /// At the end of a window: the summary of what was held, if anything (a new window opens with it).
    mutating func flush(now: UInt64) -> Summary? {
        guard let summary = take() else {
            windowEnd = nil
            return nil
        }
        windowEnd = now + Self.window
        return summary
    }

    /// At the end of the connection: what is still held.
    mutating func finish() -> Summary? {
        windowEnd = nil
        return take()
    }

    private mutating func add(_ kind: String) {
        if let i = counts.firstIndex(where: { $0.kind == kind }) {
            counts[i].count += 1
        } else {
            counts.append((kind, 1))
        }
    }

    private mutating func take() -> Summary? {
        guard !counts.isEmpty else { return nil }
        defer { counts.removeAll() }
        return Summary(kinds: counts.map { "\($0.kind) \($0.count)" }.joined(separator: ", "), total: counts.reduce(0) { $0 + $1.count })
    }
}
