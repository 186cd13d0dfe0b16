public import AtendeCore
import AtendeSwitch
public import AtendeWorkstation
public import Foundation
public import Logging

/// How the workstation talks to the CRM (§5.5): TCP (Annex I), TXT folders (Annex II), or not at all.
public enum ScreenTransferMode: Sendable, Equatable, CustomStringConvertible {
    case off
    case tcp(host: String, port: Int)
    case txt(directory: String)

    /// The mode of the `transfer` setting (`tcp PORT`, `txt DIR`, `off`), listening on `host`.
    public init(setting: String, host: String) {
        let parts = setting.split(separator: " ", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("tcp", 2): self = Int(parts[1]).map { .tcp(host: host, port: $0) } ?? .off
        case ("txt", 2): self = .txt(directory: parts[1])
        default: self = .off
        }
    }

    public var description: String {
        switch self {
        case .off: return "off"
        case .tcp(let host, let port): return "tcp \(host):\(port)"
        case .txt(let dir): return "txt \(dir)"
        }
    }
}

/// The REPL's side of the screen transfer: it runs CRM commands in turn with the agent's own.
public protocol ScreenTransferHost: AnyObject, Sendable {
    /// Runs `body` on the workstation between the agent's commands, shows and publishes the events
    /// it caused; a refusal is logged with `source` and changes nothing. Returns whether it ran.
    @discardableResult
    func perform(_ source: String, _ body: (Workstation) throws -> [WorkstationEvent]) -> Bool
}

/// Runs the screen transfer of the configured mode and keeps it in step with the workstation's calls.
public final class ScreenTransferController: @unchecked Sendable {
    private weak var host: (any ScreenTransferHost)?
    private let logger: Logger
    private let lock = NSLock()
    private var server: ScreenTransferServer?
    private var bridge: TXTBridge?
    private var current: ScreenTransferMode = .off
    private var registry: Registry

    public init(host: any ScreenTransferHost, registry: Registry, logger: Logger) {
        self.host = host
        self.registry = registry
        self.logger = logger
    }

    /// The mode in force, the listening port and the connected clients, for `status`.
    public var state: (mode: ScreenTransferMode, port: Int?, clients: [String]) {
        lock.withLock { (current, server?.port, server?.clientLabels ?? []) }
    }

    /// Switches to `mode` (restarting only when it changed); TXT needs the agent's extension.
    public func apply(_ mode: ScreenTransferMode, extension ext: String?) throws {
        try lock.withLock {
            if mode == current && (server != nil || bridge != nil || mode == .off) { return }
            server?.stop()
            server = nil
            bridge?.stop()
            bridge = nil
            current = .off
            switch mode {
            case .off:
                break
            case .tcp(let host, let port):
                let s = ScreenTransferServer(host: host, port: port, logger: logger) { [weak self] command, client in
                    self?.run(command, from: "crm \(client)") ?? []
                }
                let bound = try s.start()
                server = s
                current = .tcp(host: host, port: port)
                logger.info("screen transfer listening", metadata: ["host": "\(host)", "port": "\(bound)"])
            case .txt(let directory):
                guard let ext, !ext.isEmpty else { return }
                let b = TXTBridge(
                    directory: URL(fileURLWithPath: directory), extension: ext,
                    onCommand: { [weak self] command in self?.run(command) },
                    log: { [logger] line in logger.warning("\(line)") })
                try b.start()
                bridge = b
                current = mode
                logger.info("screen transfer watching", metadata: ["folder": "\(b.folder.path)"])
            }
        }
    }

    public func stop() {
        lock.withLock {
            server?.stop()
            bridge?.stop()
            server = nil
            bridge = nil
            current = .off
        }
    }

    /// Tells the CRM what happened to the agent's calls.
    public func publish(_ event: WorkstationEvent) {
        let (server, bridge, registry) = lock.withLock { (self.server, self.bridge, self.registry) }
        if let server, let frame = CRMEvents.frame(for: event, registry: registry) {
            server.broadcast(frame)
        }
        if let bridge, case .ringing(let call, _) = event, call.type != .internal, let phone = call.phone {
            do {
                try bridge.incomingCall(number: CRMEvents.national(phone))
            } catch {
                logger.warning("LE.txt not written", metadata: ["reason": "\(error)"])
            }
        }
    }

    private func run(_ command: CRMCommand, from source: String) -> [CRMEvent] {
        guard let host else { return [] }
        var replies: [CRMEvent] = []
        host.perform(source) { ws in
            if command == .requestDateTime {
                replies.append(.dateTime(ws.now, calendar: ws.calendar))
                return []
            }
            return try CRMActions.apply(command, to: ws)
        }
        return replies
    }

    private func run(_ command: TXTCommand) {
        host?.perform("crm txt") { ws in try CRMActions.apply(command, to: ws) }
    }
}
