import AtendeCore
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

/// What a refused command must leave as it was.
struct EngineSnapshot: Equatable {
    var state: ExtensionState?
    var pause: String?
    var current: CallID?
    var held: CallID?
    var attendances: Int
    var pending: Int?

    init(_ f: WorkstationFixture) async throws {
        state = await f.workstation.line?.state
        pause = await f.workstation.line?.pause
        current = await f.workstation.currentCalls.current?.id
        held = await f.workstation.currentCalls.held?.id
        attendances = try f.store.attendances.count(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
        pending = await f.workstation.pendingQualification?.number
    }
}

@Suite struct CallEnginePreconditionTests {
    typealias Step = @Sendable (WorkstationFixture) async throws -> Void

    static func ringing(_ f: WorkstationFixture) async throws { _ = try await f.sim.incoming(phone: "4832819500", service: "Suporte") }
    static func talking(_ f: WorkstationFixture) async throws {
        try await ringing(f)
        _ = try await f.workstation.answer()
    }
    static func pendingQualification(_ f: WorkstationFixture) async throws {
        try await talking(f)
        _ = try await f.workstation.hangup()
    }

    static let cases: [(String, Step, Step, AtendeError)] = [
        ("answer when idle", { _ in }, { _ = try await $0.workstation.answer() }, .nothingRinging),
        ("hangup when idle", { _ in }, { _ = try await $0.workstation.hangup() }, .noCall),
        ("hold when idle", { _ in }, { _ = try await $0.workstation.hold() }, .noCall),
        ("hold while ringing", ringing, { _ = try await $0.workstation.hold() }, .noCall),
        ("return with nothing held", talking, { _ = try await $0.workstation.returnToHeld() }, .noHeldCall),
        ("complete transfer without consult", talking, { _ = try await $0.workstation.transfer(nil) }, .notConsulting),
        ("conference without permission", talking, { _ = try await $0.workstation.conference() }, .permissionDenied(.conference)),
        ("dial during a call", talking, { _ = try await $0.workstation.dial("4833334444") }, .callInProgress),
        ("dial a bad number", { _ in }, { _ = try await $0.workstation.dial("12") }, .invalidPhone("12", .tooShort)),
        ("redial with nothing dialled", { _ in }, { _ = try await $0.workstation.redial() }, .nothingToRedial),
        ("call an unknown extension", { _ in }, { _ = try await $0.workstation.call("9999") }, .unknownExtension("9999")),
        ("consult an unknown target", talking, { _ = try await $0.workstation.consult("9999") }, .invalidPhone("9999", .tooShort)),
        ("call a colleague who is on a call", { f in
            _ = try await f.workstation.pause(nil)
            _ = try await f.sim.colleague("luan", .free)
            _ = try await f.sim.incoming(phone: "4832819500", service: "Suporte")
            _ = try await f.sim.colleague("luan", .answer)
        }, { _ = try await $0.workstation.call("luan") }, .targetBusy("2071")),
        ("capture with nothing ringing", { _ in }, { _ = try await $0.workstation.capture() }, .nothingToCapture),
        ("barge as an agent", talking, { _ = try await $0.workstation.barge("2071") }, .adminOnly),
        ("record when idle", { _ in }, { _ = try await $0.workstation.record(reason: nil, comment: nil) }, .noCall),
        ("record with an unknown reason", talking, { _ = try await $0.workstation.record(reason: "X", comment: nil) }, .unknownRecordingReason("X")),
        ("unpause when not paused", { _ in }, { _ = try await $0.workstation.unpause() }, .notPaused),
        ("pause with an unknown reason", { _ in }, { _ = try await $0.workstation.pause("Soneca") }, .unknownPauseReason("Soneca")),
        ("pause twice", { _ = try await $0.workstation.pause(nil) }, { _ = try await $0.workstation.pause(nil) }, .alreadyPaused),
        ("qualify with an unknown code", pendingQualification, { _ = try await $0.workstation.qualify(number: nil, code: "X", comment: nil) }, .unknownQualificationCode("X")),
        ("qualify with nothing to qualify", { _ in }, { _ = try await $0.workstation.qualify(number: nil, code: "VENDA", comment: nil) }, .nothingToQualify),
        ("answer before qualifying", { f in
            try await pendingQualification(f)
            _ = try await f.sim.ring(phone: "4833334444")
        }, { _ = try await $0.workstation.answer() }, .qualificationPending(1)),
        ("capture before qualifying", pendingQualification, { _ = try await $0.workstation.capture() }, .qualificationPending(1)),
        ("logout during a call", talking, { _ = try await $0.workstation.logout() }, .logoutDuringCall),
        ("a customer with a bad number", { _ in }, { _ = try await $0.sim.ring(phone: "x") }, .invalidPhone("x", .invalidCharacter("x"))),
        ("an unknown service", { _ in }, { _ = try await $0.sim.incoming(phone: "4832819500", service: "Nada") }, .unknownService("Nada")),
        ("abandon with an empty queue", { _ in }, { _ = try await $0.sim.abandon() }, .noQueuedCall),
    ]

