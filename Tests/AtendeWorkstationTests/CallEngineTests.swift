import AtendeCore
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation
import Testing

/// What a refused command must leave as it was.
struct EngineSnapshot: Equatable {
    var state: ExtensionState?
    var pause: String?
    var current: CallID?
    var held: CallID?
    var attendances: Int
    var pending: Int?

    init(_ f: WorkstationFixture) throws {
        state = f.workstation.line?.state
        pause = f.workstation.line?.pause
        current = f.workstation.currentCalls.current?.id
        held = f.workstation.currentCalls.held?.id
        attendances = try f.store.attendances.count(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
        pending = f.workstation.pendingQualification?.number
    }
}

@Suite struct CallEnginePreconditionTests {
    typealias Step = @Sendable (WorkstationFixture) throws -> Void

    static func ringing(_ f: WorkstationFixture) throws { _ = try f.workstation.simulateIncoming(phone: "4832819500", service: "Suporte") }
    static func talking(_ f: WorkstationFixture) throws {
        try ringing(f)
        _ = try f.workstation.answer()
    }
    static func pendingQualification(_ f: WorkstationFixture) throws {
        try talking(f)
        _ = try f.workstation.hangup()
    }

    static let cases: [(String, Step, Step, AtendeError)] = [
        ("answer when idle", { _ in }, { _ = try $0.workstation.answer() }, .nothingRinging),
        ("hangup when idle", { _ in }, { _ = try $0.workstation.hangup() }, .noCall),
        ("hold when idle", { _ in }, { _ = try $0.workstation.hold() }, .noCall),
        ("hold while ringing", ringing, { _ = try $0.workstation.hold() }, .noCall),
        ("return with nothing held", talking, { _ = try $0.workstation.returnToHeld() }, .noHeldCall),
        ("complete transfer without consult", talking, { _ = try $0.workstation.transfer(nil) }, .notConsulting),
        ("conference without permission", talking, { _ = try $0.workstation.conference() }, .permissionDenied(.conference)),
        ("dial during a call", talking, { _ = try $0.workstation.dial("4833334444") }, .callInProgress),
        ("dial a bad number", { _ in }, { _ = try $0.workstation.dial("12") }, .invalidPhone("12", .tooShort)),
        ("redial with nothing dialled", { _ in }, { _ = try $0.workstation.redial() }, .nothingToRedial),
        ("call an unknown extension", { _ in }, { _ = try $0.workstation.call("9999") }, .unknownExtension("9999")),
        ("consult an unknown target", talking, { _ = try $0.workstation.consult("9999") }, .invalidPhone("9999", .tooShort)),
        ("call a colleague who is on a call", { f in
            _ = try f.workstation.pause(nil)
            _ = try f.workstation.simulateColleague("luan", .free)
            _ = try f.workstation.simulateIncoming(phone: "4832819500", service: "Suporte")
            _ = try f.workstation.simulateColleague("luan", .answer)
        }, { _ = try $0.workstation.call("luan") }, .targetBusy("2071")),
        ("capture with nothing ringing", { _ in }, { _ = try $0.workstation.capture() }, .nothingToCapture),
        ("barge as an agent", talking, { _ = try $0.workstation.barge("2071") }, .adminOnly),
        ("record when idle", { _ in }, { _ = try $0.workstation.record(reason: nil, comment: nil) }, .noCall),
        ("record with an unknown reason", talking, { _ = try $0.workstation.record(reason: "X", comment: nil) }, .unknownRecordingReason("X")),
        ("unpause when not paused", { _ in }, { _ = try $0.workstation.unpause() }, .notPaused),
        ("pause with an unknown reason", { _ in }, { _ = try $0.workstation.pause("Soneca") }, .unknownPauseReason("Soneca")),
        ("pause twice", { _ = try $0.workstation.pause(nil) }, { _ = try $0.workstation.pause(nil) }, .alreadyPaused),
        ("qualify with an unknown code", pendingQualification, { _ = try $0.workstation.qualify(number: nil, code: "X", comment: nil) }, .unknownQualificationCode("X")),
        ("qualify with nothing to qualify", { _ in }, { _ = try $0.workstation.qualify(number: nil, code: "VENDA", comment: nil) }, .nothingToQualify),
        ("answer before qualifying", { f in
            try pendingQualification(f)
            _ = try f.workstation.simulateRing(phone: "4833334444")
        }, { _ = try $0.workstation.answer() }, .qualificationPending(1)),
        ("capture before qualifying", pendingQualification, { _ = try $0.workstation.capture() }, .qualificationPending(1)),
        ("logout during a call", talking, { _ = try $0.workstation.logout() }, .logoutDuringCall),
        ("a customer with a bad number", { _ in }, { _ = try $0.workstation.simulateRing(phone: "x") }, .invalidPhone("x", .invalidCharacter("x"))),
        ("an unknown service", { _ in }, { _ = try $0.workstation.simulateIncoming(phone: "4832819500", service: "Nada") }, .unknownService("Nada")),
        ("abandon with an empty queue", { _ in }, { _ = try $0.workstation.simulate(.abandonOldest) }, .noQueuedCall),
    ]

