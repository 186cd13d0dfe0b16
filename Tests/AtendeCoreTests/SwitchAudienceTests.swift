import AtendeCore
import Foundation
import Testing

/// What a team member on the server follows of the floor (SwitchAudience.team), and the batch
/// text the server builds from events encoded once.
struct SwitchAudienceTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let luan = SwitchAudience.team(extension: "2071", groups: ["receptivas"])

    func line(_ ext: String, _ groups: [String]) -> AgentLine {
        AgentLine(nickname: "a\(ext)", extension: ext, groups: groups, now: now)
    }

    func call(group: String? = nil, agent: String? = nil, from: String? = nil) -> SwitchCall {
        var c = SwitchCall(id: UUID(), type: group == nil ? .internal : .inbound, phase: .ringing)
        c.group = group
        c.agent = agent
        c.from = from
        return c
    }

    @Test func aTeamMemberSeesTheirGroupsAgentsAndQueuesOnly() {
        #expect(luan.concerns(.agentChanged(line("2071", []))))
        #expect(luan.concerns(.agentChanged(line("2050", ["Receptivas", "ativas"]))))
        #expect(!luan.concerns(.agentChanged(line("2099", ["ativas"]))))
        #expect(luan.concerns(.queueChanged(QueueFigures(group: "RECEPTIVAS", waiting: 1, oldestQueuedAt: now))))
        #expect(!luan.concerns(.queueChanged(QueueFigures(group: "ativas", waiting: 1, oldestQueuedAt: now))))
    }

    @Test func aTeamMemberSeesTheirGroupsQueueCallsAndTheirOwnCalls() {
        #expect(luan.concerns(.queued(call(group: "receptivas"))))
        #expect(!luan.concerns(.queued(call(group: "ativas"))))
        #expect(!luan.concerns(.ringing(call(group: "ativas", agent: "2050"))))
        // A call of another group that comes to luan (transferred, captured) is luan's.
        #expect(luan.concerns(.ringing(call(group: "ativas", agent: "2071"))))
        #expect(luan.concerns(.transferred(call(group: "ativas", agent: "2050"), from: "2071", to: "2050")))
        #expect(luan.concerns(.dialing(call(from: "2071"))))
        #expect(!luan.concerns(.dialing(call(from: "2050"))))
        // The standalone workstation keeps the whole floor, bar other groups' queue figures.
        let alone = SwitchAudience.workstation(extension: "2071", groups: ["receptivas"])
        #expect(alone.concerns(.queued(call(group: "ativas"))))
        #expect(!alone.concerns(.queueChanged(QueueFigures(group: "ativas", waiting: 1, oldestQueuedAt: now))))
        #expect(SwitchAudience.everything.concerns(.queueChanged(QueueFigures(group: "ativas", waiting: 1, oldestQueuedAt: now))))
    }

    @Test func theBatchTextDecodesAsTheBatch() throws {
        let events: [SwitchEvent] = [.agentChanged(line("2071", ["receptivas"])), .queued(call(group: "receptivas")), .ended(call(), reason: .agent, by: "2071")]
        let texts = try events.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let text = ServerLinkMessage.batchText(through: 42, encodedEvents: texts)
        let decoded = try JSONDecoder().decode(ServerLinkMessage.self, from: Data(text.utf8))
        #expect(decoded == .batch(SwitchBatch(through: 42, events: events)))
        let empty = try JSONDecoder().decode(ServerLinkMessage.self, from: Data(ServerLinkMessage.batchText(through: 7, encodedEvents: []).utf8))
        #expect(empty == .batch(SwitchBatch(through: 7, events: [])))
    }
}