    @Test(arguments: cases.indices)
    func aRefusedCommandChangesNothing(index: Int) async throws {
        let (name, setup, command, error) = Self.cases[index]
        // Given fabio logged in, in the state the case sets up
        let f = try WorkstationFixture()
        try await f.login()
        try await setup(f)
        let before = try await EngineSnapshot(f)
        // When the command is outside its precondition
        await #expect(throws: error, "\(name)") { try await command(f) }
        // Then nothing changed
        let after = try await EngineSnapshot(f)
        #expect(after == before, "\(name)")
    }

    @Test func productivePausesNeedThePermissionAndCaptureCanBeBlocked() async throws {
        let f = try WorkstationFixture()
        try await f.login("luan")
        await #expect(throws: AtendeError.permissionDenied(.productivePause)) { try await f.workstation.pause("101") }
        _ = try await f.workstation.logout()
        let g = try WorkstationFixture(defaults: ["block-capture": "on"])
        try await g.login()
        await #expect(throws: AtendeError.captureBlocked) { try await g.workstation.capture() }
    }
}

@Suite struct CallEngineTransitionTests {
    @Test func anInboundCallIsRecordedWithItsTimesAndContact() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        try await f.workstation.addContact(ContactDraft(name: "Maria Souza", phones: ["(48) 3281-9500"]))
        let ring = try await f.sim.incoming(phone: "+55 48 3281-9500", service: "Suporte")
        guard case .ringing(let call, let contact)? = ring.first(where: { if case .ringing = $0 { true } else { false } }) else {
            Issue.record("no ringing event: \(ring)")
            return
        }
        #expect(call.service == "Suporte" && contact?.name == "Maria Souza")
        f.clock.advance(by: 4)
        _ = try await f.workstation.answer()
        f.clock.advance(by: 30)
        _ = try await f.workstation.hold()
        f.clock.advance(by: 10)
        _ = try await f.workstation.hold()
        f.clock.advance(by: 5)
        let end = try await f.sim.hangup()
        #expect(end.contains { if case .qualificationRequired(_, 60) = $0 { true } else { false } })
        let a = try #require(try f.store.attendances.attendance(number: 1))
        #expect((a.talkSeconds, a.holdSeconds, a.waitSeconds, a.endedBy) == (45, 10, 4, .customer))
        #expect(a.contactName == "Maria Souza" && a.phone == "+554832819500")
        #expect(await f.workstation.line?.wrapUp == true)
        _ = try await f.workstation.qualify(number: nil, code: "venda", comment: "ok")
        let pending = await f.workstation.pendingQualification
        #expect(await f.workstation.line?.wrapUp == false && pending == nil)
        #expect(try f.store.attendances.qualifications(of: a.id).map(\.code) == ["VENDA"])
    }

    @Test(arguments: [
        ("4833334444", "033334444"), ("(11) 98765-4321", "002111987654321"), ("+1 212 555 0100", "000211212555 0100".replacingOccurrences(of: " ", with: "")),
    ])
    func dialStringsFollowTheDialPlan(number: String, dialString: String) async throws {
        let f = try WorkstationFixture()
        try await f.login()
        let events = try await f.workstation.dial(number)
        #expect(events.contains { if case .dialing(_, dialString) = $0 { true } else { false } })
        _ = try await f.sim.answer()
        f.clock.advance(by: 5)
        _ = try await f.sim.hangup()
        let a = try #require(try f.store.attendances.attendance(number: 1))
        #expect((a.type, a.talkSeconds, a.endedBy, a.dialString) == (.outbound, 5, .customer, dialString))
        // Outbound calls need no qualification: redial goes at once.
        #expect(try await f.workstation.redial().contains { if case .dialing = $0 { true } else { false } })
    }

