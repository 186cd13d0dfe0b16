import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

/// Where fabio (2050) stands before the command; luan (2071) is logged in and free unless the setup uses him.
enum Setup: String, CaseIterable, Sendable {
    case loggedOut, free, paused, ringing, ringingDirect, dialing, talking, onHold, consultDialing, consulting,
        conference

    func make(adapter: (any TelephonyAdapter)? = nil) throws -> CallSwitch {
        if self == .loggedOut { return try makeSwitch(loggedIn: [luan], adapter: adapter) }
        let pabx = try makeSwitch(loggedIn: [fabio, luan], adapter: adapter)
        switch self {
        case .loggedOut, .free:
            break
        case .paused:
            _ = try pabx.pause(extension: fabio, reason: "Almoço", now: at(5))
        case .ringing:
            _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))
        case .ringingDirect:
            _ = try pabx.directIncoming(phone: customer, extension: fabio, now: at(5))
        case .dialing:
            _ = try pabx.dial(extension: fabio, phone: otherCustomer, now: at(5))
        case .talking, .onHold, .consultDialing, .consulting, .conference:
            _ = try pabx.incoming(phone: customer, service: "Suporte", now: at(5))
            _ = try pabx.answer(extension: fabio, now: at(6))
            if self == .talking { break }
            if self == .onHold {
                _ = try pabx.hold(extension: fabio, now: at(7))
                break
            }
            _ = try pabx.consult(extension: fabio, target: .agent(extension: luan), now: at(8))
            if self == .consultDialing { break }
            _ = try pabx.answer(extension: luan, now: at(9))
            if self == .conference { _ = try pabx.conference(extension: fabio, now: at(10)) }
        }
        return pabx
    }
}

/// A command fabio gives (or the network gives about fabio).
enum Command: String, CaseIterable, Sendable {
    case login, logout, pause, unpause, wrapUpOn, helpOn, answer, hangup, dial, callLuan, hold, consultLuan,
        consultPhone, transferLuan, transferPhone, completeTransfer, returnToHeld, conference, capture, bargeLuan,
        directIncoming, remoteAnswer, remoteHangup

    func run(on pabx: CallSwitch, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        switch self {
        case .login: try pabx.login(extension: fabio, now: now)
        case .logout: try pabx.logout(extension: fabio, now: now)
        case .pause: try pabx.pause(extension: fabio, reason: "Café", now: now)
        case .unpause: try pabx.unpause(extension: fabio, now: now)
        case .wrapUpOn: try pabx.setWrapUp(extension: fabio, true, now: now)
        case .helpOn: try pabx.setHelp(extension: fabio, true, now: now)
        case .answer: try pabx.answer(extension: fabio, now: now)
        case .hangup: try pabx.hangup(extension: fabio, now: now)
        case .dial: try pabx.dial(extension: fabio, phone: otherCustomer, now: now)
        case .callLuan: try pabx.call(extension: fabio, target: luan, now: now)
        case .hold: try pabx.hold(extension: fabio, now: now)
        case .consultLuan: try pabx.consult(extension: fabio, target: .agent(extension: luan), now: now)
        case .consultPhone: try pabx.consult(extension: fabio, target: .customer(phone: otherCustomer), now: now)
        case .transferLuan: try pabx.transfer(extension: fabio, target: .agent(extension: luan), now: now)
        case .transferPhone: try pabx.transfer(extension: fabio, target: .customer(phone: otherCustomer), now: now)
        case .completeTransfer: try pabx.completeTransfer(extension: fabio, now: now)
        case .returnToHeld: try pabx.returnToHeld(extension: fabio, now: now)
        case .conference: try pabx.conference(extension: fabio, now: now)
        case .capture: try pabx.capture(extension: fabio, now: now)
        case .bargeLuan: try pabx.barge(extension: fabio, target: luan, now: now)
        case .directIncoming: try pabx.directIncoming(phone: otherCustomer, extension: fabio, now: now)
        case .remoteAnswer: try pabx.remoteAnswer(extension: fabio, now: now)
        case .remoteHangup: try pabx.remoteHangup(extension: fabio, now: now)
        }
    }
}

