public import AtendeCore
import AtendeStore
public import AtendeSync
public import Foundation

/// Where the workstation's sync stands, and what a `sync` run did.
public struct SyncReport: Sendable, Equatable {
    public enum Where: Sendable, Equatable {
        /// No server configured: the outbox is kept, nothing is sent.
        case standalone
        /// The server cannot be reached now: the outbox waits for the link.
        case offline
        case online
    }

    public var place: Where
    /// Operations this run had the server apply (now or before).
    public var sent = 0
    /// Operations the server refused for good (it keeps them with their reason).
    public var refused = 0
    /// Why the server keeps an operation back for now (a clock ahead), if it did.
    public var heldBack: String?
    /// The server's changes this run brought here.
    public var received = 0
    /// Operations still waiting in the outbox.
    public var pending = 0
    /// How long the oldest of them has waited, in seconds.
    public var lag: Int?
    /// Values that lost to another and were not put back (`sync conflicts`).
    public var conflicts = 0
    /// When the outbox last reached the server in full and every change was brought here.
    public var lastSuccess: Date?
    /// When the next run in the background is due, if one is.
    public var nextAttempt: Date?
}

/// How far a pull has come, for the progress bar of a first sync.
public struct SyncProgress: Sendable, Equatable {
    public var received: Int
    public var total: Int
}

/// The background sync's state: when it runs next and how often it failed in a row (SY-1).
struct SyncSchedule: Sendable {
    /// How often a workstation online looks for the server's changes with nothing to send.
    static let period: TimeInterval = 30
    /// The longest wait between retries.
    static let maximumBackOff: TimeInterval = 60
    var due: Date?
    var failures = 0
    var random = SplitMix64(state: UInt64.random(in: 1...UInt64.max))

    /// The wait before retry number `failures`: doubling from 1 s up to a minute, each drawn
    /// between half and all of it (jitter: workstations cut off together do not return together).
    mutating func backOff() -> TimeInterval {
        let ceiling = min(Self.maximumBackOff, pow(2, Double(min(failures, 10))))
        return ceiling * (0.5 + 0.5 * Double(random.next() % 1_000_000) / 1_000_000)
    }
}

extension Workstation {
    /// The changes a pull asks for at a time.
    static let pullPage = 1000

    /// `sync` (SY-1): sends the outbox to the server and brings the server's changes here, now,
    /// if there is a server and it can be reached; says what waits. Nothing is removed from the
    /// outbox before the server answered for it, and a pulled change never hides one still
    /// queued here. A run already going on (which may have started before the latest change) is
    /// waited for, then one more runs.
    public func syncNow() async throws -> SyncReport {
        _ = try requireSession()
        if let running = syncRun { _ = try? await running.value }
        return try await runSync()
    }

    func syncReport(_ place: SyncReport.Where) throws -> SyncReport {
        var report = SyncReport(place: place)
        report.pending = try store.pendingOutboxCount()
        report.lag = try store.outbox.pending(limit: 1).first.map { max(0, Int(now.timeIntervalSince($0.createdAt))) }
        report.conflicts = try store.sync.openConflictCount()
        report.lastSuccess = try lastSync ?? store.sync.lastComplete()
        report.nextAttempt = schedule.due
        return report
    }

    func runSync() async throws -> SyncReport {
        if let running = syncRun { return try await running.value }
        let run = Task { try await self.syncOnce() }
        syncRun = run
        defer { syncRun = nil }
        return try await run.value
    }

