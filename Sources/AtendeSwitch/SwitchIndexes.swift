import AtendeCore
import Foundation

/// A call's place in an order kept by the switch: by an instant, then by when the call was created.
struct CallOrder: Comparable, Sendable {
    var at: Date
    var ordinal: Int
    var id: CallID

    static func < (a: CallOrder, b: CallOrder) -> Bool { (a.at, a.ordinal) < (b.at, b.ordinal) }
    static func == (a: CallOrder, b: CallOrder) -> Bool { a.id == b.id && a.at == b.at && a.ordinal == b.ordinal }
}

extension Array where Element == CallOrder {
    /// Where `order` is or would go, keeping the array sorted.
    func slot(of order: CallOrder) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < order { low = mid + 1 } else { high = mid }
        }
        return low
    }

    mutating func insertSorted(_ order: CallOrder) {
        insert(order, at: slot(of: order))
    }

    mutating func removeSorted(_ order: CallOrder) {
        var i = slot(of: order)
        while i < count, !(order < self[i]) {
            if self[i].id == order.id { remove(at: i); return }
            i += 1
        }
    }
}

/// The orders distribution asks of the calls, kept as the calls change instead of found by
/// scanning every call: each group's queued calls oldest first (a queued call always has a
/// group), and the queue calls ringing at an agent by when they began to ring.
struct CallIndex: JournalIndex {
    /// Queued calls by group (``Registry/nameKey(_:)``), oldest first; a group with none is absent.
    private(set) var queues: [String: [CallOrder]] = [:]
    /// Queue calls ringing at an agent, the longest ringing first.
    private(set) var ringing: [CallOrder] = []

    static func queued(_ call: SwitchCall?) -> (group: String, order: CallOrder)? {
        guard let call, call.phase == .queued, let group = call.group else { return nil }
        return (Registry.nameKey(group), CallOrder(at: call.queuedAt ?? .distantPast, ordinal: call.ordinal, id: call.id))
    }

    static func ringingQueueCall(_ call: SwitchCall?) -> CallOrder? {
        guard let call, call.phase == .ringing, call.group != nil, let at = call.ringingAt else { return nil }
        return CallOrder(at: at, ordinal: call.ordinal, id: call.id)
    }

    mutating func replace(_ old: SwitchCall?, with new: SwitchCall?, at key: CallID) {
        let wasQueued = Self.queued(old), isQueued = Self.queued(new)
        if wasQueued?.group != isQueued?.group || wasQueued?.order != isQueued?.order {
            if let (group, order) = wasQueued {
                queues[group]?.removeSorted(order)
                if queues[group]?.isEmpty == true { queues[group] = nil }
            }
            if let (group, order) = isQueued { queues[group, default: []].insertSorted(order) }
        }
        let wasRinging = Self.ringingQueueCall(old), isRinging = Self.ringingQueueCall(new)
        if wasRinging != isRinging {
            if let order = wasRinging { ringing.removeSorted(order) }
            if let order = isRinging { ringing.insertSorted(order) }
        }
    }
}

/// Who is where, kept as the seats change: the seats on each call (current or held), and the
/// agents free to take a queue call, by group.
struct SeatIndex: JournalIndex {
    /// The extensions whose seat has the call as its current or held call.
    private(set) var onCall: [CallID: Set<String>] = [:]
    /// The extensions free for a queue call (logged in, not paused, not in wrap-up, no call), by
    /// group (``Registry/nameKey(_:)``); a group with none is absent.
    private(set) var free: [String: Set<String>] = [:]

    static func takesQueueCalls(_ seat: Seat) -> Bool {
        seat.line.loggedIn && seat.line.pause == nil && !seat.line.wrapUp && seat.isFree
    }

    mutating func replace(_ old: Seat?, with new: Seat?, at ext: String) {
        if old?.current != new?.current || old?.held != new?.held {
            for id in [old?.current, old?.held].compactMap({ $0 }) {
                onCall[id]?.remove(ext)
                if onCall[id]?.isEmpty == true { onCall[id] = nil }
            }
            for id in [new?.current, new?.held].compactMap({ $0 }) { onCall[id, default: []].insert(ext) }
        }
        let wasFree = old.map(Self.takesQueueCalls) ?? false, isFree = new.map(Self.takesQueueCalls) ?? false
        guard wasFree != isFree || (isFree && old?.line.groups != new?.line.groups) else { return }
        if wasFree, let old {
            for group in old.line.groups {
                let key = Registry.nameKey(group)
                free[key]?.remove(ext)
                if free[key]?.isEmpty == true { free[key] = nil }
            }
        }
        if isFree, let new {
            for group in new.line.groups { free[Registry.nameKey(group), default: []].insert(ext) }
        }
    }
}
