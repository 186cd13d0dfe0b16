import AtendeCore
import AtendeServerStore
import AtendeSync
import AtendeSwitch
import Foundation
import Logging
import Prometheus
import Synchronization

/// The server's record of what its switch did (SV-3): every event into the append-only log, each
/// finished call and each loss once, written by the ``RecordWriter`` (group commit); and the
/// figures of `/metrics`.
struct ServerRecorder: SwitchRecorder {
    let writer: RecordWriter
    let metrics: ServerMetrics
    let logger: Logger
    /// The last line seen per extension, to name an agent's change (LOGIN, PAUSE …).
    private let lines = LineMemory()

    init(writer: RecordWriter, metrics: ServerMetrics, logger: Logger) {
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
    }

    func record(_ events: [SwitchEvent], at now: Date, first: UInt64) {
        var record = SwitchRecord()
        for (offset, event) in events.enumerated() {
            let sequence = first + UInt64(offset)
            if let entry = entry(event, sequence: sequence, at: now) { record.log.append(entry) }
            switch event {
            case .queued:
                metrics.offered.increment()
            case .connected(let call) where call.type == .inbound && call.queuedAt != nil:
                metrics.answered.increment()
            case .queueChanged(let figures):
                metrics.setQueueDepth(figures.group, figures.waiting)
            case .ended(let call, let reason, let by):
                record.finished.append((call, reason, by))
                record.sync += SyncHost.attendances(of: call, reason: reason, by: by, at: now, stamp: stamp(now)) { ext in
                    lines.state.withLock { $0[ext]?.nickname }
                }
                if reason == .abandonedInQueue || reason == .abandonedAtAgent {
                    metrics.abandoned.increment()
                    lose(call, place: reason == .abandonedInQueue ? "queue" : "agent", at: now, into: &record)
                }
            case .ringNoAnswer(let call, _):
                lose(call, place: "agent", at: now, into: &record)
            default:
                break
            }
        }
        record.through = events.isEmpty ? nil : first + UInt64(events.count) - 1
        writer.enqueue(record, events: events, through: first + UInt64(events.count) - 1)
        metrics.published(through: first + UInt64(events.count) - 1)
    }

    /// The host's stamp for what it writes into sync at `now`.
    private func stamp(_ now: Date) -> HLCStamp {
        HLCStamp(millis: HybridLogicalClock.millis(now), counter: 0, node: SyncHost.origin.workstation)
    }

    /// A caller who gave up: the loss in the call log, and in sync for the group's workstations.
    private func lose(_ call: SwitchCall, place: String, at now: Date, into record: inout SwitchRecord) {
        guard let service = call.service, let phone = call.phone else { return }
        record.losses.append(
            RecordedLoss(
                callID: call.id, service: service, queue: call.group ?? "", phone: phone, place: place, at: now,
                waited: now.timeIntervalSince(call.queuedAt ?? call.ringingAt ?? now)))
        if let loss = SyncHost.loss(of: call, place: place, at: now, stamp: stamp(now)) { record.sync.append(loss) }
    }

    private func entry(_ event: SwitchEvent, sequence: UInt64, at now: Date) -> CallLogEntry? {
        func line(_ call: SwitchCall, _ name: String, extension ext: String? = nil, data: String? = nil) -> CallLogEntry {
            CallLogEntry(
                sequence: sequence, at: now, callID: call.id, queue: call.group, agent: nil,
                extension: ext ?? call.agent ?? call.from, event: name, data: data ?? call.phone)
        }
        switch event {
        case .agentChanged(let new):
            let old = lines.state.withLock { lines in
                defer { lines[new.extension] = new }
                return lines[new.extension]
            }
            let name: String
            if old?.loggedIn != new.loggedIn {
                name = new.loggedIn ? "LOGIN" : "LOGOFF"
            } else if old?.pause != new.pause {
                name = new.pause == nil ? "UNPAUSE" : "PAUSE"
            } else {
                return nil
            }
            return CallLogEntry(
                sequence: sequence, at: now, agent: new.nickname, extension: new.extension, event: name, data: new.pause)
        case .queued(let c): return line(c, "ENTERQUEUE", extension: "")
        case .ringing(let c): return line(c, "RINGING")
        case .ringNoAnswer(let c, let ext): return line(c, "RINGNOANSWER", extension: ext)
        case .declined(let c, let ext): return line(c, "RINGCANCELED", extension: ext)
        case .left(let c, let ext): return line(c, "LEFT", extension: ext)
        case .dialing(let c): return line(c, "DIAL")
        case .connected(let c): return line(c, "CONNECT")
        case .held(let c): return line(c, "HOLD")
        case .retrieved(let c): return line(c, "UNHOLD")
        case .transferred(let c, let from, let to): return line(c, "TRANSFER", extension: from, data: to)
        case .conferenced(let c): return line(c, "CONFERENCE")
        case .captured(let c, let from, let by): return line(c, "CAPTURE", extension: by, data: from)
        case .barged(let c, let by): return line(c, "BARGE", extension: by)
        case .ended(let c, let reason, let by):
            let name: String
            switch reason {
            case .agent: name = "COMPLETEAGENT"
            case .customer: name = "COMPLETECALLER"
            case .transfer: name = "TRANSFERRED"
            case .abandonedInQueue, .abandonedAtAgent: name = "ABANDON"
            }
            return line(c, name, extension: by, data: reason.rawValue)
        case .queueChanged:
            return nil
        }
    }
}

/// The last line seen per extension.
final class LineMemory: Sendable {
    let state = Mutex<[String: AgentLine]>([:])
}
