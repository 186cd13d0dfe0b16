import AtendeCore
import Synchronization

/// What waits to be written on one session's socket, bounded (`--session-buffer`).
///
/// The socket's writer takes everything waiting at once, so consecutive batches go out as one
/// message when the client is slower than the floor. A session that falls `limit` messages
/// behind loses what waits: it is left with a goodbye, and whoever pushed learns it overflowed
/// (a client that reads nothing gets its connection closed; it reconnects and starts again from
/// a fresh snapshot).
final class SessionOutbox: Sendable {
    enum Item: Sendable {
        case message(ServerLinkMessage)
        case batch(BatchFrame)
    }

    enum Pushed: Equatable {
        case queued
        /// Over the limit: what waited was dropped for a goodbye, and nothing more is taken.
        case overflowed
        /// Finished earlier: the item is not taken.
        case finished
    }

    private struct State {
        var items: [Item] = []
        var finished = false
        var waiter: CheckedContinuation<[Item], Never>?
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    @discardableResult
    func push(_ item: Item) -> Pushed {
        let (pushed, waiter, ready) = state.withLock { s -> (Pushed, CheckedContinuation<[Item], Never>?, [Item]) in
            guard !s.finished else { return (.finished, nil, []) }
            let pushed: Pushed
            if s.items.count >= limit {
                s.items = [.message(.goodbye("too far behind"))]
                s.finished = true
                pushed = .overflowed
            } else {
                s.items.append(item)
                pushed = .queued
            }
            guard let waiter = s.waiter else { return (pushed, nil, []) }
            s.waiter = nil
            defer { s.items = [] }
            return (pushed, waiter, s.items)
        }
        waiter?.resume(returning: ready)
        return pushed
    }

    /// Nothing more is taken; `last`, if given, is the last thing written.
    func finish(with last: ServerLinkMessage? = nil) {
        let (waiter, ready) = state.withLock { s -> (CheckedContinuation<[Item], Never>?, [Item]) in
            guard !s.finished else { return (nil, []) }
            if let last { s.items.append(.message(last)) }
            s.finished = true
            guard let waiter = s.waiter else { return (nil, []) }
            s.waiter = nil
            defer { s.items = [] }
            return (waiter, s.items)
        }
        waiter?.resume(returning: ready)
    }

    /// Everything waiting, in order, once there is something; empty once finished and written.
    func take() async -> [Item] {
        await withCheckedContinuation { continuation in
            let ready: [Item]? = state.withLock { s in
                guard s.items.isEmpty, !s.finished else {
                    defer { s.items = [] }
                    return s.items
                }
                s.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// How many messages wait.
    var count: Int { state.withLock { $0.items.count } }
}
