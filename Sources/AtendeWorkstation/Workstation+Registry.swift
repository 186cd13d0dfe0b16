public import AtendeCore
import AtendeStore
import Foundation
import Logging

extension Workstation {
    /// Caches the server's registry in the store (what this workstation reads, offline too) and
    /// puts it in force.
    func installServerRegistry(_ registry: Registry) throws {
        if try store.catalog.refresh(with: registry) || (try store.catalog.installedRegistry()?.registry != registry) {
            try store.catalog.install(registry, by: "server \(gateway?.address ?? "")", at: clock.now())
        }
        registryBox.value = registry
    }

    /// While the session on the server lasts, each registry version the server pushes (an admin
    /// changed it) is fetched, cached and put in force, and the agent told. The session's own
    /// agent, group and extension stay as they were at login until the next one.
    func followRegistry(of opened: ServerSession) {
        registryFollower?.cancel()
        registryFollower = Task { [weak self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let versions = await opened.registryChanges()
                    for await version in versions {
                        guard !Task.isCancelled, let self else { return }
                        await self.registryChanged(version: version, fetch: opened.fetchRegistry)
                    }
                }
                // A change this agent may see was applied on the server: the sync runs now.
                group.addTask {
                    for await _ in await opened.syncChanges() {
                        guard !Task.isCancelled, let self else { return }
                        await self.syncSoon()
                    }
                }
            }
        }
    }

    func registryChanged(version: Int, fetch: @Sendable () async throws(ServerProblem) -> Registry) async {
        let registry: Registry
        do {
            registry = try await fetch()
            try installServerRegistry(registry)
        } catch {
            Logger(label: "atende.registry").warning("registry change not fetched", metadata: ["version": "\(version)", "reason": "\(error)"])
            return
        }
        guard let session else { return }
        let mine = registry.agent(session.agent.nickname)
        let changed = mine.map { $0.extension != session.agent.extension || Set($0.groups) != Set(session.agent.groups) } ?? true
        bus.publish(.registryUpdated(version: version, ownChanged: changed))
    }

    func stopFollowingRegistry() {
        registryFollower?.cancel()
        registryFollower = nil
    }
}
