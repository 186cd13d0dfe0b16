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
}
