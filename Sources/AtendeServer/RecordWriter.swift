import AtendeCore
import AtendeServerStore
import AtendeSync
import Foundation
import Logging

/// Writes the switch's records off the switch's path, and publishes each batch once it is on disk.
///
/// The switch hands over each batch's record as it publishes; a thread of its own commits them,
/// everything that arrived while the previous commit ran going into the next one (group commit:
/// one `fsync` for many batches). Only then are the batches handed to the sessions (in order, what
/// one commit wrote as one batch), and only then are the requests that made them answered
/// (``durable(through:)``): what a client is
/// told happened is in the call log. A commit that fails is retried (0.1 s doubling to 5 s); until
/// it lands nothing after it is published or answered — the floor stalls rather than forgets.
final class RecordWriter: @unchecked Sendable {
    private struct Entry {
        var record: SwitchRecord
        var events: [SwitchEvent]
        var through: UInt64
    }

    private let records: any ServerRecords
    private let broadcaster: Broadcaster
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Entry] = []
    private var durableThrough: UInt64
    private var waiters: [(through: UInt64, then: @Sendable () -> Void)] = []
    private var stopping = false
    private var stopped = false
    private var thread: Thread?
    private var onSync: @Sendable (Set<String>) -> Void = { _ in }

    init(records: any ServerRecords, broadcaster: Broadcaster, logger: Logger, startingAt sequence: UInt64) {
        self.records = records
        self.broadcaster = broadcaster
        self.logger = logger
        durableThrough = sequence
    }

    /// Starts the writer's thread; `onSync` is told who may see the sync records a commit wrote
    /// (the attendances and losses of the switch's host), to have their workstations pull.
    func start(onSync: @escaping @Sendable (Set<String>) -> Void = { _ in }) {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil else { return }
        self.onSync = onSync
        let thread = Thread { [self] in loop() }
        thread.name = "atende.record-writer"
        self.thread = thread
        thread.start()
    }

    /// Queues one batch's record (called by the switch as it publishes, in order).
    func enqueue(_ record: SwitchRecord, events: [SwitchEvent], through: UInt64) {
        condition.lock()
        queue.append(Entry(record: record, events: events, through: through))
        condition.signal()
        condition.unlock()
    }

    /// Returns once the batches up to `through` are written and handed to the sessions.
    func durable(through: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            whenDurable(through: through) { continuation.resume() }
        }
    }

    /// Runs `then` once the batches up to `through` are written and handed to the sessions (at
    /// once if they are): a session answers its requests this way, in order, without waiting.
    func whenDurable(through: UInt64, _ then: @escaping @Sendable () -> Void) {
        condition.lock()
        if durableThrough >= through || stopped {
            condition.unlock()
            then()
        } else {
            waiters.append((through, then))
            condition.unlock()
        }
    }

    /// Writes what is queued, then stops the thread (at shutdown).
    func finish() async {
        await durable(through: lastQueued)
        stop()
    }

    private var lastQueued: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return queue.last?.through ?? durableThrough
    }

    private func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        var backoff = 0.1
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                stopped = true
                let rest = waiters
                waiters = []
                condition.unlock()
                rest.forEach { $0.then() }
                return
            }
            let batch = queue
            condition.unlock()

            var merged = SwitchRecord()
            for e in batch {
                merged.log += e.record.log
                merged.finished += e.record.finished
                merged.losses += e.record.losses
                merged.sync += e.record.sync
                merged.through = e.record.through ?? merged.through
            }
            var seen: Set<String> = []
            do {
                try records.append(merged) { operation, record, owner in
                    let decision = CallCenterServer.hostDecision(operation, record, owner)
                    if case .apply(_, _, let audiences, _) = decision { seen.formUnion(audiences) }
                    return decision
                }
                if !seen.isEmpty { onSync(seen) }
                backoff = 0.1
            } catch {
                condition.lock()
                let giveUp = stopping
                if !giveUp {
                    let until = Date().addingTimeInterval(backoff)
                    while Date() < until && !stopping { _ = condition.wait(until: until) }
                }
                condition.unlock()
                logger.error(
                    giveUp ? "switch records not written at shutdown" : "switch records not written, retrying",
                    metadata: ["reason": "\(error)", "batches": "\(batch.count)", "retry_s": "\(backoff)"])
                backoff = min(5, backoff * 2)
                if !giveUp { continue }
            }
            // Everything this commit made durable goes to each session as one batch (numbers run on
            // from one batch to the next).
            if let through = batch.last(where: { !$0.events.isEmpty })?.through {
                broadcaster.publish(batch.flatMap(\.events), through: through)
            }

            condition.lock()
            queue.removeFirst(batch.count)
            durableThrough = max(durableThrough, batch.last?.through ?? durableThrough)
            let ready = waiters.filter { $0.through <= durableThrough }
            waiters.removeAll { $0.through <= durableThrough }
            condition.unlock()
            ready.forEach { $0.then() }
        }
    }
}
