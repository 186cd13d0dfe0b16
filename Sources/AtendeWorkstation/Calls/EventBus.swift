import Foundation
import Synchronization

/// One workstation event as subscribers receive it: numbered, so a subscriber can tell how far it is.
public struct NumberedEvent: Sendable, Equatable {
    public var sequence: UInt64
    public var event: WorkstationEvent
}

/// The workstation's events, to every subscriber: one producer, many readers.
///
/// Each subscriber has its own bounded buffer (10,000 events): one that falls behind loses the
/// oldest of its own, never stalls the workstation or the others. The bus also keeps the last
/// events, so a command can return what it caused.
final class EventBus: Sendable {
    private struct State {
        var sequence: UInt64 = 0
        var recent: [NumberedEvent] = []
        var subscribers: [UUID: AsyncStream<NumberedEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())
    static let kept = 2_000

    /// The sequence number of the last event published.
    var mark: UInt64 { state.withLock { $0.sequence } }

    func publish(_ event: WorkstationEvent) {
        state.withLock { s in
            s.sequence += 1
            let numbered = NumberedEvent(sequence: s.sequence, event: event)
            s.recent.append(numbered)
            if s.recent.count > Self.kept * 2 { s.recent.removeFirst(s.recent.count - Self.kept) }
            for (_, c) in s.subscribers { c.yield(numbered) }
        }
    }

    func publish(_ events: [WorkstationEvent]) {
        events.forEach(publish)
    }

    /// The events published after `mark` (as many as are kept).
    func events(since mark: UInt64) -> [WorkstationEvent] {
        state.withLock { s in
            // Newest last: walk back from the end to the first event after `mark`.
            var first = s.recent.endIndex
            while first > s.recent.startIndex, s.recent[first - 1].sequence > mark { first -= 1 }
            return s.recent[first...].map(\.event)
        }
    }

    func subscribe() -> AsyncStream<NumberedEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: NumberedEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        state.withLock { $0.subscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    func finish() {
        let all = state.withLock { s in
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        all.forEach { $0.finish() }
    }
}
