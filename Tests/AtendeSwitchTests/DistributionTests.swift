import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

@Suite("Queue distribution, ring timeout and abandons")
struct DistributionTests {
    @Test("a queue call rings the longest-idle agent of its group")
    func longestIdleFirst() throws {
        // Given fabio, luan and intelbras logged in at 0, 1 and 2 s
        let pabx = try makeSwitch(loggedIn: [fabio, luan, intelbras])

        // When three customers call Suporte
        let first = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(11))
        _ = try pabx.incoming(phone: "+5548988887777", service: "40009938", now: at(12))

        // Then they ring fabio, luan and intelbras, in that order
        #expect(
            describe(first) == [
                "queued #1", "queue receptivas 1", "ringing #1 at 2050", "agent 2050 ringing", "queue receptivas 0",
            ])
        #expect(pabx.calls(at: fabio).current?.ordinal == 1)
        #expect(pabx.calls(at: luan).current?.ordinal == 2)
        #expect(pabx.calls(at: intelbras).current?.ordinal == 3)
        let call = try #require(pabx.calls(at: fabio).current)
        #expect(call.phase == .ringing)
        #expect(call.ringingAt == at(10))
        #expect(call.queuedAt == at(10))
        #expect(call.service == "Suporte")
        #expect(call.group == "receptivas")
        #expect(call.phone == customer)
    }

    @Test("the agent whose call ended last waits longest for the next")
    func idleSinceFollowsTheEndOfCalls() throws {
        // Given fabio and luan each on a call, luan's ending before fabio's
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(11))
        _ = try pabx.answer(extension: fabio, now: at(12))
        _ = try pabx.answer(extension: luan, now: at(13))
        _ = try pabx.hangup(extension: luan, now: at(20))
        _ = try pabx.hangup(extension: fabio, now: at(30))
        #expect(pabx.line(luan)?.idleSince == at(20))
        #expect(pabx.line(fabio)?.idleSince == at(30))

        // When the next customer calls
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(40))

        // Then it rings luan, idle the longest
        #expect(pabx.state(luan) == .ringing)
        #expect(pabx.state(fabio) == .free)
    }

    @Test("agents idle since the same instant are tried by extension")
    func tiesGoByExtension() throws {
        // Given luan and fabio logged in at the same instant
        let pabx = try makeSwitch()
        _ = try pabx.login(extension: luan, now: at(0))
        _ = try pabx.login(extension: fabio, now: at(0))

        // When a customer calls
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))

        // Then the lower extension rings
        #expect(pabx.state(fabio) == .ringing)
        #expect(pabx.state(luan) == .free)
    }

    @Test("a group's calls go only to its agents")
    func onlyTheGroupsAgents() throws {
        // Given luan (receptivas only) idle longer than fabio (both groups)
        let pabx = try makeSwitch(loggedIn: [luan, fabio])

        // When a customer calls Cobranca (ativas)
        _ = try pabx.incoming(phone: customer, service: "cobranca", now: at(5))

        // Then fabio gets it
        #expect(pabx.state(fabio) == .ringing)
        #expect(pabx.state(luan) == .free)
    }

    @Test("logged-out agents get nothing; logging in takes the waiting call")
    func loggedOutGetNothing() throws {
        // Given nobody logged in and a customer waiting
        let pabx = try makeSwitch()
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))
        #expect(pabx.queue("receptivas").waiting == 1)

        // When fabio logs in
        let events = try pabx.login(extension: fabio, now: at(8))

        // Then the call rings him
        #expect(describe(events) == ["agent 2050 free", "ringing #1 at 2050", "agent 2050 ringing", "queue receptivas 0"])
    }

    @Test("ring timeout sends the call to the next agent")
    func ringTimeoutMovesTheCall() throws {
        // Given a call ringing at fabio since 10 s, luan free
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))

        // When 29 s pass nothing happens; at 30 s the call rings out
        #expect(pabx.advance(to: at(39)).isEmpty)
        let events = pabx.advance(to: at(40))

        // Then it goes back to the queue and on to luan
        #expect(
            describe(events) == [
                "no-answer #1 at 2050", "agent 2050 free", "queue receptivas 1", "ringing #1 at 2071",
                "agent 2071 ringing", "queue receptivas 0",
            ])
        let call = try #require(pabx.calls(at: luan).current)
        #expect(call.queuedAt == at(10))
        #expect(call.ringingAt == at(40))
        #expect(pabx.line(fabio)?.idleSince == at(40))
        #expect(pabx.state(fabio) == .free)
    }

    @Test("a single agent is rung again after the timeout, once per timeout")
    func singleAgentReRung() throws {
        // Given only fabio, with a call ringing since 10 s
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))

        // When the timeout passes
        let events = pabx.advance(to: at(40))

        // Then the call rings him again
        #expect(
            describe(events) == [
                "no-answer #1 at 2050", "agent 2050 free", "queue receptivas 1", "ringing #1 at 2050",
                "agent 2050 ringing", "queue receptivas 0",
            ])
        #expect(pabx.calls(at: fabio).current?.ringingAt == at(40))

        // And a long step rings it out at 70 s and 100 s
        let later = pabx.advance(to: at(105))
        #expect(describe(later).filter { $0.hasPrefix("no-answer") }.count == 2)
        #expect(pabx.calls(at: fabio).current?.ringingAt == at(100))
    }

    @Test("a call that rang out goes back to the head of its queue")
    func rungOutCallKeepsItsPlace() throws {
        // Given fabio alone: call 1 rings him, call 2 waits
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(12))

        // When call 1 rings out
        _ = pabx.advance(to: at(40))

        // Then call 1, queued first, rings again before call 2
        #expect(pabx.calls(at: fabio).current?.ordinal == 1)
        #expect(pabx.queue("receptivas") == QueueFigures(group: "receptivas", waiting: 1, oldestQueuedAt: at(12)))
    }

    @Test("direct and internal calls keep ringing past the timeout")
    func directCallsDoNotRingOut() throws {
        // Given a direct call at fabio and an internal call from luan to intelbras
        let pabx = try makeSwitch(loggedIn: [fabio, luan, intelbras])
        _ = try pabx.directIncoming(phone: customer, extension: fabio, now: at(10))
        _ = try pabx.call(extension: luan, target: intelbras, now: at(10))

        // When much more than the timeout passes
        let events = pabx.advance(to: at(300))

        // Then nothing changed
        #expect(events.isEmpty)
        #expect(pabx.state(fabio) == .ringing)
        #expect(pabx.state(intelbras) == .ringing)
    }

    @Test("a caller hanging up in the queue is abandoned in queue, oldest first across groups")
    func abandonInQueue() throws {
        // Given nobody logged in, a Cobranca call at 5 s and two Suporte calls at 10 and 12 s
        let pabx = try makeSwitch()
        _ = try pabx.incoming(phone: customer, service: "Cobranca", now: at(5))
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(12))

        // When the oldest callers give up, one by one
        let first = try pabx.abandonOldest(now: at(20))
        let second = try pabx.abandonOldest(now: at(21))

        // Then the Cobranca call goes first, then the oldest Suporte call
        #expect(describe(first) == ["ended #1 abandoned-in-queue", "queue ativas 0"])
        #expect(describe(second) == ["ended #2 abandoned-in-queue", "queue receptivas 1"])
        if case .ended(let call, _, _) = second[0] {
            #expect(call.phase == .ended)
            #expect(call.endedAt == at(21))
        }
        _ = try pabx.abandonOldest(now: at(22))
        #expect(pabx.activeCalls.isEmpty)

        // And with nobody left waiting it is refused
        #expect(throws: SwitchRefusal.noQueuedCall) { try pabx.abandonOldest(now: at(23)) }
    }

    @Test("a caller hanging up while it rings at the agent is abandoned at the agent")
    func abandonAtAgent() throws {
        // Given a queue call ringing at fabio
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))

        // When the customer hangs up
        let events = try pabx.remoteHangup(extension: fabio, now: at(15))

        // Then the call is lost at the agent and fabio is free again
        #expect(describe(events) == ["ended #1 abandoned-at-agent", "agent 2050 free"])
        #expect(pabx.line(fabio)?.idleSince == at(15))

        // And a direct call hung up while ringing just ends by the customer
        _ = try pabx.directIncoming(phone: customer, extension: fabio, now: at(20))
        #expect(endReason(try pabx.remoteHangup(extension: fabio, now: at(21)), call: 2) == .customer)
    }

    @Test("paused agents are skipped and served after unpausing")
    func pausedAgentsSkipped() throws {
        // Given fabio (longest idle) paused, luan free
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.pause(extension: fabio, reason: "Café", now: at(5))

        // When two customers call
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(11))

        // Then luan takes the first and the second waits
        #expect(pabx.state(luan) == .ringing)
        #expect(pabx.state(fabio) == .free)
        #expect(pabx.queue("receptivas").waiting == 1)

        // When fabio unpauses, the waiting call rings him
        let events = try pabx.unpause(extension: fabio, now: at(20))
        #expect(describe(events) == ["agent 2050 free", "ringing #2 at 2050", "agent 2050 ringing", "queue receptivas 0"])
        #expect(pabx.line(fabio)?.pause == nil)
    }

    @Test("logging in paused takes no queue calls")
    func loginPaused() throws {
        // Given a waiting call
        let pabx = try makeSwitch()
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))

        // When fabio logs in paused
        let events = try pabx.login(extension: fabio, paused: "Almoço", now: at(6))

        // Then he is free but paused and the call still waits
        #expect(describe(events) == ["agent 2050 free"])
        #expect(pabx.line(fabio)?.pause == "Almoço")
        #expect(pabx.line(fabio)?.pausedSince == at(6))
        #expect(pabx.queue("receptivas").waiting == 1)
    }

    @Test("wrap-up blocks queue calls until it ends, even when set during the call")
    func wrapUpBlocksQueueCalls() throws {
        // Given fabio talking, with wrap-up set during the call, and a second customer waiting
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.answer(extension: fabio, now: at(11))
        _ = try pabx.setWrapUp(extension: fabio, true, now: at(12))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(13))

        // When the call ends
        _ = try pabx.hangup(extension: fabio, now: at(20))

        // Then fabio is free but in wrap-up and the call waits
        #expect(pabx.state(fabio) == .free)
        #expect(pabx.line(fabio)?.wrapUp == true)
        #expect(pabx.queue("receptivas").waiting == 1)

        // When wrap-up ends, the call rings him
        let events = try pabx.setWrapUp(extension: fabio, false, now: at(40))
        #expect(describe(events) == ["agent 2050 free", "ringing #2 at 2050", "agent 2050 ringing", "queue receptivas 0"])
    }

    @Test("asking for help does not block queue calls")
    func helpDoesNotBlock() throws {
        // Given fabio asking for help
        let pabx = try makeSwitch(loggedIn: [fabio])
        let events = try pabx.setHelp(extension: fabio, true, now: at(5))
        #expect(describe(events) == ["agent 2050 free"])
        #expect(pabx.line(fabio)?.helpRequested == true)

        // When a customer calls
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))

        // Then it rings him
        #expect(pabx.state(fabio) == .ringing)
    }

    @Test("an agent freed by a call's end takes the next waiting call at once")
    func freedAgentTakesTheNextCall() throws {
        // Given fabio talking and a second customer waiting
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.answer(extension: fabio, now: at(11))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(12))

        // When the customer hangs up
        let events = try pabx.remoteHangup(extension: fabio, now: at(30))

        // Then the waiting call rings fabio
        #expect(
            describe(events) == [
                "ended #1 customer", "agent 2050 free", "ringing #2 at 2050", "agent 2050 ringing", "queue receptivas 0",
            ])
    }

    @Test("queue figures count the waiting calls and the oldest")
    func queueFigures() throws {
        // Given nobody logged in and three customers calling
        let pabx = try makeSwitch()
        #expect(pabx.queue("receptivas") == QueueFigures(group: "receptivas", waiting: 0, oldestQueuedAt: nil))
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(15))
        _ = try pabx.incoming(phone: customer, service: "Cobranca", now: at(20))

        // Then each group's figures show its own calls
        #expect(pabx.queue("Receptivas") == QueueFigures(group: "receptivas", waiting: 2, oldestQueuedAt: at(10)))
        #expect(pabx.queue("ativas") == QueueFigures(group: "ativas", waiting: 1, oldestQueuedAt: at(20)))

        // When the oldest gives up, the next becomes the oldest
        _ = try pabx.abandonOldest(now: at(30))
        #expect(pabx.queue("receptivas") == QueueFigures(group: "receptivas", waiting: 1, oldestQueuedAt: at(15)))
    }

    @Test("an unknown service is refused and nothing queues")
    func unknownService() throws {
        let pabx = try makeSwitch(loggedIn: [fabio])
        let before = Snapshot(pabx)
        #expect(throws: SwitchRefusal.unknownService("Vendas")) {
            try pabx.incoming(phone: customer, service: "Vendas", now: at(5))
        }
        #expect(Snapshot(pabx) == before)
        #expect(pabx.service(named: "SUPORTE")?.number == "40009938")
        #expect(pabx.service(named: "40009938")?.name == "Suporte")
        #expect(pabx.service(named: "Vendas") == nil)
    }

    @Test("a full queue gives the caller busy and changes nothing")
    func aFullQueueRefusesTheNextCaller() throws {
        // Given a switch whose queues hold two callers, nobody logged in
        let pabx = CallSwitch(registry: registry, configuration: .init(queueLimit: 2), now: start)
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(1))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(2))
        let before = Snapshot(pabx)
        // When a third calls, the switch refuses it and the queue is as it was
        #expect(throws: SwitchRefusal.queueFull("receptivas")) {
            try pabx.incoming(phone: "+554833335555", service: "Suporte", now: at(3))
        }
        #expect(Snapshot(pabx) == before)
        #expect(pabx.queue("receptivas").waiting == 2)
    }
}
