public import AtendeCore
public import AtendeStore
public import AtendeSync
public import Foundation

/// The server's sync endpoint as the workstation reaches it (over HTTP, by AtendeRemote).
public protocol SyncTransport: Sendable {
    func push(_ push: SyncPush) async throws(ServerProblem) -> SyncPushReply
    func pull(after cursor: UInt64, limit: Int) async throws(ServerProblem) -> SyncPage
}

/// Sends the outbox to the server, oldest first, a batch at a time, and removes each operation
/// once the server has answered for it (SV-5): nothing is removed before its answer, so a push
/// cut by a crash on either side is pushed again, and the server, which remembers every
/// operation id, applies it once.
///
/// It stops at an operation the server keeps back for now (a clock ahead, SY-3): that one and
/// the later ones stay queued, in order, for the next send.
/// ```swift
/// let sender = OutboxSender(store: store, transport: transport, workstation: try store.storeID())
/// let sent = try await sender.send()   // sent.acknowledged, sent.heldBack
/// ```
public struct OutboxSender: Sendable {
    let store: Store
    let transport: any SyncTransport
    let workstation: String
    let batch: Int

    public init(store: Store, transport: any SyncTransport, workstation: String, batch: Int = 500) {
        self.store = store
        self.transport = transport
        self.workstation = workstation
        self.batch = batch
    }

    public struct Sent: Sendable, Equatable {
        /// Operations the server applied now or had applied (removed from the outbox).
        public var acknowledged = 0
        /// Operations it refused for good, with why (removed too: the server keeps them).
        public var refused: [SyncAck] = []
        /// The operation it keeps back for now, if one stopped the send.
        public var heldBack: SyncAck?
        /// The server's clock at its last answer (Unix milliseconds), if it said.
        public var serverMillis: Int64?

        public init() {}
    }

    /// Pushes until the outbox is empty or the server keeps an operation back; throws the server's
    /// problem (unreachable …) with the outbox as it was from the failed batch on.
    public func send() async throws(ServerProblem) -> Sent {
        var sent = Sent()
        while true {
            let entries: [OutboxEntry]
            do {
                entries = try store.outbox.pending(limit: batch)
            } catch {
                throw ServerProblem(.unavailable, "the outbox could not be read: \(error)")
            }
            guard !entries.isEmpty else { return sent }
            let operations = entries.map { $0.operation(workstation: workstation) }
            let reply = try await transport.push(SyncPush(workstation: workstation, operations: operations))
            sent.serverMillis = reply.serverMillis ?? sent.serverMillis
            // The answers for the batch's first operations that are done, up to the first kept back
            // (or the first that does not answer for its operation: nothing after it is removed).
            let done = zip(reply.acks, operations).prefix { ack, operation in ack.id == operation.id && ack.isDone }.map(\.0)
            if let last = done.indices.last, last < entries.count {
                do {
                    try store.outbox.acknowledge(through: entries[last].sequence)
                } catch {
                    throw ServerProblem(.unavailable, "the outbox could not be pruned: \(error)")
                }
            }
            for ack in done {
                if case .refused = ack.outcome { sent.refused.append(ack) } else { sent.acknowledged += 1 }
            }
            if done.count < entries.count {
                sent.heldBack = reply.acks.count > done.count ? reply.acks[done.count] : nil
                return sent
            }
        }
    }
}