    @Test(arguments: cases.indices)
    func aRefusedCommandChangesNothing(index: Int) throws {
        let (name, setup, command, error) = Self.cases[index]
        // Given fabio logged in, in the state the case sets up
        let f = try WorkstationFixture()
        try f.login()
        try setup(f)
        let before = try EngineSnapshot(f)
        // When the command is outside its precondition
        #expect(throws: error, "\(name)") { try command(f) }
        // Then nothing changed
        #expect(try EngineSnapshot(f) == before, "\(name)")
    }

    @Test func productivePausesNeedThePermissionAndCaptureCanBeBlocked() throws {
        let f = try WorkstationFixture()
        try f.login("luan")
        #expect(throws: AtendeError.permissionDenied(.productivePause)) { try f.workstation.pause("101") }
        _ = try f.workstation.logout()
        let g = try WorkstationFixture(defaults: ["block-capture": "on"])
        try g.login()
        #expect(throws: AtendeError.captureBlocked) { try g.workstation.capture() }
    }
}

@Suite struct CallEngineTransitionTests {
    @Test func anInboundCallIsRecordedWithItsTimesAndContact() throws {
        let f = try WorkstationFixture()
        try f.login()
        try f.workstation.addContact(ContactDraft(name: "Maria Souza", phones: ["(48) 3281-9500"]))
        let ring = try f.workstation.simulateIncoming(phone: "+55 48 3281-9500", service: "Suporte")
        guard case .ringing(let call, let contact)? = ring.first(where: { if case .ringing = $0 { true } else { false } }) else {
            Issue.record("no ringing event: \(ring)")
            return
        }
        #expect(call.service == "Suporte" && contact?.name == "Maria Souza")
        f.clock.advance(by: 4)
        _ = try f.workstation.answer()
        f.clock.advance(by: 30)
        _ = try f.workstation.hold()
        f.clock.advance(by: 10)
        _ = try f.workstation.hold()
        f.clock.advance(by: 5)
        let end = try f.workstation.simulateHangup()
        #expect(end.contains { if case .qualificationRequired(_, 60) = $0 { true } else { false } })
        let a = try #require(try f.store.attendances.attendance(number: 1))
        #expect((a.talkSeconds, a.holdSeconds, a.waitSeconds, a.endedBy) == (45, 10, 4, .customer))
        #expect(a.contactName == "Maria Souza" && a.phone == "+554832819500")
        #expect(f.workstation.line?.wrapUp == true)
        _ = try f.workstation.qualify(number: nil, code: "venda", comment: "ok")
        #expect(f.workstation.line?.wrapUp == false && f.workstation.pendingQualification == nil)
        #expect(try f.store.attendances.qualifications(of: a.id).map(\.code) == ["VENDA"])
    }

