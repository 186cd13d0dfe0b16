extension FaultProxy {
    /// Which way bytes travel through the proxy: from the client that connected to it towards the
    /// server it forwards to, or back.
    public enum Direction: Sendable, Hashable, CaseIterable {
        case toServer
        case toClient
        /// Both ways at once.
        case both

        func covers(_ flow: Flow) -> Bool {
            switch self {
            case .both: true
            case .toServer: flow == .toServer
            case .toClient: flow == .toClient
            }
        }
    }

    /// One way of one connection (what a ``Direction`` covers).
    enum Flow: Sendable, Hashable, CaseIterable {
        case toServer, toClient
    }

    /// What the proxy does to the traffic until it is told otherwise (``FaultProxy/heal()``).
    public enum Fault: Sendable, Hashable {
        /// A black hole: every byte (and end of stream) going that way is dropped while the
        /// connections stay open, so the side waiting for them sees a hang. When forwarding that
        /// way resumes, every connection that lost something that way is reset: TCP never
        /// delivers a stream with a hole in it, it gives up on the connection.
        case partition(Direction)
        /// Every chunk, both ways, is forwarded `milliseconds` after it was read, in order.
        case delay(milliseconds: Int)
        /// New connections are reset as soon as they are accepted; the ones open when the fault
        /// is set are reset too.
        case refuse

        func drops(_ flow: Flow) -> Bool {
            if case .partition(let direction) = self { return direction.covers(flow) }
            return false
        }
    }

    /// What went through the proxy since it started, for a harness's report.
    public struct Stats: Sendable, Hashable {
        /// Connections accepted and forwarded to the server (the refused ones are not counted).
        public var accepted = 0
        /// Connections reset at once because the proxy was refusing.
        public var refused = 0
        /// Connections open now (forwarded, not yet closed on both sides).
        public var open = 0
        /// Bytes forwarded to the server, and to the clients.
        public var bytesToServer = 0
        public var bytesToClient = 0
        /// Bytes dropped by a partition, each way.
        public var droppedToServer = 0
        public var droppedToClient = 0
        /// Connections the proxy reset (`resetAll`, `refuse`, a partition healed over lost bytes,
        /// a server that could not be reached), the refused ones not counted.
        public var resets = 0

        public init() {}
    }
}