enum Outcome: Equatable, Sendable {
    /// Accepted, and fabio's extension ends in this state.
    case becomes(ExtensionState)
    /// Accepted, fabio's extension state unchanged.
    case stays
    case refused(SwitchRefusal)
}

struct Transition: Sendable, CustomTestStringConvertible {
    var setup: Setup
    var command: Command
    var outcome: Outcome
    var testDescription: String { "\(setup.rawValue) × \(command.rawValue) → \(outcome)" }
}

/// One column per command: the outcome in every setup, a default and the exceptions.
private func column(_ command: Command, _ fallback: Outcome, _ exceptions: [Setup: Outcome]) -> [Transition] {
    Setup.allCases.map { setup in
        let outcome: Outcome =
            if setup == .loggedOut, exceptions[setup] == nil, command != .directIncoming {
                .refused(.notLoggedIn(fabio))
            } else {
                exceptions[setup] ?? fallback
            }
        return Transition(setup: setup, command: command, outcome: outcome)
    }
}

private let idle: [Setup] = [.free, .paused]
private let noConnectedCall: [Setup] = [.free, .paused, .ringing, .ringingDirect, .dialing]
private let busyWithHold: [Setup] = [.onHold, .consultDialing, .consulting, .conference]

private func each(_ setups: [Setup], _ outcome: Outcome) -> [Setup: Outcome] {
    Dictionary(uniqueKeysWithValues: setups.map { ($0, outcome) })
}

private func merged(_ parts: [Setup: Outcome]...) -> [Setup: Outcome] {
    parts.reduce(into: [:]) { $0.merge($1) { _, new in new } }
}

let transitions: [Transition] =
    column(.login, .refused(.alreadyLoggedIn(fabio)), [.loggedOut: .becomes(.free)])
    + column(.logout, .refused(.callInProgress), each(idle, .becomes(.loggedOut)))
    + column(.pause, .stays, [.paused: .refused(.alreadyPaused)])
    + column(.unpause, .refused(.notPaused), [.paused: .becomes(.free)])
    + column(.wrapUpOn, .stays, [:])
    + column(.helpOn, .stays, [:])
    + column(.answer, .refused(.nothingRinging), [.ringing: .becomes(.talking), .ringingDirect: .becomes(.talking)])
    + column(
        .hangup, .becomes(.free),
        merged(
            // A call ringing here is refused: it goes back to its queue (or ends) and the line is free.
            each([.free, .paused], .refused(.noCall)),
            each([.consultDialing, .consulting], .becomes(.onHold))))
    + column(.dial, .refused(.callInProgress), each(idle, .becomes(.dialing)))
    + column(.callLuan, .refused(.callInProgress), each(idle, .becomes(.dialing)))
    + column(
        .hold, .refused(.callInProgress),
        merged(each(noConnectedCall, .refused(.noCall)), each([.onHold, .consultDialing, .consulting], .refused(.consultInProgress)), [.talking: .becomes(.onHold), .onHold: .becomes(.talking)]))
    + column(
        .consultLuan, .refused(.callInProgress),
        merged(each(noConnectedCall, .refused(.noCall)), each([.onHold, .consultDialing, .consulting], .refused(.consultInProgress)), [.talking: .becomes(.consulting)]))
    + column(
        .consultPhone, .refused(.callInProgress),
        merged(each(noConnectedCall, .refused(.noCall)), each([.onHold, .consultDialing, .consulting], .refused(.consultInProgress)), [.talking: .becomes(.consulting)]))
    + column(
        .transferLuan, .refused(.callInProgress),
        merged(each(noConnectedCall, .refused(.noCall)), each([.onHold, .consultDialing, .consulting], .refused(.consultInProgress)), [.talking: .becomes(.free)]))
    + column(
        .transferPhone, .refused(.callInProgress),
        merged(each(noConnectedCall, .refused(.noCall)), each([.onHold, .consultDialing, .consulting], .refused(.consultInProgress)), [.talking: .becomes(.free)]))
    + column(.completeTransfer, .refused(.notConsulting), [.consulting: .becomes(.free), .consultDialing: .refused(.consultRinging)])
    + column(
        .returnToHeld, .refused(.noHeldCall),
        each([.onHold, .consultDialing, .consulting], .becomes(.talking)))
    + column(
        .conference, .refused(.noHeldCall),
        merged(each([.onHold], .refused(.notConsulting)), [.consultDialing: .refused(.consultRinging), .consulting: .becomes(.conference)]))
    + column(.capture, .refused(.callInProgress), each(idle, .refused(.nothingToCapture)))
    + column(.bargeLuan, .refused(.callInProgress), each(idle, .refused(.nothingToBarge(luan))))
    + column(
        .directIncoming, .refused(.targetBusy(fabio)),
        merged(each(idle, .becomes(.ringing)), [.loggedOut: .refused(.targetLoggedOut(fabio))]))
    + column(.remoteAnswer, .refused(.noCall), [.dialing: .becomes(.talking), .consultDialing: .becomes(.consulting)])
    + column(
        .remoteHangup, .becomes(.free),
        merged(each(idle, .refused(.noCall)), each([.consultDialing, .consulting], .becomes(.onHold))))