    private func syncOnce() async throws -> SyncReport {
        guard gateway != nil else { return try syncReport(.standalone) }
        // Logged in offline: online first, when the server is back — tried on a task of its own,
        // so a server slow to answer never holds up a sync (or `sync`, which waits for one).
        if serverSession == nil, offlineLogin != nil {
            if reconnecting == nil {
                reconnecting = Task {
                    let online = await self.reconnect()
                    self.reconnected(online)
                }
            }
            schedule.failures += 1
            schedule.due = now.addingTimeInterval(schedule.backOff())
            syncWakeup.signal()
            return try syncReport(.offline)
        }
        guard let transport = serverSession?.sync, let agent = session?.agent.nickname else { return try syncReport(.offline) }
        let workstation = try store.storeID()
        var report = SyncReport(place: .online)
        do {
            let sender = OutboxSender(store: store, transport: transport, workstation: workstation)
            var sent = try await sender.send()
            // Kept back for a clock ahead (SY-3): the server said its time; stamps are corrected
            // and moved back by the difference, and sent again at once.
            if case .refused(.aheadOfClock)? = sent.heldBack?.outcome, let millis = sent.serverMillis {
                let ahead = clock.now().timeIntervalSince1970 - TimeInterval(millis) / 1000
                try store.correctClock(ahead: ahead)
                let again = try await sender.send()
                sent.acknowledged += again.acknowledged
                sent.refused += again.refused
                sent.heldBack = again.heldBack
            }
            // A clock set right since (or a correction larger than the error now): the correction
            // shrinks to what the server's time says, so stamps never fall behind a right clock.
            if let millis = sent.serverMillis, store.clockCorrection > 0 {
                let ahead = max(0, clock.now().timeIntervalSince1970 - TimeInterval(millis) / 1000)
                if ahead < store.clockCorrection - 60 { try store.correctClock(ahead: ahead) }
            }
            report.sent = sent.acknowledged
            report.refused = sent.refused.count
            if case .refused(let why)? = sent.heldBack?.outcome { report.heldBack = "\(why)" }
            report.received = try await pull(transport, workstation: workstation, agent: agent)
            if sent.heldBack == nil {
                lastSync = clock.now()
                schedule.failures = 0
                schedule.due = now.addingTimeInterval(SyncSchedule.period)
            } else {
                // Kept back until its stamp is repaired: tried again later, not at once.
                schedule.failures += 1
                schedule.due = now.addingTimeInterval(schedule.backOff())
            }
        } catch {
            schedule.failures += 1
            schedule.due = now.addingTimeInterval(schedule.backOff())
            guard let problem = error as? ServerProblem else { throw error }
            // The session logged in over this very protocol: a connection that ends without a word
            // now (read as a protocol mismatch) is the network's fault, waited out like the others.
            guard [.unreachable, .unavailable, .tlsMismatch].contains(problem.code) else { throw AtendeError.syncFailed(problem.detail) }
            report.place = .offline
        }
        syncWakeup.signal()
        let final = try syncReport(report.place)
        report.pending = final.pending
        report.lag = final.lag
        report.conflicts = final.conflicts
        report.lastSuccess = final.lastSuccess
        report.nextAttempt = final.nextAttempt
        return report
    }

    /// Brings the server's changes after the cursor here, a page at a time, each merged with the
    /// record kept and shown under the operations still queued; returns how many came.
    private func pull(_ transport: any SyncTransport, workstation: String, agent: String) async throws -> Int {
        let me = SyncOrigin(workstation: workstation, agent: agent)
        var received = 0
        var chats: [ChatMessage] = []
        while true {
            let cursor = try store.sync.cursor()
            let page = try await transport.pull(after: cursor, limit: Self.pullPage)
            try store.sync.apply(page) { change, kept, queued in
                let (replica, lost) = SyncMerge.apply(change.operation, from: change.origin, to: kept)
                var shown = replica
                for operation in queued { shown = SyncMerge.apply(operation, from: me, to: shown).record }
                return PulledRecord(replica: replica, shown: shown, overwrites: lost)
            }
            received += page.changes.count
            for change in page.changes where change.operation.entity == .chat && change.origin.workstation != workstation {
                if let message = try store.chat.message(id: change.operation.entityID), !Registry.sameName(message.from, agent) {
                    chats.append(message)
                }
            }
            if page.changes.count < page.remaining || received > Self.pullPage {
                bus.publish(.syncProgress(SyncProgress(received: received, total: received + page.remaining - page.changes.count)))
            }
            if page.complete || page.changes.isEmpty || page.checkpoint <= cursor { break }
        }
        for message in chats { bus.publish(.chatReceived(message)) }
        return received
    }

    // MARK: In the background (SY-1)

    /// When the background sync is due: at once when something waits to be sent or the link
    /// just came back, else at the next period or retry.
    func nextSyncDeadline() -> Date? {
        guard session != nil, gateway != nil, serverSession?.sync != nil || offlineLogin != nil else { return nil }
        if schedule.failures == 0, ((try? store.pendingOutboxCount()) ?? 0) > 0 { return now }
        return schedule.due ?? now
    }

    /// Runs the sync when it is due; a failure is kept for its retry, never thrown.
    func syncIfDue() async {
        guard let due = nextSyncDeadline(), due <= now else { return }
        _ = try? await runSync()
    }

