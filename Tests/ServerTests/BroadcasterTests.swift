@testable import AtendeServer
import AtendeCore
import Foundation
import Synchronization
import Testing

/// The server's fan-out: each session gets the batches with something for its audience, encoded
/// once, and nothing else.
struct BroadcasterTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    final class Inbox: Sendable {
        let frames = Mutex<[(text: String, through: UInt64)]>([])
        func deliver(_ frame: BatchFrame) { frames.withLock { $0.append((frame.text, frame.through)) } }
        var batches: [SwitchBatch] {
            frames.withLock { $0 }.map { frame in
                guard case .batch(let b)? = try? JSONDecoder().decode(ServerLinkMessage.self, from: Data(frame.text.utf8)) else {
                    return SwitchBatch(through: 0, events: [])
                }
                return b
            }
        }
    }

    @Test func eachSessionGetsWhatConcernsItsAudienceOnly() {
        let broadcaster = Broadcaster()
        let luan = Inbox(), fabio = Inbox(), monitor = Inbox()
        broadcaster.add(UUID(), audience: .team(extension: "2071", groups: ["receptivas"]), after: 0, deliver: luan.deliver)
        broadcaster.add(UUID(), audience: .team(extension: "2050", groups: ["receptivas", "ativas"]), after: 0, deliver: fabio.deliver)
        broadcaster.add(UUID(), audience: .everything, after: 0, deliver: monitor.deliver)

        var cobranca = SwitchCall(id: UUID(), type: .inbound, phase: .queued)
        cobranca.group = "ativas"
        let ativas: [SwitchEvent] = [
            .queued(cobranca), .queueChanged(QueueFigures(group: "ativas", waiting: 1, oldestQueuedAt: now)),
            .agentChanged(AgentLine(nickname: "carla", extension: "2099", groups: ["ativas"], now: now)),
        ]
        broadcaster.publish(ativas, through: 3)
        #expect(luan.batches.isEmpty)
        #expect(fabio.batches == [SwitchBatch(through: 3, events: ativas)])
        #expect(monitor.batches == [SwitchBatch(through: 3, events: ativas)])

        // luan's own line and a receptivas call: luan gets those two events of the batch, fabio all.
        var suporte = SwitchCall(id: UUID(), type: .inbound, phase: .ringing)
        suporte.group = "receptivas"
        suporte.agent = "2071"
        let mixed: [SwitchEvent] = [.ringing(suporte), .queueChanged(QueueFigures(group: "ativas", waiting: 0, oldestQueuedAt: nil))]
        broadcaster.publish(mixed, through: 5)
        #expect(luan.batches == [SwitchBatch(through: 5, events: [.ringing(suporte)])])
        #expect(fabio.batches.last == SwitchBatch(through: 5, events: mixed))
    }

    @Test func aSessionGetsNothingItsSnapshotHadAndFollowsItsNewSeat() {
        let broadcaster = Broadcaster()
        let inbox = Inbox()
        let id = UUID()
        broadcaster.add(id, audience: .team(extension: "2071", groups: []), after: 10, deliver: inbox.deliver)
        var direct = SwitchCall(id: UUID(), type: .inbound, phase: .ringing)
        direct.agent = "2071"
        broadcaster.publish([.ringing(direct)], through: 10)
        #expect(inbox.batches.isEmpty)
        broadcaster.publish([.ringing(direct)], through: 11)
        #expect(inbox.batches.map(\.through) == [11])

        // Seated at 2090 now: calls there are the session's, calls at 2071 no longer.
        broadcaster.move(id, to: .team(extension: "2090", groups: []))
        broadcaster.publish([.ringing(direct)], through: 12)
        direct.agent = "2090"
        broadcaster.publish([.ringing(direct)], through: 13)
        #expect(inbox.batches.map(\.through) == [11, 13])

        broadcaster.remove(id)
        broadcaster.publish([.ringing(direct)], through: 14)
        #expect(inbox.batches.map(\.through) == [11, 13])
        #expect(broadcaster.count == 0)
    }

    @Test func batchesCommittedTogetherReachASessionAsOneWithoutWhatItsSnapshotHad() {
        let broadcaster = Broadcaster()
        let early = Inbox(), late = Inbox()
        broadcaster.add(UUID(), audience: .everything, after: 8, deliver: early.deliver)
        broadcaster.add(UUID(), audience: .everything, after: 10, deliver: late.deliver)
        let events: [SwitchEvent] = (0..<4).map { .queueChanged(QueueFigures(group: "receptivas", waiting: $0, oldestQueuedAt: nil)) }
        // Events 9 to 12, from two commands written in one commit.
        broadcaster.publish(events, through: 12)
        #expect(early.batches == [SwitchBatch(through: 12, events: events)])
        #expect(late.batches == [SwitchBatch(through: 12, events: Array(events[2...]))])
        broadcaster.publish([], through: 12)
        #expect(late.batches.count == 1)
    }
}
