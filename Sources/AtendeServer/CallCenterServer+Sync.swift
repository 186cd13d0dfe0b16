import AtendeCore
import AtendeServerStore
import AtendeSync
import Foundation
import Hummingbird
import Logging

/// The sync endpoint (SV-5): a workstation pushes its outbox's operations and pulls what it may
/// see after its cursor. Each pushed operation is applied once (by its id), with the conflict
/// rules of its entity, only if it is the pushing agent's to write; a stamp too far ahead of the
/// server's clock is refused for now, with how far (SY-3).
extension CallCenterServer {
    /// A push's body at most (a batch of operations).
    static let syncPushLimit = 16 * 1024 * 1024
    /// A pull's page at most.
    static let syncPageLimit = 5000

    func syncRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/api/v1/sync/push") { [self] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            var request = request
            guard let body = try? await request.collectBody(upTo: Self.syncPushLimit) else {
                return Self.problem(ServerProblem(.badRequest, "a push is at most \(Self.syncPushLimit / (1024 * 1024)) MiB: send fewer operations at a time"))
            }
            guard let push = try? JSONDecoder().decode(SyncPush.self, from: Data(buffer: body)) else {
                return Self.problem(ServerProblem(.badRequest, "a JSON sync push {\"version\", \"workstation\", \"operations\"} is required"))
            }
            guard push.version <= SyncWire.version, !push.workstation.isEmpty else {
                return Self.problem(ServerProblem(.badRequest, "sync version \(push.version) is newer than this server's (\(SyncWire.version)): upgrade the server"))
            }
            do throws(ServerStoreError) {
                let (acks, audiences) = try apply(push, by: principal)
                if !audiences.isEmpty { await floor.syncChanged(audiences: audiences) }
                return Self.json(SyncPushReply(acks: acks, serverMillis: HybridLogicalClock.millis(configuration.clock.now())))
            } catch {
                logger.error("sync push not written", metadata: ["reason": "\(error)"])
                return Self.problem(ServerProblem(.unavailable, "the server could not write the push: try again"))
            }
        }
        router.get("/api/v1/sync/pull") { [self] request, _ in
            guard let principal = auth.principal(bearer: request.headers[.authorization]) else {
                return Self.problem(ServerProblem(.unauthorized, "log in first"))
            }
            let query = request.uri.queryParameters
            guard let after = query["after"].map({ UInt64(String($0)) }) ?? 0,
                let limit = query["limit"].map({ Int(String($0)) }) ?? Self.syncPageLimit, (1...Self.syncPageLimit).contains(limit)
            else {
                return Self.problem(ServerProblem(.badRequest, "after is a change number and limit 1 to \(Self.syncPageLimit)"))
            }
            do throws(ServerStoreError) {
                return Self.json(try records.changes(visibleTo: Self.audiences(of: principal.agent), after: after, limit: limit))
            } catch {
                return Self.problem(ServerProblem(.unavailable, "the server could not read its changes: try again"))
            }
        }
    }

    /// Applies a push for `principal`, each new operation by its entity's rules; returns the
    /// answers and who may see what was applied.
    func apply(_ push: SyncPush, by principal: Principal) throws(ServerStoreError) -> ([SyncAck], Set<String>) {
        let agent = principal.agent
        let origin = SyncOrigin(workstation: push.workstation, agent: agent.nickname)
        let now = configuration.clock.now()
        var seen: Set<String> = []
        let acks = try records.applyPush(push, agent: agent.nickname, at: now) { operation, record, owner in
            if let why = SyncMerge.check(operation, now: now) {
                if case .aheadOfClock = why { return .refuseForNow(why) }
                return .refuse(why)
            }
            if let why = SyncVisibility.refusal(
                agent: agent.nickname, role: agent.role, workstation: push.workstation, operation: operation, owner: owner) {
                return .refuse(why)
            }
            let claimed = owner ?? SyncVisibility.owner(of: operation)
                ?? (SyncVisibility.ownerField(operation.entity) != nil ? agent.nickname : nil)
            let decision = Self.merge(operation, from: origin, into: record, owner: claimed)
            if case .apply(_, _, let audiences, _) = decision { seen.formUnion(audiences) }
            return decision
        }
        return (acks, seen)
    }

    /// How the server applies what its own switch recorded (``SyncHost``: attendances and
    /// losses): trusted, merged by the entity's rule like any other write.
    static func hostDecision(_ operation: SyncOperation, _ record: SyncRecord?, _ owner: String?) -> SyncDecision {
        merge(operation, from: SyncHost.origin, into: record, owner: owner ?? SyncVisibility.owner(of: operation))
    }

    /// `operation` merged into `record` (owned by `owner`), with who sees the change.
    private static func merge(_ operation: SyncOperation, from origin: SyncOrigin, into record: SyncRecord?, owner: String?) -> SyncDecision {
        let (merged, lost) = SyncMerge.apply(operation, from: origin, to: record)
        let audiences = SyncVisibility.audiences(entity: operation.entity, fields: merged.fields, owner: owner)
        return .apply(record: merged, owner: owner, audiences: audiences, overwrites: lost)
    }

    /// What an agent's pull sees: everyone's shared records, their own, their groups'; a
    /// supervisor's, also what their groups' agents keep (their agendas).
    static func audiences(of agent: Agent) -> [String] {
        ["all", "agent:" + Registry.nameKey(agent.nickname)] + agent.groups.map { "group:" + Registry.nameKey($0) }
            + (agent.role == .agent ? [] : agent.groups.map { "supervise:" + Registry.nameKey($0) })
    }
}
