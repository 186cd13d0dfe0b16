public import AtendeCore
import AtendeStore
import AtendeSync
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
    /// Operations still waiting in the outbox.
    public var pending = 0
    /// When the outbox last reached the server in full.
    public var lastSuccess: Date?
}

extension Workstation {
    /// `sync` (SY-1): sends the outbox to the server now, if there is one and it can be reached,
    /// and says what waits. Nothing is removed from the outbox before the server answered for it.
    public func syncNow() async throws -> SyncReport {
        _ = try requireSession()
        guard gateway != nil else {
            return SyncReport(place: .standalone, pending: try store.pendingOutboxCount(), lastSuccess: lastSync)
        }
        guard let transport = serverSession?.sync else {
            return SyncReport(place: .offline, pending: try store.pendingOutboxCount(), lastSuccess: lastSync)
        }
        let sender = OutboxSender(store: store, transport: transport, workstation: try store.storeID())
        var report = SyncReport(place: .online)
        do {
            let sent = try await sender.send()
            report.sent = sent.acknowledged
            report.refused = sent.refused.count
            if case .refused(let why)? = sent.heldBack?.outcome { report.heldBack = "\(why)" }
            if sent.heldBack == nil { lastSync = clock.now() }
        } catch where error.code == .unreachable {
            report.place = .offline
        } catch {
            throw AtendeError.syncFailed(error.detail)
        }
        report.pending = try store.pendingOutboxCount()
        report.lastSuccess = lastSync
        return report
    }
}
