import AtendeCore
import Foundation
import Testing

/// The server's own JSON for switch events reads back, with the workstation's decoder, as the
/// very event `JSONEncoder` would have written.
struct SwitchEventTextTests {
    func call(_ rng: inout SplitMix64) -> SwitchCall {
        var c = SwitchCall(id: UUID(), ordinal: Int.random(in: 0...99_999, using: &rng), type: CallType.allCases.randomElement(using: &rng)!,
                           phase: [.queued, .ringing, .dialing, .connected, .ended].randomElement(using: &rng)!)
        func maybe<T>(_ v: T) -> T? { Bool.random(using: &rng) ? v : nil }
        c.service = maybe("Suporte \"técnico\"")
        c.group = maybe("receptivas")
        c.phone = maybe("+5548999990000")
        c.from = maybe("2050")
        c.agent = maybe("2071")
        c.to = maybe("20\\72")
        c.onHold = Bool.random(using: &rng)
        c.joined = Bool.random(using: &rng) ? ["2090", "2091"] : []
        c.consultOf = maybe(UUID())
        c.declinedBy = Bool.random(using: &rng) ? ["2050"] : []
        c.queuedAt = maybe(Date(timeIntervalSince1970: 1_780_000_000.123 + Double.random(in: 0...1e6, using: &rng)))
        c.ringingAt = maybe(Date(timeIntervalSinceReferenceDate: Double.random(in: -1e9...1e9, using: &rng)))
        c.answeredAt = maybe(Date(timeIntervalSince1970: 0.000_001))
        c.endedAt = maybe(Date())
        return c
    }

    func line(_ rng: inout SplitMix64) -> AgentLine {
        var l = AgentLine(nickname: "zé\n\t\u{1}", extension: "2050", groups: ["receptivas", "COBRANÇA"], now: Date())
        l.loggedIn = Bool.random(using: &rng)
        l.pause = Bool.random(using: &rng) ? "Lanche" : nil
        l.pausedSince = l.pause.map { _ in Date(timeIntervalSince1970: 1_780_000_123.456) }
        l.wrapUp = Bool.random(using: &rng)
        l.helpRequested = Bool.random(using: &rng)
        l.state = ExtensionState.allCases.randomElement(using: &rng)!
        l.currentCall = Bool.random(using: &rng) ? UUID() : nil
        l.heldCall = Bool.random(using: &rng) ? UUID() : nil
        return l
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyEventReadsBackAsItself(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for _ in 0..<200 {
            let c = call(&rng)
            let events: [SwitchEvent] = [
                .agentChanged(line(&rng)), .queued(c), .ringing(c), .dialing(c), .connected(c), .held(c), .retrieved(c),
                .conferenced(c), .ringNoAnswer(c, extension: "2050"), .declined(c, extension: "2071"), .left(c, extension: "2090"),
                .transferred(c, from: "2050", to: "2071"), .captured(c, from: "2050", by: "2071"), .barged(c, by: "2099"),
                .ended(c, reason: .abandonedInQueue, by: nil), .ended(c, reason: .agent, by: "2050"),
                .queueChanged(QueueFigures(group: "receptivas", waiting: 3, oldestQueuedAt: Bool.random(using: &rng) ? Date() : nil)),
            ]
            for event in events {
                let read = try JSONDecoder().decode(SwitchEvent.self, from: Data(event.jsonText.utf8))
                #expect(read == event, "\(event.jsonText)")
            }
        }
    }
}
