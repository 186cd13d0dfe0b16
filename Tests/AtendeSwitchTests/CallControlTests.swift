import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

/// fabio and luan logged in (intelbras too when asked), fabio talking to a Suporte customer on call #1 since 11 s.
private func fabioTalking(
    intelbras withIntelbras: Bool = false, adapter: (any TelephonyAdapter)? = nil
) throws -> CallSwitch {
    let pabx = try makeSwitch(loggedIn: withIntelbras ? [fabio, luan, intelbras] : [fabio, luan], adapter: adapter)
    _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
    _ = try pabx.answer(extension: fabio, now: at(11))
    return pabx
}

@Suite("Answer, hang up, hold, internal and outbound calls")
struct BasicCallTests {
    @Test("answering connects the ringing call")
    func answer() throws {
        // Given a call ringing at fabio
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))

        // When he answers
        let events = try pabx.answer(extension: fabio, now: at(14))

        // Then the call is connected from now
        #expect(describe(events) == ["connected #1 at 2050", "agent 2050 talking"])
        let call = try #require(pabx.calls(at: fabio).current)
        #expect(call.phase == .connected)
        #expect(call.answeredAt == at(14))
        #expect(pabx.line(fabio)?.stateSince == at(14))
    }

    @Test("hold and retrieve toggle the connected call")
    func holdAndRetrieve() throws {
        // Given fabio talking
        let pabx = try fabioTalking()

        // When he holds
        let held = try pabx.hold(extension: fabio, now: at(20))

        // Then the call is held and his only call is on hold
        #expect(describe(held) == ["held #1", "agent 2050 on-hold"])
        #expect(pabx.calls(at: fabio).current == nil)
        #expect(pabx.calls(at: fabio).held?.onHold == true)

        // When he presses hold again the call is back
        let retrieved = try pabx.hold(extension: fabio, now: at(25))
        #expect(describe(retrieved) == ["retrieved #1", "agent 2050 talking"])
        #expect(pabx.calls(at: fabio).current?.onHold == false)
        #expect(pabx.calls(at: fabio).held == nil)
        #expect(pabx.line(fabio)?.stateSince == at(25))
    }

    @Test("the held customer hanging up ends the held call")
    func heldCustomerHangsUp() throws {
        // Given fabio with the customer on hold
        let pabx = try fabioTalking()
        _ = try pabx.hold(extension: fabio, now: at(20))

        // When the customer hangs up
        let events = try pabx.remoteHangup(extension: fabio, now: at(30))

        // Then the call ends by the customer and fabio is free
        #expect(describe(events) == ["ended #1 customer", "agent 2050 free"])
    }

    @Test("the agent hanging up ends the call and the network leg is dropped")
    func agentHangsUp() throws {
        // Given fabio talking to a customer, through a simulated network
        let network = SimulatedNetwork()
        let pabx = try fabioTalking(adapter: network)

        // When he hangs up
        let events = try pabx.hangup(extension: fabio, now: at(40))

        // Then the call ends by the agent and the network is told
        #expect(describe(events) == ["ended #1 agent", "agent 2050 free"])
        #expect(network.hungUp.map(\.ordinal) == [1])
        #expect(pabx.activeCalls.isEmpty)
    }

    @Test("an internal call rings the colleague and is answered on his behalf")
    func internalCallAnsweredRemotely() throws {
        // Given fabio and luan free
        let pabx = try makeSwitch(loggedIn: [fabio, luan])

        // When fabio calls luan by nickname
        let dialled = try pabx.call(extension: fabio, target: "luan", now: at(10))

        // Then fabio dials and luan rings
        #expect(describe(dialled) == ["dialing #1 from 2050", "ringing #1 at 2071", "agent 2050 dialing", "agent 2071 ringing"])
        let call = try #require(pabx.activeCalls.first)
        #expect(call.type == .internal)
        #expect(call.from == fabio)
        #expect(call.to == luan)
        #expect(call.phone == nil)

        // When the simulated colleague answers
        let answered = try pabx.remoteAnswer(extension: fabio, now: at(12))
        #expect(describe(answered) == ["connected #1 at 2071", "agent 2050 talking", "agent 2071 talking"])

        // And luan hangs up, both are free
        let ended = try pabx.hangup(extension: luan, now: at(30))
        #expect(describe(ended) == ["ended #1 agent", "agent 2050 free", "agent 2071 free"])
    }

    @Test("an internal call is answered by the callee too")
    func internalCallAnswered() throws {
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.call(extension: fabio, target: luan, now: at(10))
        #expect(throws: SwitchRefusal.nothingRinging) { try pabx.answer(extension: fabio, now: at(11)) }
        _ = try pabx.answer(extension: luan, now: at(12))
        #expect(pabx.state(fabio) == .talking)
        #expect(pabx.state(luan) == .talking)
    }

    @Test(
        "internal call targets must exist, be logged in and free",
        arguments: [
            ("9999", SwitchRefusal.unknownExtension("9999")),
            (intelbras, .targetLoggedOut(intelbras)),
            (fabio, .targetBusy(fabio)),
            ("ninguem", .unknownExtension("ninguem")),
        ])
    func internalCallRefusals(target: String, refusal: SwitchRefusal) throws {
        // Given fabio and luan free, intelbras logged out
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        let before = Snapshot(pabx)

        // When fabio calls the target, then it is refused and nothing changes
        #expect(throws: refusal) { try pabx.call(extension: fabio, target: target, now: at(5)) }
        #expect(Snapshot(pabx) == before)
    }

    @Test("a busy colleague cannot be called")
    func busyTarget() throws {
        let pabx = try fabioTalking()
        #expect(throws: SwitchRefusal.targetBusy(fabio)) { try pabx.call(extension: luan, target: fabio, now: at(20)) }
        #expect(throws: SwitchRefusal.targetBusy(fabio)) {
            try pabx.directIncoming(phone: otherCustomer, extension: fabio, now: at(20))
        }
        #expect(throws: SwitchRefusal.unknownExtension("9999")) {
            try pabx.directIncoming(phone: otherCustomer, extension: "9999", now: at(20))
        }
    }

    @Test("an outbound call is placed, answered and hung up by the customer")
    func outboundCall() throws {
        // Given fabio free, through a simulated network
        let network = SimulatedNetwork()
        let pabx = try makeSwitch(loggedIn: [fabio], adapter: network)

        // When he dials
        let dialled = try pabx.dial(extension: fabio, phone: otherCustomer, now: at(10))

        // Then the network is asked to place the call
        #expect(describe(dialled) == ["dialing #1 from 2050", "agent 2050 dialing"])
        #expect(network.placed.map(\.phone) == [otherCustomer])
        #expect(network.placed.first?.type == .outbound)
        #expect(network.placed.first?.from == fabio)

        // When the customer answers and later hangs up
        let answered = try pabx.remoteAnswer(extension: fabio, now: at(15))
        let ended = try pabx.remoteHangup(extension: fabio, now: at(60))

        // Then the call connected then ended by the customer, and the switch did not drop it itself
        #expect(describe(answered) == ["connected #1 at 2050", "agent 2050 talking"])
        #expect(describe(ended) == ["ended #1 customer", "agent 2050 free"])
        #expect(network.hungUp.isEmpty)
    }

    @Test("an unanswered outbound call can be abandoned by the agent")
    func outboundCallCancelled() throws {
        let network = SimulatedNetwork()
        let pabx = try makeSwitch(loggedIn: [fabio], adapter: network)
        _ = try pabx.dial(extension: fabio, phone: otherCustomer, now: at(10))
        #expect(describe(try pabx.hangup(extension: fabio, now: at(20))) == ["ended #1 agent", "agent 2050 free"])
        #expect(network.hungUp.map(\.ordinal) == [1])
    }

    @Test("a blank number is refused")
    func blankNumber() throws {
        let network = SimulatedNetwork()
        let pabx = try makeSwitch(loggedIn: [fabio], adapter: network)
        #expect(throws: SwitchRefusal.invalidPhone("  ")) { try pabx.dial(extension: fabio, phone: "  ", now: at(5)) }
        #expect(pabx.activeCalls.isEmpty)
        #expect(network.placed.isEmpty)
    }

    @Test("commands name a known extension")
    func unknownExtension() throws {
        let pabx = try makeSwitch()
        #expect(throws: SwitchRefusal.unknownExtension("9999")) { try pabx.login(extension: "9999", now: at(1)) }
        #expect(throws: SwitchRefusal.unknownExtension("9999")) { try pabx.answer(extension: "9999", now: at(1)) }
        #expect(pabx.line("9999") == nil)
        #expect(pabx.calls(at: "9999").current == nil)
    }
}

