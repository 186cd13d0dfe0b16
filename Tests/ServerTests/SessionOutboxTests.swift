@testable import AtendeServer
import AtendeCore
import Foundation
import Testing

/// A session's outgoing buffer: everything waiting taken at once, consecutive batches written as
/// one message, and a client too far behind left with a goodbye.
struct SessionOutboxTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func frame(_ through: UInt64, _ events: [SwitchEvent]) -> BatchFrame {
        BatchFrame(through: through, events: events.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) })
    }

    func decode(_ text: String) -> ServerLinkMessage? {
        try? JSONDecoder().decode(ServerLinkMessage.self, from: Data(text.utf8))
    }

    @Test func batchesThatWaitedTogetherGoOutAsOneMessageInOrderAroundTheReplies() async {
        let a = SwitchEvent.queueChanged(QueueFigures(group: "receptivas", waiting: 1, oldestQueuedAt: now))
        let b = SwitchEvent.agentChanged(AgentLine(nickname: "luan", extension: "2071", groups: ["receptivas"], now: now))
        let c = SwitchEvent.queueChanged(QueueFigures(group: "receptivas", waiting: 0, oldestQueuedAt: nil))
        let outbox = SessionOutbox(limit: 10)
        outbox.push(.batch(frame(3, [a])))
        outbox.push(.batch(frame(5, [b, a])))
        outbox.push(.message(.pong(7)))
        outbox.push(.batch(frame(6, [c])))
        let items = await outbox.take()
        #expect(items.count == 4 && outbox.count == 0)

        let messages = SwitchSession.messages(items)
        #expect(messages.map(\.through) == [5, nil, 6])
        #expect(decode(messages[0].text) == .batch(SwitchBatch(through: 5, events: [a, b, a])))
        #expect(decode(messages[1].text) == .pong(7))
        #expect(decode(messages[2].text) == .batch(SwitchBatch(through: 6, events: [c])))
        #expect(messages.allSatisfy { !$0.last })
    }

    @Test func batchesWrittenTogetherAreCutAtTheMessageLimit() async {
        let big = String(repeating: "x", count: 200 * 1024)
        let line = SwitchEvent.agentChanged(AgentLine(nickname: big, extension: "2071", groups: [], now: now))
        let outbox = SessionOutbox(limit: 10)
        for n: UInt64 in 1...5 { outbox.push(.batch(frame(n, [line]))) }
        let messages = SwitchSession.messages(await outbox.take())
        // 200 KiB each, at most 512 KiB a message: two, two and one.
        #expect(messages.map(\.through) == [2, 4, 5])
        #expect(messages.allSatisfy { $0.text.utf8.count < SwitchSession.mergedMessageLimit + 4096 })
        #expect(decode(messages[0].text) == .batch(SwitchBatch(through: 2, events: [line, line])))
    }

    @Test func aSessionTooFarBehindIsLeftWithAGoodbyeAndTakesNothingMore() async {
        let outbox = SessionOutbox(limit: 3)
        for n: UInt64 in 1...3 { #expect(outbox.push(.message(.pong(n))) == .queued) }
        #expect(outbox.push(.message(.pong(4))) == .overflowed)
        #expect(outbox.push(.message(.pong(5))) == .finished)
        let items = await outbox.take()
        let messages = SwitchSession.messages(items)
        #expect(messages.count == 1 && messages[0].last)
        #expect(decode(messages[0].text) == .goodbye("too far behind"))
        #expect(await outbox.take().isEmpty)
    }

    @Test func aWriterWaitingIsWokenAndAFinishedOutboxEndsWithItsLastMessage() async {
        let outbox = SessionOutbox(limit: 10)
        async let first = outbox.take()
        // The writer may be waiting already or not yet: either way it gets the pong.
        outbox.push(.message(.pong(1)))
        #expect(SwitchSession.messages(await first).map { decode($0.text) } == [.pong(1)])
        outbox.push(.message(.pong(2)))
        outbox.finish(with: .goodbye("server shutting down"))
        let rest = SwitchSession.messages(await outbox.take())
        #expect(rest.map { decode($0.text) } == [.pong(2), .goodbye("server shutting down")])
        #expect(rest.last?.last == true)
        #expect(outbox.push(.message(.pong(3))) == .finished)
        #expect(await outbox.take().isEmpty)
    }
}
