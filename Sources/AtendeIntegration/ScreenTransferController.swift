public import AtendeCore
public import AtendeWorkstation
import Foundation
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

/// Runs the screen transfer of the configured mode and keeps it in step with the workstation's calls.
///
/// A subscriber of the workstation's events in its own right: a CRM gets its frames whatever the
/// REPL prints (or not). CRM commands run on the workstation one after another, through the same
/// rules as typed ones; a refusal goes to `refused` (the REPL prints it) and changes nothing.
public final class ScreenTransferController: @unchecked Sendable {
    private let workstation: Workstation
    private let refused: @Sendable (String, any Error) -> Void
    private let commands: AsyncStream<(source: String, body: @Sendable (Workstation) async throws -> Void)>.Continuation
    private var tasks: [Task<Void, Never>] = []
    private let logger: Logger
    private let lock = NSLock()
    private var server: ScreenTransferServer?
    private var bridge: TXTBridge?
    private var current: ScreenTransferMode = .off
    private var registry: Registry

    public init(
        workstation: Workstation, logger: Logger, refused: @escaping @Sendable (_ source: String, _ error: any Error) -> Void
    ) {
        self.workstation = workstation
        registry = workstation.registry
        self.logger = logger
        self.refused = refused
        let (stream, continuation) = AsyncStream.makeStream(
            of: (source: String, body: @Sendable (Workstation) async throws -> Void).self, bufferingPolicy: .bufferingOldest(256))
        commands = continuation
        let events = workstation.subscribe()
        tasks = [
            Task { [weak self] in
                for await numbered in events { self?.publish(numbered.event) }
            },
            Task { [workstation, refused] in
                for await command in stream {
                    do {
                        try await command.body(workstation)
                    } catch {
                        refused(command.source, error)
                    }
                }
            },
        ]
    }

    deinit {
        commands.finish()
        tasks.forEach { $0.cancel() }
    }

    /// The mode in force, the listening port and the connected clients, for `status`.
    public var state: (mode: ScreenTransferMode, port: Int?, clients: [String]) {
        lock.withLock { (current, server?.port, server?.clientLabels ?? []) }
    }

    /// Switches to `mode` (restarting only when it changed); TXT needs the agent's extension.
    ///
    /// A mode that cannot start (a port taken, an address not of this machine, a folder that
    /// cannot be made) throws ``AtendeError/transferCannotListen(address:problem:)`` or
    /// ``AtendeError/transferFolderUnusable(path:problem:)`` (``AtendeError/transferFolderMissing(_:)``
    /// for a TXT folder that does not exist, ``AtendeError/refusedSymlink(_:)`` for an extension
    /// folder that is a symbolic link), and the mode in force before goes on.
    public func apply(_ mode: ScreenTransferMode, extension ext: String?) throws(AtendeError) {
        lock.lock()
        defer { lock.unlock() }
        if mode == current && (server != nil || bridge != nil || mode == .off) { return }
        let previous = (server != nil || bridge != nil) ? current : ScreenTransferMode.off
        server?.stop()
        server = nil
        bridge?.stop()
        bridge = nil
        current = .off
        do {
            try start(mode, extension: ext)
        } catch {
            // The port or folder given up above is normally still free to take again.
            try? start(previous, extension: ext)
            throw error
        }
    }

    /// Starts `mode`; called with the lock held and nothing running.
    private func start(_ mode: ScreenTransferMode, extension ext: String?) throws(AtendeError) {
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
            do {
                try b.start()
            } catch let TXTBridgeError.io(_, path, code) {
                throw .transferFolderUnusable(path: path, problem: SystemProblem(errno: code))
            } catch let TXTBridgeError.missingFolder(path) {
                throw .transferFolderMissing(path)
            } catch let TXTBridgeError.symlinkedFolder(path) {
                throw .refusedSymlink(path)
            } catch TXTBridgeError.invalidExtension {
                throw .transferFolderUnusable(path: b.folder.path, problem: .notADirectory)
            } catch {
                throw .transferFolderUnusable(path: b.folder.path, problem: SystemProblem(creatingFolder: b.folder.path, error))
            }
            bridge = b
            current = mode
            logger.info("screen transfer watching", metadata: ["folder": "\(b.folder.path)"])
        }
    }

    public func stop() {
        commands.finish()
        lock.withLock {
            server?.stop()
            bridge?.stop()
            server = nil
            bridge = nil
            current = .off
        }
    }

    /// Tells the CRM what happened to the agent's calls.
    func publish(_ event: WorkstationEvent) {
        let (server, bridge, registry) = lock.withLock { (self.server, self.bridge, self.registry) }
        if let server, let frame = CRMEvents.frame(for: event, registry: registry) {
            server.broadcast(frame)
        }
        if let bridge, case .ringing(let call, _) = event, call.type != .internal, let phone = call.phone {
            do {
                try bridge.incomingCall(number: CRMEvents.national(phone))
                logger.info("LE.txt written", metadata: ["folder": "\(bridge.folder.path)"])
            } catch {
                logger.warning("LE.txt not written", metadata: ["reason": "\(error)"])
            }
        }
    }

    /// Queues a CRM command; the date and time (9999) is answered at once.
    private func run(_ command: CRMCommand, from source: String) -> [CRMEvent] {
        if command == .requestDateTime { return [.dateTime(workstation.now, calendar: workstation.calendar)] }
        enqueue(source) { ws in _ = try await CRMActions.apply(command, to: ws) }
        return []
    }

    private func run(_ command: TXTCommand) {
        enqueue("crm txt") { ws in _ = try await CRMActions.apply(command, to: ws) }
    }

    /// Queues a CRM command behind the others (at most 256 wait; a flood beyond is dropped and logged).
    private func enqueue(_ source: String, _ body: @escaping @Sendable (Workstation) async throws -> Void) {
        if case .dropped = commands.yield((source, body)) {
            logger.warning("screen transfer command dropped: too many waiting", metadata: ["crm.peer": "\(source)"])
        }
    }
}