    @Test(arguments: [
        ("4833334444", "033334444"), ("(11) 98765-4321", "002111987654321"), ("+1 212 555 0100", "000211212555 0100".replacingOccurrences(of: " ", with: "")),
    ])
    func dialStringsFollowTheDialPlan(number: String, dialString: String) throws {
        let f = try WorkstationFixture()
        try f.login()
        let events = try f.workstation.dial(number)
        #expect(events.contains { if case .dialing(_, dialString) = $0 { true } else { false } })
        _ = try f.workstation.simulateAnswer()
        f.clock.advance(by: 5)
        _ = try f.workstation.simulateHangup()
        let a = try #require(try f.store.attendances.attendance(number: 1))
        #expect((a.type, a.talkSeconds, a.endedBy, a.dialString) == (.outbound, 5, .customer, dialString))
        // Outbound calls need no qualification: redial goes at once.
        #expect(try f.workstation.redial().contains { if case .dialing = $0 { true } else { false } })
    }

    @Test func wrapUpEndsByItselfAndQualifyCloseOffWaitsForIt() throws {
        let f = try WorkstationFixture(defaults: ["qualify-close": "off", "wrap-up": "20"])
        try f.login()
        try CallEnginePreconditionTests.pendingQualification(f)
        _ = try f.workstation.qualify(number: nil, code: "INFO", comment: nil)
        #expect(f.workstation.line?.wrapUp == true)
        f.clock.advance(by: 19)
        #expect(try f.workstation.tick().isEmpty)
        f.clock.advance(by: 1)
        #expect(try f.workstation.tick() == [.wrapUpEnded(attendanceNumber: 1, qualified: true)])
        #expect(f.workstation.line?.wrapUp == false)
        // Unqualified, the wrap-up time still ends it.
        try CallEnginePreconditionTests.pendingQualification(f)
        f.clock.advance(by: 20)
        #expect(try f.workstation.tick() == [.wrapUpEnded(attendanceNumber: 2, qualified: false)])
    }

    @Test func autoAnswerAndLoginPausedPreferences() throws {
        let f = try WorkstationFixture(defaults: ["auto-answer": "on", "login-paused": "on"])
        let outcome = try f.login()
        #expect(outcome.events.contains(.paused(PauseReason(name: "Almoço", kind: .eventual))))
        #expect(f.workstation.line?.pause == "Almoço")
        _ = try f.workstation.unpause()
        let events = try f.workstation.simulateIncoming(phone: "4832819500", service: "Suporte")
        #expect(events.contains { if case .answered = $0 { true } else { false } })
        #expect(f.workstation.line?.state == .talking)
        #expect(try f.store.pauses.list(agent: "fabio", span: DateSpan(start: .distantPast, end: .distantFuture)).count == 1)
    }

    @Test func aPausedAgentHearsTheQueueAndARingTimeoutIsALossAtTheAgent() throws {
        let f = try WorkstationFixture()
        try f.login()
        _ = try f.workstation.pause("Almoço")
        let queued = try f.workstation.simulateIncoming(phone: "4832819500", service: "Suporte")
        #expect(queued.contains(.queueAlert(waiting: 1)))
        _ = try f.workstation.unpause()
        f.clock.advance(by: 30)
        let timeout = try f.workstation.tick()
        #expect(timeout.contains { if case .missed = $0 { true } else { false } })
        let losses = try f.workstation.losses(.today)
        #expect(losses.count == 1 && losses[0].abandonedAtAgent == 1)
        #expect(try f.store.attendances.count(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture))) == 0)
    }

    @Test func logoutWithForceHangsUpFirst() throws {
        let f = try WorkstationFixture()
        try f.login()
        try CallEnginePreconditionTests.talking(f)
        let (_, events) = try f.workstation.logout(force: true)
        #expect(events.contains { if case .ended(_, .agent) = $0 { true } else { false } })
        #expect(f.workstation.session == nil)
    }

    @Test func agendaRemindersFireOnceWhenTheEventStarts() throws {
        let f = try WorkstationFixture()
        try f.login()
        try f.workstation.newAgendaEvent(AgendaDraft(name: "Retornar Maria", start: "2026-10-11 07:31", end: "2026-10-11 07:45"))
        #expect(try f.workstation.tick().isEmpty)
        f.clock.advance(by: 60)
        #expect(try f.workstation.tick().map { if case .agendaReminder(let e) = $0 { e.name } else { "" } } == ["Retornar Maria"])
        f.clock.advance(by: 60)
        #expect(try f.workstation.tick().isEmpty)
    }
}
