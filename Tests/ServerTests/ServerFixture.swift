import AtendeCore
import AtendeRemote
import Foundation
import Logging
import TestSupport

/// A real `atende server` process on a free port of the loopback, with its own data folder.
final class RunningServer: @unchecked Sendable {
    let process: RunningAtende
    let dir: URL
    let port: Int
    /// With `--tls-cert`: the CA file the clients trust (the test's self-signed certificate).
    let caCertificate: String?
    var address: ServerAddress {
        var a = ServerAddress((caCertificate != nil ? "https://" : "") + "127.0.0.1:\(port)")!
        a.caCertificate = caCertificate
        return a
    }
    var client: ServerClient { ServerClient(server: address) }
    var database: String { dir.appendingPathComponent("server.sqlite").path }

    init(dir: URL, port: Int = 0, arguments: [String] = [], caCertificate: String? = nil) throws {
        self.dir = dir
        self.caCertificate = caCertificate
        process = try RunningAtende(["server", "--port", "\(port)", "--data-dir", dir.path] + arguments)
        var found = 0
        let announced = "listening on " + (caCertificate != nil ? "https://" : "") + "127.0.0.1:"
        _ = process.waitUntil(timeout: 30) { out, _ in
            guard let range = out.range(of: announced) else { return false }
            let digits = out[range.upperBound...].prefix { $0.isNumber }
            found = Int(digits) ?? 0
            return found > 0
        }
        guard found > 0 else { throw ServerFixtureError.didNotStart(process.stdout + process.stderr) }
        self.port = found
    }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 {
        process.process.terminate()
        process.process.waitUntilExit()
        return process.process.terminationStatus
    }

    /// SIGKILL: the server vanishes mid-whatever.
    func kill() {
        Foundation.kill(process.process.processIdentifier, SIGKILL)
        process.process.waitUntilExit()
    }

    /// Logs `agent` in (creating the password on the first login) and returns the session.
    func login(_ agent: String, password: String = "Segredo-123") async throws(ServerProblem) -> ServerLogin {
        try await client.login(agent: agent, password: password)
    }

    /// An agent's link to the switch, connected, with a follower of its feed.
    func link(_ agent: String, monitor: Bool = false) async throws -> (RemoteSwitchLink, FeedFollower) {
        let session = try await login(agent)
        let link = RemoteSwitchLink(server: address, token: session.token, logger: Logger(label: "test.\(agent)"), monitor: monitor)
        let follower = FeedFollower(await link.events(for: .everything))
        await link.start()
        return (link, follower)
    }

    /// One value the `sqlite3` shell prints for `sql` on the server's database.
    func query(_ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", database, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

enum ServerFixtureError: Error { case didNotStart(String) }

/// Follows a link's feed; `next(within:where:)` waits for the first item that matches.
actor FeedFollower {
    private var items: [SwitchFeed] = []
    private var seen = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var finished = false

    init(_ feed: AsyncStream<SwitchFeed>) {
        Task { await self.follow(feed) }
    }

    private func follow(_ feed: AsyncStream<SwitchFeed>) async {
        for await item in feed {
            items.append(item)
            wakeAll()
        }
        finished = true
        wakeAll()
    }

    /// The first item not yet taken that matches; the items before it are taken too. Nil when the
    /// feed ends first. No timer: a test that waits in vain is stopped by its suite's time limit.
    func next(within seconds: Double = 10, where match: @Sendable (SwitchFeed) -> Bool) async -> SwitchFeed? {
        while true {
            while seen < items.count {
                let item = items[seen]
                seen += 1
                if match(item) { return item }
            }
            guard !finished else { return nil }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// The next event (inside a batch) that matches.
    func event(within seconds: Double = 10, where match: @escaping @Sendable (SwitchEvent) -> Bool) async -> SwitchEvent? {
        let found = await next(within: seconds) { item in
            if case .batch(let b) = item { return b.events.contains(where: match) }
            return false
        }
        guard case .batch(let b)? = found else { return nil }
        return b.events.first(where: match)
    }

    /// Every item received so far.
    var received: [SwitchFeed] { items }

    private func wakeAll() {
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
