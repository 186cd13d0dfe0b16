public import Foundation

/// What a run of the `atende` binary printed and how it ended.
public struct RunResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs the built `atende` executable, as a user would, with piped input.
///
/// For example:
/// ```swift
/// let r = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en"], input: "help\n")
/// #expect(r.status == 0)
/// ```
public enum AtendeBinary {
    /// The `atende` built next to the test bundle (or `ATENDE_BIN`).
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["ATENDE_BIN"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test runner is `<products>/<Package>PackageTests.xctest`; elsewhere it may sit deeper.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("atende")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/atende")
    }

    /// Runs `atende ARGS` with `input` on its standard input (not a terminal: script mode).
    public static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        // Tests run side by side: no screen-transfer listener unless a test asks for one.
        env["ATENDE_TRANSFER"] = "off"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both outputs while writing, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
