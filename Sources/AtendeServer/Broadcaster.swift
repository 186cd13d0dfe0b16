import AtendeCore
import Foundation
import Synchronization

/// Hands each batch of the switch to the sessions it concerns, each event encoded once.
///
/// A session's audience decides what it gets (``SwitchAudience/concerns(_:)``, the one rule);
/// indexes by extension and by group find the candidates, so a batch costs what it touches, not
/// the number of sessions. A session is given only batches with something for it: the server
/// answers a request after the batches up to its receipt were handed over, so a client knows it
/// has seen everything of its own up to the receipt's number.
final class Broadcaster: Sendable {
    typealias Deliver = @Sendable (BatchFrame) -> Void

    private struct Listener {
        var audience: SwitchAudience
        /// Batches up to this number are in the snapshot the session started from.
        var after: UInt64
        var deliver: Deliver
    }

    private struct State {
        var listeners: [UUID: Listener] = [:]
        var byExtension: [String: Set<UUID>] = [:]
        var byGroup: [String: Set<UUID>] = [:]
        var everything: Set<UUID> = []

        mutating func index(_ id: UUID, _ audience: SwitchAudience, adding: Bool) {
            func update(_ set: inout Set<UUID>) { if adding { set.insert(id) } else { set.remove(id) } }
            switch audience {
            case .everything, .workstation:
                update(&everything)
            case .team(let ext, let groups):
                update(&byExtension[ext, default: []])
                for g in groups { update(&byGroup[g.lowercased(), default: []]) }
            }
        }

        /// Sessions an event may concern (a superset; the audience's rule decides).
        func candidates(_ event: SwitchEvent, into set: inout Set<UUID>) {
            set.formUnion(everything)
            func group(_ name: String?) { if let name, let ids = byGroup[name.lowercased()] { set.formUnion(ids) } }
            func ext(_ e: String?) { if let e, let ids = byExtension[e] { set.formUnion(ids) } }
            switch event {
            case .agentChanged(let line):
                ext(line.extension)
                line.groups.forEach(group)
            case .queueChanged(let figures):
                group(figures.group)
            default:
                guard let call = event.call else { return }
                group(call.group)
                [call.agent, call.from, call.to].forEach(ext)
                (call.joined + event.extensions).forEach(ext)
            }
        }
    }

    private let state = Mutex(State())

    /// `deliver` gets every later batch (after `after`) that concerns `audience`, the events of it
    /// that do, with the text of their ``ServerLinkMessage/batch(_:)``.
    func add(_ id: UUID, audience: SwitchAudience, after: UInt64, deliver: @escaping Deliver) {
        state.withLock { s in
            s.listeners[id] = Listener(audience: audience, after: after, deliver: deliver)
            s.index(id, audience, adding: true)
        }
    }

    /// The session's agent took another seat: from now on it follows that one.
    func move(_ id: UUID, to audience: SwitchAudience) {
        state.withLock { s in
            guard let old = s.listeners[id]?.audience, old != audience else { return }
            s.index(id, old, adding: false)
            s.listeners[id]?.audience = audience
            s.index(id, audience, adding: true)
        }
    }

    func remove(_ id: UUID) {
        state.withLock { s in
            guard let old = s.listeners.removeValue(forKey: id) else { return }
            s.index(id, old.audience, adding: false)
        }
    }

    var count: Int { state.withLock { $0.listeners.count } }

    /// Hands `events`, numbered one by one up to `through`, to the sessions they concern: each
    /// session gets one batch of the events that concern it and that its snapshot did not have.
    /// The record writer hands over everything one commit made durable at once, so a busy floor
    /// costs a session one message per commit, not one per command.
    func publish(_ events: [SwitchEvent], through: UInt64) {
        guard !events.isEmpty else { return }
        let first = through - UInt64(events.count - 1)
        var encoded: [String?] = Array(repeating: nil, count: events.count)
        func text(_ i: Int) -> String {
            if let t = encoded[i] { return t }
            let t = events[i].jsonText
            encoded[i] = t
            return t
        }
        state.withLock { s in
            // Each event is looked at only for the sessions its indexes name.
            var mine: [UUID: [Int]] = [:]
            var candidates = Set<UUID>()
            for i in events.indices {
                let sequence = first + UInt64(i)
                candidates.removeAll(keepingCapacity: true)
                s.candidates(events[i], into: &candidates)
                for id in candidates {
                    guard let listener = s.listeners[id], sequence > listener.after,
                        listener.audience.concerns(events[i])
                    else { continue }
                    mine[id, default: []].append(i)
                }
            }
            // Sessions with the same events get the same text (every monitor, a group's members).
            var frames: [[Int]: BatchFrame] = [:]
            for (id, indices) in mine {
                guard let listener = s.listeners[id] else { continue }
                let frame: BatchFrame
                if let f = frames[indices] {
                    frame = f
                } else {
                    frame = BatchFrame(through: through, events: indices.map(text))
                    frames[indices] = frame
                }
                listener.deliver(frame)
            }
        }
    }
}

/// A batch for the sessions it concerns: its events as they are encoded, and its message's text.
struct BatchFrame: Sendable {
    let through: UInt64
    let events: [String]
    let text: String

    init(through: UInt64, events: [String]) {
        self.through = through
        self.events = events
        text = ServerLinkMessage.batchText(through: through, encodedEvents: events)
    }

    /// Batches that waited for the same socket, one after the other, as one message: their events
    /// in order, complete through the last one's number.
    static func text(of frames: ArraySlice<BatchFrame>) -> String {
        guard frames.count > 1, let last = frames.last else { return frames.first?.text ?? "" }
        return ServerLinkMessage.batchText(through: last.through, encodedEvents: frames.flatMap(\.events))
    }
}
