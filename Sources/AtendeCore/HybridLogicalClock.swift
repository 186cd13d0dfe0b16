public import Foundation

/// A hybrid-logical-clock stamp: physical milliseconds, a counter, and the node that made it.
///
/// Its text form sorts in causal order, so the store compares stamps as plain strings.
/// For example: `0001790000000000-0003-3f2a9c10`.
public struct HLCStamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let millis: Int64
    public let counter: Int
    public let node: String

    public init(millis: Int64, counter: Int, node: String) {
        self.millis = millis
        self.counter = counter
        self.node = node
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, let millis = Int64(parts[0]), let counter = Int(parts[1]) else { return nil }
        self.init(millis: millis, counter: counter, node: String(parts[2]))
    }

    public var description: String {
        let m = String(millis)
        let c = String(counter)
        return String(repeating: "0", count: max(0, 16 - m.count)) + m + "-"
            + String(repeating: "0", count: max(0, 4 - c.count)) + c + "-" + node
    }

    public static func < (lhs: HLCStamp, rhs: HLCStamp) -> Bool {
        (lhs.millis, lhs.counter, lhs.node) < (rhs.millis, rhs.counter, rhs.node)
    }
}

/// On the wire a stamp is its text form, which sorts as the stamps do.
extension HLCStamp: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let stamp = HLCStamp(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a hybrid logical clock stamp: \(text)")
        }
        self = stamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The largest counter the text form holds; past it a stamp moves to the next millisecond.
let maximumHLCCounter = 9999

/// Issues ever-increasing ``HLCStamp``s for one node, from its clock and the stamps it has seen.
public struct HybridLogicalClock: Sendable {
    public let node: String
    public private(set) var last: HLCStamp

    public init(node: String, last: HLCStamp? = nil) {
        self.node = node
        self.last = last ?? HLCStamp(millis: 0, counter: 0, node: node)
    }

    /// A stamp for a local event at `now`.
    public mutating func tick(now: Date) -> HLCStamp {
        let physical = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        if physical > last.millis {
            last = HLCStamp(millis: physical, counter: 0, node: node)
        } else {
            last = Self.after(last.millis, counter: last.counter + 1, node: node)
        }
        return last
    }

    /// Takes in the last stamp another process of the same store persisted, so that the store has
    /// one clock however many processes write to it.
    public mutating func catchUp(with persisted: HLCStamp) {
        if persisted > last {
            last = HLCStamp(millis: persisted.millis, counter: persisted.counter, node: node)
        }
    }

    /// Whether the last stamp is further ahead of `now` than `maximumSkew` allows: a run with a
    /// clock in the future left it there, and every later stamp would sort after real edits.
    public func isAhead(of now: Date, maximumSkew: TimeInterval) -> Bool {
        last.millis > Self.millis(now) + Self.millis(maximumSkew)
    }

    /// Forgets the last stamp: the next one is made from the clock alone.
    public mutating func restart() {
        last = HLCStamp(millis: 0, counter: 0, node: node)
    }

    /// `seconds` (a time or an interval) in whole milliseconds.
    public static func millis(_ seconds: TimeInterval) -> Int64 {
        Int64((seconds * 1000).rounded(.down))
    }

    public static func millis(_ date: Date) -> Int64 {
        millis(date.timeIntervalSince1970)
    }

    /// Takes in a stamp received from another node, so later local stamps sort after it.
    public mutating func receive(_ remote: HLCStamp, now: Date) -> HLCStamp {
        let physical = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let millis = max(physical, last.millis, remote.millis)
        var counter = 0
        if millis == last.millis && millis == remote.millis {
            counter = max(last.counter, remote.counter) + 1
        } else if millis == last.millis {
            counter = last.counter + 1
        } else if millis == remote.millis {
            counter = remote.counter + 1
        }
        last = Self.after(millis, counter: counter, node: node)
        return last
    }

    /// A stamp at `millis` and `counter`, carried into the next millisecond when the counter is full,
    /// so the text form keeps sorting as the stamps do.
    private static func after(_ millis: Int64, counter: Int, node: String) -> HLCStamp {
        counter > maximumHLCCounter
            ? HLCStamp(millis: millis + 1, counter: 0, node: node)
            : HLCStamp(millis: millis, counter: counter, node: node)
    }
}
