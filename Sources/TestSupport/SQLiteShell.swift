public import Foundation

/// The `sqlite3` command-line shell on a database, as another program holding it would: tests
/// type statements into it and wait for what it prints.
///
/// For example:
/// ```swift
/// let shell = try SQLiteShell(path: dir.file("atende.sqlite").path)
/// try shell.run("BEGIN IMMEDIATE;")   // holds the write lock until COMMIT
/// ```
public final class SQLiteShell: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let changed = NSCondition()
    private var text = ""
    private var count = 0

    public init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            changed.withLock {
                text += String(decoding: d, as: UTF8.self)
                changed.broadcast()
            }
        }
        try process.run()
    }

    /// Runs `sql` and waits (at most `timeout` seconds) until the shell has done it; returns what
    /// it printed meanwhile.
    @discardableResult
    public func run(_ sql: String, timeout: TimeInterval = 10) throws -> String {
        count += 1
        let mark = "done-\(count)"
        let start = changed.withLock { text.endIndex }
        input.fileHandleForWriting.write(Data((sql + "\nSELECT '\(mark)';\n").utf8))
        let deadline = Date().addingTimeInterval(timeout)
        changed.lock()
        defer { changed.unlock() }
        while !text[start...].contains(mark) {
            guard changed.wait(until: deadline) else {
                throw CRMClient.Failure(description: "sqlite3 did not finish \(sql) in \(timeout) s: \(text[start...])")
            }
        }
        return String(text[start...]).replacingOccurrences(of: mark + "\n", with: "")
    }

    /// Ends the shell (an open transaction is rolled back).
    public func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
