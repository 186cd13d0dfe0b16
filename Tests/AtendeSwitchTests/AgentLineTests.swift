import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

@Suite("Agent lines: login, pause, wrap-up, help")
struct AgentLineTests {
    @Test("every registered agent starts logged out at their extension")
    func initialLines() throws {
        let pabx = try makeSwitch()
        #expect(pabx.lines.map(\.extension) == [intelbras, fabio, luan])
        #expect(pabx.lines.allSatisfy { $0.state == .loggedOut && !$0.loggedIn && $0.stateSince == start })
        #expect(pabx.line(nickname: "LUAN")?.extension == luan)
        #expect(pabx.line(nickname: "nobody") == nil)
        #expect(pabx.line(fabio)?.groups == ["receptivas", "ativas"])
        #expect(pabx.activeCalls.isEmpty)
    }

    @Test("login makes the line free and idle from now; logout takes it back")
    func loginLogout() throws {
        // Given fabio logged out
        let pabx = try makeSwitch()

        // When he logs in
        let events = try pabx.login(extension: fabio, now: at(5))

        // Then his line is free since now
        #expect(describe(events) == ["agent 2050 free"])
        let line = try #require(pabx.line(fabio))
        #expect(line.loggedIn)
        #expect(line.stateSince == at(5))
        #expect(line.idleSince == at(5))
        #expect(throws: SwitchRefusal.alreadyLoggedIn(fabio)) { try pabx.login(extension: fabio, now: at(6)) }

        // When he logs out, his flags are cleared
        _ = try pabx.setHelp(extension: fabio, true, now: at(7))
        _ = try pabx.pause(extension: fabio, reason: "Café", now: at(8))
        let out = try pabx.logout(extension: fabio, now: at(9))
        #expect(describe(out) == ["agent 2050 logged-out"])
        let after = try #require(pabx.line(fabio))
        #expect(after.pause == nil && !after.helpRequested && !after.wrapUp)
        #expect(after.stateSince == at(9))
        #expect(throws: SwitchRefusal.notLoggedIn(fabio)) { try pabx.logout(extension: fabio, now: at(10)) }
    }

    @Test("pause keeps the reason and the time; unpause makes the agent idle from now")
    func pauseAndUnpause() throws {
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.pause(extension: fabio, reason: "Almoço", now: at(10))
        #expect(pabx.line(fabio)?.pause == "Almoço")
        #expect(pabx.line(fabio)?.pausedSince == at(10))
        #expect(throws: SwitchRefusal.alreadyPaused) { try pabx.pause(extension: fabio, reason: "Café", now: at(11)) }
        #expect(pabx.line(fabio)?.pause == "Almoço")
        _ = try pabx.unpause(extension: fabio, now: at(20))
        #expect(pabx.line(fabio)?.pausedSince == nil)
        #expect(pabx.line(fabio)?.idleSince == at(20))
        #expect(throws: SwitchRefusal.notPaused) { try pabx.unpause(extension: fabio, now: at(21)) }
    }

    @Test("setting wrap-up to the value it has changes nothing")
    func wrapUpIdempotent() throws {
        let pabx = try makeSwitch(loggedIn: [fabio])
        #expect(try pabx.setWrapUp(extension: fabio, false, now: at(5)).isEmpty)
        #expect(describe(try pabx.setWrapUp(extension: fabio, true, now: at(6))) == ["agent 2050 free"])
        #expect(try pabx.setWrapUp(extension: fabio, true, now: at(7)).isEmpty)
        _ = try pabx.setWrapUp(extension: fabio, false, now: at(8))
        #expect(pabx.line(fabio)?.idleSince == at(8))
    }

    @Test("a paused agent still places and takes direct calls")
    func pausedAgentDirectCalls() throws {
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        _ = try pabx.pause(extension: fabio, reason: "Café", now: at(5))
        _ = try pabx.directIncoming(phone: customer, extension: fabio, now: at(10))
        #expect(pabx.state(fabio) == .ringing)
        _ = try pabx.answer(extension: fabio, now: at(11))
        _ = try pabx.hangup(extension: fabio, now: at(20))
        _ = try pabx.call(extension: fabio, target: luan, now: at(30))
        #expect(pabx.state(fabio) == .dialing)
        #expect(pabx.line(fabio)?.pause == "Café")
    }

    @Test("logout is refused while the agent has a call, even only a held one")
    func logoutWithHeldCall() throws {
        let pabx = try makeSwitch(loggedIn: [fabio])
        _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))
        _ = try pabx.answer(extension: fabio, now: at(6))
        _ = try pabx.hold(extension: fabio, now: at(7))
        #expect(throws: SwitchRefusal.callInProgress) { try pabx.logout(extension: fabio, now: at(8)) }
        #expect(pabx.state(fabio) == .onHold)
    }
}
