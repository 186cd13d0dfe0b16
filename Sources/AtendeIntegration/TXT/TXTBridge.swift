public import Foundation
import Dispatch
import Glibc

/// The TXT screen-transfer bridge of Annex II: one folder per extension, `LE.txt` out, `LA`/`LS`/`LD.txt` in.
///
/// Command files are polled every `pollInterval` on a private serial queue, claimed by renaming them to
/// `<name>.processing-<unix-ms>`, executed once through `onCommand` and then deleted. When several are
/// present they run oldest modification time first (ties: LD, LA, LS); a command that is not ready yet
/// (an `LS.txt` still being written) holds back the newer ones so the CRM's order is kept.
public final class TXTBridge: @unchecked Sendable {
    /// The watched command files, in tie-break order for equal modification times.
    static let commandNames = ["LD.txt", "LA.txt", "LS.txt"]
    /// How long an `LS.txt` may stay empty or invalid before it is moved aside.
    static let staleAfter: TimeInterval = 2
    /// The largest `LS.txt` read; anything bigger is invalid.
    static let maxCommandBytes = 1024

    let directory: URL
    let extensionName: String
    let pollInterval: TimeInterval
    let now: @Sendable () -> Date
    let onCommand: @Sendable (TXTCommand) -> Void
    let log: @Sendable (String) -> Void

    let queue = DispatchQueue(label: "atende.txt-bridge")
    let queueKey = DispatchSpecificKey<Bool>()
    let timerLock = NSLock()
    var timer: (any DispatchSourceTimer)?

    /// The last stamp of each command file and when it last changed; touched only on `queue`.
    var sightings: [String: TXTSighting] = [:]
    /// Problems already logged that cannot be fixed by moving the file aside; touched only on `queue`.
    var reported: Set<String> = []

    /// Creates a stopped bridge for `directory/extension`.
    public init(directory: URL, extension: String, pollInterval: TimeInterval = 0.1,
                now: @escaping @Sendable () -> Date = { Date() },
                onCommand: @escaping @Sendable (TXTCommand) -> Void,
                log: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.extensionName = `extension`
        self.pollInterval = max(pollInterval, 0.01)
        self.now = now
        self.onCommand = onCommand
        self.log = log
        queue.setSpecific(key: queueKey, value: true)
    }

    deinit {
        timer?.cancel()
    }

    /// The extension's folder: `directory/extension`.
    public var folder: URL {
        directory.appendingPathComponent(extensionName, isDirectory: true)
    }

    /// Creates the folders if needed and starts polling; does nothing when already running.
    public func start() throws {
        try prepareFolder()
        timerLock.lock()
        defer { timerLock.unlock() }
        guard timer == nil else { return }
        reportLeftovers()
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + pollInterval, repeating: pollInterval, leeway: .milliseconds(10))
        source.setEventHandler { [weak self] in self?.scan() }
        source.resume()
        timer = source
    }

    /// Stops polling and waits for a poll in progress to finish.
    public func stop() {
        timerLock.lock()
        let source = timer
        timer = nil
        timerLock.unlock()
        source?.cancel()
        if DispatchQueue.getSpecific(key: queueKey) != true { queue.sync {} }
    }

    /// Writes `LE.txt` with the caller's digits atomically, replacing one the CRM left behind.
    public func incomingCall(number: String) throws {
        guard let digits = TXTNumber.digitsOnly(number) else { throw TXTBridgeError.invalidNumber }
        try prepareFolder()
        let path = folder.path
        let replacing = TXTFileSystem.exists("\(path)/LE.txt")
        try TXTFileSystem.writeAtomically(Array(digits.utf8), folder: path, name: "LE.txt")
        log(replacing
            ? "LE.txt replaced an unread previous one with \(TXTNumber.redacted(digits))."
            : "LE.txt written with \(TXTNumber.redacted(digits)).")
    }

    /// Runs one scan of the folder on the bridge's queue (used by tests and by the timer).
    func pollOnce() {
        if DispatchQueue.getSpecific(key: queueKey) == true { scan() } else { queue.sync { scan() } }
    }

    /// Creates the extension's folder (mode 0755) inside `directory`, which must exist; a folder
    /// that is a symbolic link is refused, so files are never written somewhere else.
    func prepareFolder() throws {
        guard !extensionName.isEmpty, extensionName != ".", extensionName != "..",
              !extensionName.contains("/"), !extensionName.contains("\0") else {
            throw TXTBridgeError.invalidExtension(extensionName)
        }
        guard TXTFileSystem.isDirectory(directory.path) else { throw TXTBridgeError.missingFolder(directory.path) }
        let path = folder.path
        if TXTFileSystem.isSymlink(path) { throw TXTBridgeError.symlinkedFolder(path) }
        guard !TXTFileSystem.exists(path) else { return }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw TXTBridgeError.io(operation: "mkdir", path: path, errno: errno)
        }
        _ = chmod(path, 0o755)
    }

    /// Logs claimed files left by a run that stopped between claiming and deleting them.
    func reportLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.contains(".processing-") {
            log("\(name) was left by an interrupted run; it may not have been executed and is kept for review.")
        }
    }
}