@Suite("Consult, transfer, conference, capture and barge-in")
struct TransferTests {
    @Test("consult, then return to the held caller")
    func consultThenReturn() throws {
        // Given fabio talking to a customer
        let pabx = try fabioTalking()

        // When he consults luan, who answers
        let consulted = try pabx.consult(extension: fabio, target: .agent(extension: luan), now: at(20))
        let answered = try pabx.answer(extension: luan, now: at(22))

        // Then the customer is held and a second call connects fabio and luan
        #expect(
            describe(consulted) == [
                "held #1", "dialing #2 from 2050", "ringing #2 at 2071", "agent 2050 consulting", "agent 2071 ringing",
            ])
        #expect(describe(answered) == ["connected #2 at 2071", "agent 2071 talking"])
        #expect(pabx.calls(at: fabio).held?.ordinal == 1)
        #expect(pabx.calls(at: fabio).current?.ordinal == 2)

        // When he returns to the held caller
        let returned = try pabx.returnToHeld(extension: fabio, now: at(30))

        // Then the consult ends and the customer is back
        #expect(describe(returned) == ["ended #2 agent", "retrieved #1", "agent 2050 talking", "agent 2071 free"])
        #expect(pabx.activeCalls.map(\.ordinal) == [1])
    }

    @Test("the consulted party hanging up leaves the customer on hold")
    func consultedPartyHangsUp() throws {
        let pabx = try fabioTalking()
        _ = try pabx.consult(extension: fabio, target: .customer(phone: otherCustomer), now: at(20))
        _ = try pabx.remoteAnswer(extension: fabio, now: at(22))
        let events = try pabx.remoteHangup(extension: fabio, now: at(30))
        #expect(describe(events) == ["ended #2 customer", "agent 2050 on-hold"])
        #expect(pabx.calls(at: fabio).held?.ordinal == 1)
    }

    @Test("hanging up during a consult ends only the consult")
    func hangupDuringConsult() throws {
        let pabx = try fabioTalking()
        _ = try pabx.consult(extension: fabio, target: .agent(extension: luan), now: at(20))
        let events = try pabx.hangup(extension: fabio, now: at(25))
        #expect(describe(events) == ["ended #2 agent", "agent 2050 on-hold", "agent 2071 free"])
        #expect(pabx.calls(at: fabio).held?.onHold == true)
    }

    @Test("consult, then complete the transfer")
    func consultThenTransfer() throws {
        // Given fabio consulting luan, who answered
        let pabx = try fabioTalking()
        _ = try pabx.consult(extension: fabio, target: .agent(extension: luan), now: at(20))
        #expect(throws: SwitchRefusal.consultRinging) { try pabx.completeTransfer(extension: fabio, now: at(21)) }
        _ = try pabx.answer(extension: luan, now: at(22))

        // When fabio completes the transfer
        let events = try pabx.completeTransfer(extension: fabio, now: at(30))

        // Then luan has the customer (still talking: his line only changes call) and fabio is free
        #expect(describe(events) == ["transferred #1 2050->2071", "ended #2 transfer", "agent 2050 free", "agent 2071 talking"])
        #expect(pabx.state(luan) == .talking)
        let call = try #require(pabx.calls(at: luan).current)
        #expect(call.ordinal == 1)
        #expect(call.agent == luan)
        #expect(call.onHold == false)
        #expect(call.phone == customer)
        #expect(pabx.calls(at: fabio).current == nil)
        #expect(pabx.calls(at: fabio).held == nil)
    }

    @Test("consult an outside number, then complete the transfer: the call leaves the switch")
    func consultPhoneThenTransfer() throws {
        let network = SimulatedNetwork()
        let pabx = try fabioTalking(adapter: network)
        _ = try pabx.consult(extension: fabio, target: .customer(phone: otherCustomer), now: at(20))
        #expect(network.placed.map(\.ordinal) == [2])
        _ = try pabx.remoteAnswer(extension: fabio, now: at(22))
        let events = try pabx.completeTransfer(extension: fabio, now: at(30))
        #expect(
            describe(events) == [
                "transferred #1 2050->\(otherCustomer)", "ended #2 transfer", "ended #1 transfer", "agent 2050 free",
            ])
        #expect(pabx.activeCalls.isEmpty)
        #expect(network.hungUp.isEmpty)
    }

    @Test("returning from an outside consult drops its network leg")
    func returnFromPhoneConsult() throws {
        let network = SimulatedNetwork()
        let pabx = try fabioTalking(adapter: network)
        _ = try pabx.consult(extension: fabio, target: .customer(phone: otherCustomer), now: at(20))
        _ = try pabx.returnToHeld(extension: fabio, now: at(25))
        #expect(network.hungUp.map(\.ordinal) == [2])
        #expect(pabx.state(fabio) == .talking)
    }

    @Test("consult, conference, then hang up ends the call for everyone")
    func consultConferenceHangup() throws {
        // Given fabio consulting luan, who answered
        let pabx = try fabioTalking()
        _ = try pabx.consult(extension: fabio, target: .agent(extension: luan), now: at(20))
        _ = try pabx.answer(extension: luan, now: at(22))

        // When fabio makes a conference
        let merged = try pabx.conference(extension: fabio, now: at(30))

        // Then the three share call #1
        #expect(describe(merged) == ["conference #1", "ended #2 agent", "agent 2050 conference", "agent 2071 conference"])
        let call = try #require(pabx.calls(at: luan).current)
        #expect(call.ordinal == 1)
        #expect(call.joined == [luan])
        #expect(call.onHold == false)
        #expect(pabx.calls(at: fabio).current?.ordinal == 1)
        #expect(pabx.calls(at: fabio).held == nil)

        // When fabio hangs up
        let ended = try pabx.hangup(extension: fabio, now: at(40))

        // Then the call ends for all
        #expect(describe(ended) == ["ended #1 agent", "agent 2050 free", "agent 2071 free"])
        #expect(pabx.activeCalls.isEmpty)
    }

    @Test("a conference with an outside number keeps its leg and ends when the customer leaves")
    func conferenceWithPhone() throws {
        let network = SimulatedNetwork()
        let pabx = try fabioTalking(adapter: network)
        _ = try pabx.consult(extension: fabio, target: .customer(phone: otherCustomer), now: at(20))
        _ = try pabx.remoteAnswer(extension: fabio, now: at(22))
        _ = try pabx.conference(extension: fabio, now: at(30))
        #expect(pabx.state(fabio) == .conference)
        #expect(network.hungUp.isEmpty)
        #expect(describe(try pabx.remoteHangup(extension: fabio, now: at(40))) == ["ended #1 customer", "agent 2050 free"])
    }

    @Test("blind transfer to an extension rings it with the same call")
    func blindTransferToExtension() throws {
        // Given fabio talking to a Suporte customer
        let pabx = try fabioTalking()

        // When he transfers to luan
        let events = try pabx.transfer(extension: fabio, target: .agent(extension: luan), now: at(20))

        // Then the call rings luan, same id, service and phone; fabio is free
        #expect(describe(events) == ["transferred #1 2050->2071", "ringing #1 at 2071", "agent 2050 free", "agent 2071 ringing"])
        let call = try #require(pabx.calls(at: luan).current)
        #expect(call.ordinal == 1)
        #expect(call.service == "Suporte")
        #expect(call.phone == customer)
        #expect(call.phase == .ringing)
        #expect(call.ringingAt == at(20))
        #expect(pabx.state(fabio) == .free)

        // And luan answers it
        _ = try pabx.answer(extension: luan, now: at(25))
        #expect(pabx.calls(at: luan).current?.answeredAt == at(25))
    }

    @Test("blind transfer to a phone places the call outside and frees the agent")
    func blindTransferToPhone() throws {
        // Given fabio talking, through a simulated network
        let network = SimulatedNetwork()
        let pabx = try fabioTalking(adapter: network)

        // When he transfers to an outside number
        let events = try pabx.transfer(extension: fabio, target: .customer(phone: otherCustomer), now: at(20))

        // Then the network is asked to take call #1 to that number and the call leaves the switch
        #expect(describe(events) == ["transferred #1 2050->\(otherCustomer)", "ended #1 transfer", "agent 2050 free"])
        #expect(network.placed.map(\.ordinal) == [1])
        #expect(network.placed.first?.phone == otherCustomer)
        #expect(pabx.activeCalls.isEmpty)
    }

    @Test("capture picks the call ringing longest in the capturer's groups")
    func captureLongestRinging() throws {
        // Given a call ringing at luan for 20 s and one at fabio for 5 s; intelbras just logged in
        let pabx = try makeSwitch(loggedIn: [luan, fabio], ringTimeout: 60)
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(10))
        _ = try pabx.incoming(phone: otherCustomer, service: "Suporte", now: at(25))
        _ = try pabx.login(extension: intelbras, now: at(26))
        #expect(pabx.calls(at: luan).current?.ordinal == 1)
        #expect(pabx.calls(at: fabio).current?.ordinal == 2)

        // When intelbras captures
        let events = try pabx.capture(extension: intelbras, now: at(30))

        // Then he takes luan's call, connected at once
        #expect(
            describe(events) == [
                "captured #1 2071->2048", "agent 2071 free", "connected #1 at 2048", "agent 2048 talking",
            ])
        #expect(pabx.calls(at: intelbras).current?.answeredAt == at(30))
        #expect(pabx.state(fabio) == .ringing)
    }

    @Test("capture is refused when nothing rings in the capturer's groups")
    func captureNothing() throws {
        // Given luan (receptivas) free and nothing ringing
        let pabx = try makeSwitch(loggedIn: [fabio, luan, intelbras])
        #expect(throws: SwitchRefusal.nothingToCapture) { try pabx.capture(extension: luan, now: at(5)) }

        // When a Cobranca (ativas) call rings at fabio
        _ = try pabx.incoming(phone: customer, service: "Cobranca", now: at(10))
        #expect(pabx.state(fabio) == .ringing)
        let before = Snapshot(pabx)

        // Then luan may not capture it, and nothing changes
        #expect(throws: SwitchRefusal.nothingToCapture) { try pabx.capture(extension: luan, now: at(12)) }
        #expect(Snapshot(pabx) == before)

        // But intelbras (ativas) may
        _ = try pabx.capture(extension: intelbras, now: at(13))
        #expect(pabx.state(intelbras) == .talking)
    }

    @Test("a direct call ringing at a colleague of the same group can be captured")
    func captureDirectCall() throws {
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.directIncoming(phone: customer, extension: fabio, now: at(10))
        let events = try pabx.capture(extension: luan, now: at(12))
        #expect(describe(events).first == "captured #1 2050->2071")
        #expect(pabx.state(luan) == .talking)
        #expect(pabx.state(fabio) == .free)
    }

    @Test("barge-in joins a connected call; hanging up ends it for all")
    func bargeIn() throws {
        // Given fabio talking, intelbras free
        let pabx = try fabioTalking(intelbras: true)
        #expect(throws: SwitchRefusal.nothingToBarge(luan)) { try pabx.barge(extension: intelbras, target: luan, now: at(15)) }
        #expect(throws: SwitchRefusal.unknownExtension("9999")) {
            try pabx.barge(extension: intelbras, target: "9999", now: at(15))
        }

        // When intelbras barges into fabio's call
        let events = try pabx.barge(extension: intelbras, target: fabio, now: at(20))

        // Then he joins it and both are in conference
        #expect(describe(events) == ["barged #1 by 2048", "agent 2048 conference", "agent 2050 conference"])
        #expect(pabx.calls(at: intelbras).current?.joined == [intelbras])

        // When fabio hangs up the call ends for both
        let ended = try pabx.hangup(extension: fabio, now: at(30))
        #expect(describe(ended) == ["ended #1 agent", "agent 2048 free", "agent 2050 free"])
    }
}