    @Test func wrapUpEndsByItselfAndQualifyCloseOffWaitsForIt() async throws {
        let f = try WorkstationFixture(defaults: ["qualify-close": "off", "wrap-up": "20"])
        try await f.login()
        try await CallEnginePreconditionTests.pendingQualification(f)
        _ = try await f.workstation.qualify(number: nil, code: "INFO", comment: nil)
        #expect(await f.workstation.line?.wrapUp == true)
        f.clock.advance(by: 19)
        #expect(await f.tick().isEmpty)
        f.clock.advance(by: 1)
        #expect(await f.tick() == [.wrapUpEnded(attendanceNumber: 1, qualified: true)])
        #expect(await f.workstation.line?.wrapUp == false)
        // Unqualified, the wrap-up time still ends it.
        try await CallEnginePreconditionTests.pendingQualification(f)
        f.clock.advance(by: 20)
        #expect(await f.tick() == [.wrapUpEnded(attendanceNumber: 2, qualified: false)])
    }

    @Test func autoAnswerAndLoginPausedPreferences() async throws {
        let f = try WorkstationFixture(defaults: ["auto-answer": "on", "login-paused": "on"])
        let outcome = try await f.login()
        #expect(outcome.events.contains(.paused(PauseReason(name: "Almoço", kind: .eventual))))
        #expect(await f.workstation.line?.pause == "Almoço")
        _ = try await f.workstation.unpause()
        let events = try await f.sim.incoming(phone: "4832819500", service: "Suporte")
        #expect(events.contains { if case .answered = $0 { true } else { false } })
        #expect(await f.workstation.line?.state == .talking)
        #expect(try f.store.pauses.list(agent: "fabio", span: DateSpan(start: .distantPast, end: .distantFuture)).count == 1)
    }

    @Test func aPausedAgentHearsTheQueueAndARingTimeoutIsALossAtTheAgent() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        _ = try await f.workstation.pause("Almoço")
        let queued = try await f.sim.incoming(phone: "4832819500", service: "Suporte")
        #expect(queued.contains(.queueAlert(waiting: 1)))
        _ = try await f.workstation.unpause()
        f.clock.advance(by: 30)
        let timeout = await f.tick()
        #expect(timeout.contains { if case .ringTimedOut = $0 { true } else { false } })
        let losses = try await f.workstation.losses(.today)
        #expect(losses.count == 1 && losses[0].abandonedAtAgent == 1)
        #expect(try f.store.attendances.count(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture))) == 0)
    }

    @Test func logoutWithForceHangsUpFirst() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        try await CallEnginePreconditionTests.talking(f)
        let (_, events) = try await f.workstation.logout(force: true)
        #expect(events.contains { if case .ended(_, .agent) = $0 { true } else { false } })
        #expect(await f.workstation.session == nil)
    }

    @Test func agendaRemindersFireOnceWhenTheEventStarts() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        try await f.workstation.newAgendaEvent(AgendaDraft(name: "Retornar Maria", start: "2026-10-11 07:31", end: "2026-10-11 07:45"))
        #expect(await f.tick().isEmpty)
        f.clock.advance(by: 60)
        #expect(await f.tick().map { if case .agendaReminder(let e) = $0 { e.name } else { "" } } == ["Retornar Maria"])
        f.clock.advance(by: 60)
        #expect(await f.tick().isEmpty)
    }
}