@Suite("Every command in every state")
struct TransitionTableTests {
    @Test("the setups put fabio where they say")
    func setupsReachTheirState() throws {
        let expected: [Setup: ExtensionState] = [
            .loggedOut: .loggedOut, .free: .free, .paused: .free, .ringing: .ringing, .ringingDirect: .ringing,
            .dialing: .dialing, .talking: .talking, .onHold: .onHold, .consultDialing: .consulting,
            .consulting: .consulting, .conference: .conference,
        ]
        for setup in Setup.allCases {
            #expect(try setup.make().state(fabio) == expected[setup], "\(setup)")
        }
        #expect(try Setup.paused.make().line(fabio)?.pause == "Almoço")
    }

    @Test("the table covers every setup for every command")
    func tableIsComplete() {
        #expect(transitions.count == Setup.allCases.count * Command.allCases.count)
    }

    @Test(arguments: transitions)
    func transition(_ row: Transition) throws {
        // Given fabio in the setup's state
        let network = SimulatedNetwork()
        let pabx = try row.setup.make(adapter: network)
        let before = Snapshot(pabx)
        let stateBefore = pabx.state(fabio)
        let placedBefore = network.placed.count
        let hungUpBefore = network.hungUp.count

        // When the command runs
        let result = Result { () throws(SwitchRefusal) -> [SwitchEvent] in try row.command.run(on: pabx, now: at(20)) }

        // Then it is refused with nothing changed, or fabio ends where the table says
        switch (row.outcome, result) {
        case (.refused(let refusal), .failure(let error)):
            #expect(error == refusal)
            #expect(Snapshot(pabx) == before)
            #expect(network.placed.count == placedBefore)
            #expect(network.hungUp.count == hungUpBefore)
        case (.refused(let refusal), .success(let events)):
            Issue.record("expected \(refusal), got \(describe(events))")
        case (_, .failure(let error)):
            Issue.record("expected \(row.outcome), refused with \(error)")
        case (.becomes(let state), .success(let events)):
            #expect(pabx.state(fabio) == state)
            let published = expectPublished(events, pabx)
            if state != stateBefore { #expect(published[fabio]?.state == state) }
        case (.stays, .success(let events)):
            #expect(pabx.state(fabio) == stateBefore)
            #expect(!events.isEmpty)
            expectPublished(events, pabx)
        }
    }

    /// Checks that the last `.agentChanged` of each extension in `events` is its line now; returns them.
    @discardableResult
    private func expectPublished(_ events: [SwitchEvent], _ pabx: CallSwitch) -> [String: AgentLine] {
        var last: [String: AgentLine] = [:]
        for case .agentChanged(let line) in events { last[line.extension] = line }
        for (ext, line) in last { #expect(pabx.line(ext) == line, "line \(ext)") }
        return last
    }
}
