public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare CRM peer over a real loopback socket: sends raw bytes, reads frames as they come.
public final class CRMClient {
    private let fd: Int32
    private var pending: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects to `127.0.0.1:port`.
    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect to \(port): errno \(errno)")
        }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// `STX fields ETX` for a frame's text, for example `frame("3;;;;32819500")`.
    public static func frame(_ text: String) -> [UInt8] { [0x02] + Array(text.utf8) + [0x03] }

    /// The next frame's text (between STX and ETX), waiting at most `timeout` seconds.
    public func nextFrame(timeout: TimeInterval = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let start = pending.firstIndex(of: 0x02), let end = pending[start...].firstIndex(of: 0x03) {
                let text = String(decoding: pending[(start + 1)..<end], as: UTF8.self)
                pending.removeSubrange(...end)
                return text
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "no frame within \(timeout) s; have \(pending)") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(left * 1000)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw Failure(description: "connection closed") }
            pending += buffer[..<n]
        }
    }

    /// Whether no byte arrives within `timeout` seconds.
    public func staysQuiet(for timeout: TimeInterval) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return pending.isEmpty && poll(&poller, 1, Int32(timeout * 1000)) == 0
    }
}

/// The `atende` binary kept running with a pipe on its standard input, for tests that talk to it
/// while it runs (screen transfer).
public final class RunningAtende: @unchecked Sendable {
    public let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    /// Guards the texts; signalled whenever the process writes, so waiting needs no polling.
    private let changed = NSCondition()
    private var outText = ""
    private var errText = ""

    /// `discardingOutput`: standard output goes to /dev/null, as with `atende … >/dev/null`.
    public init(_ arguments: [String], environment: [String: String] = [:], discardingOutput: Bool = false) throws {
        process.executableURL = AtendeBinary.url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = input
        process.standardOutput = discardingOutput ? FileHandle.nullDevice : output
        process.standardError = errors
        if !discardingOutput {
            output.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                self?.received { $0.outText += String(decoding: d, as: UTF8.self) }
            }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            self?.received { $0.errText += String(decoding: d, as: UTF8.self) }
        }
        try process.run()
    }

    public var stdout: String { changed.withLock { outText } }
    public var stderr: String { changed.withLock { errText } }

    private func received(_ append: (RunningAtende) -> Void) {
        changed.withLock {
            append(self)
            changed.broadcast()
        }
    }

    /// Waits until `condition` holds of (standard output, standard error), woken by each write of
    /// the process, at most `timeout` seconds; returns whether it held.
    public func waitUntil(timeout: TimeInterval = 5, _ condition: (_ stdout: String, _ stderr: String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        changed.lock()
        defer { changed.unlock() }
        while !condition(outText, errText) {
            guard changed.wait(until: deadline) else { return condition(outText, errText) }
        }
        return true
    }

    /// Types a line into the REPL.
    /// A process that has ended (killed by a test) takes nothing: the line is dropped, not a crash.
    public func type(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Waits until standard output (or error) contains `text`, at most `timeout` seconds; returns whether it did.
    @discardableResult
    public func waitFor(_ text: String, inErrors: Bool = false, timeout: TimeInterval = 5) -> Bool {
        waitUntil(timeout: timeout) { out, err in (inErrors ? err : out).contains(text) }
    }

    /// Closes the input and waits for the exit status.
    public func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        errors.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
