import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@testable import AtendeIntegration

/// The log lines a server wrote, kept in memory.
private final class LogLines: Sendable {
    let lines = Mutex<[String]>([])

    func handler(label: String) -> any LogHandler { Handler(sink: self) }

    var all: [String] { lines.withLock { $0 } }

    private struct Handler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let values = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.lines.withLock { $0.append("\(event.message) \(values)") }
        }
    }
}

@Suite struct RejectionLogTests {
    @Test func theFirstRejectionIsLoggedAndTheRestOfTheSecondIsOneSummary() {
        // Given a quiet connection
        var log = RejectionLog()
        // When a rejection comes, then a million more within the second
        #expect(log.record("unterminatedFrame", now: 5) == .logNow)
        #expect(log.record("unterminatedFrame", now: 6) == .held(flushAt: 5 + RejectionLog.window))
        for i in 0..<999_999 { _ = log.record(i % 2 == 0 ? "unterminatedFrame" : "emptyFrame", now: 7 + UInt64(i)) }
        // Then the end of the second gives one line with the counts, in the order first seen
        #expect(log.flush(now: 5 + RejectionLog.window) == .init(kinds: "unterminatedFrame 500001, emptyFrame 499999", total: 1_000_000))
        // and rejections in the next second are held for the next summary, not logged one by one
        #expect(log.record("emptyFrame", now: 6 + RejectionLog.window) == .held(flushAt: 5 + 2 * RejectionLog.window))
        #expect(log.finish() == .init(kinds: "emptyFrame 1", total: 1))
        #expect(log.finish() == nil)
    }

    @Test func afterAQuietSecondTheNextRejectionIsLoggedAtOnce() {
        var log = RejectionLog()
        #expect(log.record("nonASCII", now: 0) == .logNow)
        #expect(log.flush(now: RejectionLog.window) == nil)
        #expect(log.record("nonASCII", now: RejectionLog.window + 1) == .logNow)
        #expect(log.record("nonASCII", now: 3 * RejectionLog.window) == .logNow)
    }
}

@Suite struct ScreenTransferServerTests {
    private func server(_ lines: LogLines) throws -> (ScreenTransferServer, Int) {
        let server = ScreenTransferServer(host: "127.0.0.1", port: 0, logger: Logger(label: "test", factory: lines.handler)) { command, _ in
            command == .requestDateTime ? [.dateTime(date: "d", time: "t")] : []
        }
        return (server, try server.start())
    }

    /// The system hands a connection over to the server's loop a moment after the client's
    /// connect() returns: an event fired in that moment still reaches the client, once.
    @Test func anEventFiredJustAfterAClientConnectsIsDeliveredToIt() throws {
        let lines = LogLines()
        let (server, port) = try server(lines)
        defer { server.stop() }
        for i in 10..<30 {
            // Given a client whose connect() has just returned
            let client = try CRMClient(port: port)
            // When a call rings at once
            server.broadcast(.incomingRinging(service: "40009938", phone: "48328195\(i)"))
            // Then it gets the ring, and then what follows
            #expect(try client.nextFrame() == "1;40009938;48328195\(i)")
            server.broadcast(.endedByAgent)
            #expect(try client.nextFrame() == "5")
        }
        // A client that connects once the call is over is told of no call.
        let late = try CRMClient(port: port)
        try late.send(CRMClient.frame("9999"))
        #expect(try late.nextFrame() == "9999;d;t")
    }

    /// A megabyte of STX and of empty frames from one peer: the other still gets its events and
    /// its answers, and the log says what happened in a few lines, not a line a byte.
    @Test func aFloodFromOnePeerLeavesAnotherServedAndTheLogShort() throws {
        let lines = LogLines()
        let (server, port) = try server(lines)
        let flooder = try CRMClient(port: port)
        let good = try CRMClient(port: port)
        // Given both connections are in
        try good.send(CRMClient.frame("9999"))
        #expect(try good.nextFrame() == "9999;d;t")
        // When one peer floods
        try flooder.send([UInt8](repeating: 0x02, count: 1_000_000))
        try flooder.send(Array([[UInt8]](repeating: [0x02, 0x03], count: 250_000).joined()))
        // Then the other gets its event and its answer
        server.broadcast(.endedByAgent)
        #expect(try good.nextFrame() == "5")
        try good.send(CRMClient.frame("9999"))
        #expect(try good.nextFrame() == "9999;d;t")
        // (and once the flooder's own 9999 is answered, all it sent before has been read)
        try flooder.send(CRMClient.frame("9999"))
        var seen: [String] = []
        while seen.last != "9999;d;t", seen.count < 3 {
            seen.append(try flooder.nextFrame())
        }
        #expect(seen.contains("5") && seen.last == "9999;d;t")
        server.stop()
        // and the log has a handful of lines that count what was rejected
        let rejected = lines.all.filter { $0.contains("rejected") }
        #expect(rejected.count < 20, "\(rejected.count) lines")
        let counted = rejected.compactMap { line -> Int? in
            guard let r = line.range(of: #"count=\d+"#, options: .regularExpression) else { return line.contains("frame rejected") ? 1 : nil }
            return Int(line[r].dropFirst("count=".count))
        }
        #expect(counted.reduce(0, +) == 1_250_000, "\(rejected)")
        #expect(rejected.contains { $0.contains("emptyFrame") })
    }
}