/// Two workstations, each with its own store, on one switch service: the server's shape, in process.
@Suite struct SharedSwitchTests {
    @Test func twoWorkstationsShareTheQueueAndOneLossIsRecorded() async throws {
        // Given one switch service whose host records losses into its own store, and fabio and luan
        // logged in at two workstations, fabio 10 s earlier (idle longer)
        let host = try WorkstationFixture()
        let service = host.service
        func workstation() throws -> (Workstation, Store, TemporaryDirectory) {
            let dir = TemporaryDirectory()
            let store = try Store(path: dir.file("atende.sqlite").path, clock: host.clock)
            let ws = try Workstation(
                store: store,
                settings: WorkstationSettings(defaults: WorkstationFixture.defaults, registry: WorkstationFixture.registry, calendar: host.calendar),
                clock: host.clock, link: InProcessSwitchLink(service))
            return (ws, store, dir)
        }
        // The folders live as long as the test: a store whose file is removed refuses to write.
        let (fabio, fabioStore, fabioDir) = try workstation()
        let (luan, luanStore, luanDir) = try workstation()
        defer { withExtendedLifetime((fabioDir, luanDir)) {} }
        _ = try await fabio.firstLogin(nickname: "fabio", group: "receptivas", password: "pw-1234", confirmation: "pw-1234")
        host.clock.advance(by: 10)
        _ = try await luan.firstLogin(nickname: "luan", group: "receptivas", password: "pw-1234", confirmation: "pw-1234")
        let simulator = SwitchSimulator(service: service)

        // When a customer calls: it rings at the longest idle, fabio
        var receipt = try await simulator.incoming(phone: "+554832819500", service: "Suporte")
        await fabio.settle(through: receipt.through)
        await luan.settle(through: receipt.through)
        #expect(await fabio.line?.state == .ringing)
        #expect(await luan.line?.state == .free)
        // Both answer their calls; a third caller waits, and luan's workstation sees the queue change
        _ = try await fabio.answer()
        receipt = try await simulator.incoming(phone: "+554832819501", service: "Suporte")
        await luan.settle(through: receipt.through)
        #expect(await luan.line?.state == .ringing)
        _ = try await luan.answer()
        receipt = try await simulator.incoming(phone: "+554832819502", service: "Suporte")
        await luan.settle(through: receipt.through)
        await fabio.settle(through: receipt.through)
        #expect(await luan.queueFigures()?.waiting == 1)
        #expect(await fabio.queueFigures()?.waiting == 1)
        // When the waiting caller gives up
        receipt = try await simulator.abandon()
        await luan.settle(through: receipt.through)
        await fabio.settle(through: receipt.through)
        // Then both see the queue empty and the loss, written once, by the switch's host
        #expect(await luan.queueFigures()?.waiting == 0)
        #expect(luan.events(since: 0).contains { if case .lossRecorded(_, .abandonedInQueue) = $0 { true } else { false } })
        let hostLosses = try host.store.losses.list(fromDay: "2026-01-01", toDay: "2026-12-31", group: "receptivas")
        #expect(hostLosses.count == 1 && hostLosses[0].abandonedInQueue == 1 && hostLosses[0].phone == "+554832819502")
        #expect(try fabioStore.losses.list(fromDay: "2026-01-01", toDay: "2026-12-31", group: "receptivas").isEmpty)
        #expect(try luanStore.losses.list(fromDay: "2026-01-01", toDay: "2026-12-31", group: "receptivas").isEmpty)
    }

    @Test func aRingingCallRefusedGoesToTheNextAgentAndNotBack() async throws {
        // Given fabio idle since login and luan, a colleague, free 5 s later
        let f = try WorkstationFixture()
        try await f.login()
        f.clock.advance(by: 5)
        _ = try await f.sim.colleague("luan", .free)
        _ = try await f.sim.incoming(phone: "4832819500", service: "Suporte")
        #expect(await f.workstation.line?.state == .ringing)
        // When fabio refuses it
        let events = try await f.workstation.hangup()
        // Then it goes back to the queue and on to luan, and leaves no attendance
        #expect(events.contains { if case .declined(_, backToQueue: true) = $0 { true } else { false } })
        #expect(await f.workstation.line?.state == .free)
        #expect(await f.workstation.floor.first { $0.extension == "2071" }?.state == .ringing)
        // When luan lets it ring out, it is not offered to fabio again: it waits
        f.clock.advance(by: 30)
        _ = await f.tick()
        #expect(await f.workstation.line?.state == .free)
        #expect(await f.workstation.floor.first { $0.extension == "2071" }?.state == .ringing)
    }
}
