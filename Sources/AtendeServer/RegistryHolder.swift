import AtendeCore
import Synchronization

/// The registry the server works from, as its store last saved it.
final class RegistryHolder: Sendable {
    private let state: Mutex<(registry: Registry, version: Int)>

    init(_ registry: Registry, version: Int) {
        state = Mutex((registry, version))
    }

    var current: (registry: Registry, version: Int) { state.withLock { $0 } }

    func replace(_ registry: Registry, version: Int) {
        state.withLock { $0 = (registry, version) }
    }

    /// Runs `body` on the registry in force and installs what it returns, one change at a time
    /// (two admins' changes never overwrite each other).
    func change(
        _ body: (Registry, Int) throws(ServerProblem) -> (registry: Registry, version: Int)
    ) throws(ServerProblem) -> (registry: Registry, version: Int) {
        let result: Result<(registry: Registry, version: Int), ServerProblem> = state.withLock { state in
            do throws(ServerProblem) {
                let next = try body(state.registry, state.version)
                state = next
                return .success(next)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