    /// The background sync on a real clock, until cancelled: on login and link back, on every
    /// change queued, every period, and after a failure with back-off and jitter (whether or not
    /// anything new is written).
    public func runBackgroundSync() async {
        store.onQueued { [syncWakeup] in syncWakeup.signal() }
        await Alarm.run(
            clock: clock, wakeup: syncWakeup, recheck: SyncSchedule.period, next: { await self.nextSyncDeadline() },
            fire: { await self.syncIfDue() })
    }

    /// A try at going online ended: online, the sync runs at once.
    func reconnected(_ online: Bool) {
        reconnecting = nil
        if online { syncSoon() }
    }

    /// Schedules a sync at once (login online, link back).
    func syncSoon() {
        schedule.failures = 0
        schedule.due = now
        syncWakeup.signal()
    }
}

// MARK: Conflicts and chat

extension Workstation {
    /// `sync conflicts`: the values that lost to another, newest first.
    public func syncConflicts() throws -> [SyncConflict] {
        _ = try requireSession()
        return try store.sync.conflicts()
    }

    /// `sync conflicts restore N`: puts a lost value back, as a new edit (which syncs as any
    /// other, and wins over the value that beat it).
    @discardableResult
    public func restoreConflict(_ number: Int) throws -> SyncConflict {
        let session = try requireSession()
        guard let conflict = try store.sync.conflict(number: number) else { throw AtendeError.noSuchConflict(number) }
        let lost = conflict.overwrite
        guard let id = UUID(uuidString: lost.id) else { throw AtendeError.conflictNotRestorable(number) }
        switch lost.entity {
        case .note:
            guard case .object(let fields)? = lost.lost, case .text(let text)? = fields["text"], let note = try store.notes.note(id: id),
                Registry.sameName(note.agent, session.agent.nickname)
            else { throw AtendeError.conflictNotRestorable(number) }
            _ = try store.notes.edit(agent: note.agent, number: note.number, text: text)
        case .agenda:
            guard let event = try store.agenda.event(id: id),
                let restored = SyncRepository.patched(event, field: lost.field, value: lost.lost)
            else { throw AtendeError.conflictNotRestorable(number) }
            try store.agenda.update(restored)
        case .contact:
            guard session.agent.may(.contactEdit) else { throw AtendeError.permissionDenied(.contactEdit) }
            guard let contact = try store.contacts.contact(id: id),
                let restored = SyncRepository.patched(contact, field: lost.field, value: lost.lost)
            else { throw AtendeError.conflictNotRestorable(number) }
            try store.contacts.update(restored)
        default:
            throw AtendeError.conflictNotRestorable(number)
        }
        try store.sync.markRestored(number)
        return try store.sync.conflict(number: number) ?? conflict
    }

    /// `chat AGENT[,AGENT…] MESSAGE` (CH-1): kept here at once, delivered by the sync (offline:
    /// when the link is back), once, in order.
    @discardableResult
    public func sendChat(to names: [String], _ body: String) throws -> ChatMessage {
        let session = try requireSession()
        guard session.agent.may(.chat) else { throw AtendeError.permissionDenied(.chat) }
        var to: [String] = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let agent = registry.agent(name) else { throw AtendeError.unknownChatAgent(name) }
            if !to.contains(where: { Registry.sameName($0, agent.nickname) }) { to.append(agent.nickname) }
        }
        let text = body.trimmingCharacters(in: .whitespaces)
        guard !to.isEmpty, !text.isEmpty else { throw AtendeError.noChatRecipient }
        guard text.count <= maximumNoteLength else { throw AtendeError.fieldTooLong(field: "message", maximum: maximumNoteLength) }
        let message = ChatMessage(from: session.agent.nickname, to: to, body: text, sentAt: now)
        try store.chat.add(message)
        return message
    }

    /// `chat [AGENT]`: the conversation (with one colleague, when named), oldest first; what it
    /// shows of theirs counts as read.
    public func chatConversation(with name: String?) throws -> [ChatMessage] {
        let session = try requireSession()
        let other = try name.map { name -> String in
            guard let agent = registry.agent(name) else { throw AtendeError.unknownChatAgent(name) }
            return agent.nickname
        }
        return try store.chat.conversation(agent: session.agent.nickname, with: other)
    }
}
