import Foundation

/// What the telephone network does to a running server's switch, as an admin plays it
/// (`atende admin sim …`, `POST /api/v1/admin/sim`).
public enum NetworkAct: Sendable, Equatable, Codable {
    /// A customer at `phone` calls a service (name or number).
    case incoming(phone: String, service: String)
    /// A customer at `phone` calls `extension` directly.
    case ring(phone: String, extension: String)
    /// The party `extension` is calling answers.
    case answer(extension: String)
    /// The customer of a call hangs up: the call by its id, or the extension that has it.
    case hangup(callOrExtension: String)
    /// The caller waiting longest gives up: in the queue of a service (name or number) or of a
    /// group; in any queue when nil.
    case abandon(queue: String?)
    /// Simulated inbound calls a minute across the services from now (0 stops them).
    case traffic(callsPerMinute: Double)

    /// The most simulated calls a minute an admin may ask for.
    public static let maximumTraffic = 120.0
}

/// What the server did for a network act: how far the switch's sequence got, and what it acted on.
public struct NetworkActReceipt: Sendable, Equatable, Codable {
    public var through: UInt64
    /// The queue a caller gave up in, or the extension whose call ended or was answered.
    public var queue: String?
    public var `extension`: String?

    public init(through: UInt64, queue: String? = nil, extension ext: String? = nil) {
        self.through = through
        self.queue = queue
        self.extension = ext
    }
}
