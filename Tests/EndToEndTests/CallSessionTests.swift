import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// The call engine's acceptance sessions, run through the binary with the manual clock.
@Suite struct CallSessionTests {
    func atende(_ dir: TemporaryDirectory, _ lines: [String], agent: String = "fabio", extra: [String] = []) throws -> RunResult {
        let script = (["login \(agent) receptivas", "pw-1234", "pw-1234"] + lines).joined(separator: "\n") + "\n"
        return try AtendeBinary.run(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00"] + extra, input: script)
    }

    func store(_ dir: TemporaryDirectory) throws -> Store {
        try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
    }

    func today() -> DateSpan {
        DateSpan(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_000_000_000))
    }

    @Test func anAnsweredHeldAndQualifiedInboundCall() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "sim incoming 4832819500 Suporte", "", "sim advance 30", "hold", "sim advance 10", "hold", "hangup",
            "qualify VENDA plano anual", "calls",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)\nstdout: \(r.stdout)")
        #expect(r.stdout.contains("Ringing: Suporte 4832819500"))
        #expect(r.stdout.contains("Call ended by the agent: attendance 1, talk 00:00:40, hold 00:00:10."))
        #expect(r.stdout.contains("Attendance 1 qualified: VENDA."))
        let a = try #require(try store(dir).attendances.attendance(number: 1))
        #expect((a.type, a.talkSeconds, a.holdSeconds, a.endedBy, a.qualification) == (.inbound, 40, 10, .agent, "VENDA"))
        #expect(a.service == "Suporte" && a.phone == "+554832819500" && a.agent == "fabio" && a.extension == "2050")
        #expect(r.lines.contains { $0.hasPrefix("INBOUND  1    VENDA") })
    }

    @Test func aSecondQueuedCallWaitsForTheQualification() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "sim incoming 4832819500 Suporte", "answer", "sim incoming 4833334444 Suporte", "sim advance 5", "hangup",
            "status", "answer",
        ], extra: ["--keep-going"])
        #expect(r.status == 1)
        #expect(r.errorLines.contains("error: qualify attendance 1 before the next call: `qualify CODE`."))
        #expect(r.stdout.contains("Waiting 1"))
        // After the qualification the waiting call rings.
        let q = try atende(TemporaryDirectory(), ["sim incoming 4832819500 Suporte", "answer", "sim incoming 4833334444 Suporte", "hangup", "qualify INFO"])
        #expect(q.stdout.contains("Ringing: Suporte 4833334444"))
    }

    @Test func anOutboundCallFollowsTheDialPlanAndRedials() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, ["+4833334444", "sim answer", "sim advance 5", "sim hangup", "."])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Dialling 4833334444 (dial string 033334444)."))
        let a = try #require(try store(dir).attendances.attendance(number: 1))
        #expect((a.type, a.talkSeconds, a.endedBy, a.dialString) == (.outbound, 5, .customer, "033334444"))
        #expect(r.stdout.components(separatedBy: "Dialling 4833334444").count == 3)
    }

    @Test func consultConferenceTransferAndReturn() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "sim incoming 4832819500 Suporte", "answer", "sim advance 10",
            "consult 2071", "sim agent luan answer", "sim advance 5", "return", "sim advance 5", "hangup", "qualify INFO",
            "sim incoming 4832819501 Suporte", "answer", "transfer 2071", "qualify INFO",
        ], agent: "fabio")
        #expect(r.status == 0, "stderr: \(r.stderr)\nstdout: \(r.stdout)")
        let s = try store(dir)
        // Numbers follow the calls as they were answered or placed (status shows them meanwhile):
        // the customer's call is 1, the consult placed during it is 2, though it ended first.
        let first = try #require(try s.attendances.attendance(number: 1))
        #expect((first.phone, first.talkSeconds, first.endedBy) == ("+554832819500", 20, .agent))
        let second = try #require(try s.attendances.attendance(number: 2))
        #expect(second.phone == "2071" && second.type == .internal && second.consultOf == first.callID)
        let third = try #require(try s.attendances.attendance(number: 3))
        #expect((third.endedBy, third.transferTarget) == (.transfer, "2071"))
        // Conference needs the permission: fabio lacks it, intelbras (admin) has it.
        let denied = try atende(dir, ["sim incoming 4832819502 Suporte", "answer", "consult 2071", "sim answer", "conference"], extra: ["--keep-going"])
        #expect(denied.errorLines.contains("error: you lack the conference permission. Ask your supervisor."))
    }

    @Test func theAdminConferencesAConsultAndHangsUp() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "sim incoming 4832819500 Suporte", "answer", "consult 2071", "sim answer",
            "conference", "sim advance 7", "hangup",
        ], agent: "intelbras")
        #expect(r.status == 0, "stderr: \(r.stderr)\nstdout: \(r.stdout)")
        #expect(r.stdout.contains("Conference up"))
        let attendances = try store(dir).attendances.list(AttendanceQuery(span: today()))
        #expect(attendances.contains { $0.phone == "+554832819500" && $0.endedBy == .agent })
    }

    @Test func captureTakesTheLongestRingingCallUnlessBlocked() throws {
        let dir = TemporaryDirectory()
        let lines = [
            "pause Almoço", "sim agent luan free", "sim agent intelbras free",
            "sim incoming 4832819500 Suporte", "sim advance 15", "sim incoming 4832819501 Suporte", "sim advance 5",
            "unpause", "*", "status",
        ]
        let r = try atende(dir, lines)
        #expect(r.status == 0, "stderr: \(r.stderr)\nstdout: \(r.stdout)")
        #expect(r.stdout.contains("Captured the call ringing at"))
        #expect(r.stdout.contains("Phone: 4832819500"))
        let blocked = try atende(TemporaryDirectory(), ["config block-capture on"] + lines, extra: ["--keep-going"])
        #expect(blocked.errorLines == ["error: capture is blocked on this workstation. Allow it with `config block-capture off`."])
    }

    @Test func aPausedAgentsCallWaitsAndAnAbandonIsALoss() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "pause Almoço", "sim incoming 4832819500 Suporte", "status", "sim advance 12", "sim abandon", "losses",
            "sim incoming 4832819501 Suporte", "unpause",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)\nstdout: \(r.stdout)")
        #expect(r.stdout.contains("Waiting 1 Longest 00:00"))
        #expect(r.stdout.contains("PAUSED Almoço"))
        #expect(r.lines.contains { $0.hasPrefix("Suporte  4832819500") && $0.contains("  1             0") })
        #expect(r.stdout.contains("Ringing: Suporte 4832819501"))
        let s = try store(dir)
        let pauses = try s.pauses.list(agent: "fabio", span: today())
        #expect(pauses.count == 1 && pauses[0].endedAt != nil && pauses[0].reason.name == "Almoço")
    }

    @Test func recordingNeedsThePermissionAndIsListed() throws {
        let dir = TemporaryDirectory()
        let denied = try atende(dir, ["sim incoming 4832819500 Suporte", "answer", "record QUALIDADE"], agent: "luan", extra: ["--keep-going"])
        #expect(denied.errorLines.contains("error: you lack the recording permission. Ask your supervisor."))
        let dir2 = TemporaryDirectory()
        let r = try atende(dir2, [
            "sim incoming 4832819500 Suporte", "answer", "sim advance 3", "record QUALIDADE cliente pediu", "sim advance 4",
            "record", "hangup", "qualify INFO", "attendance 1",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let a = try #require(try store(dir2).attendances.attendance(number: 1))
        #expect(a.recordings == [Recording(reason: "QUALIDADE", comment: "cliente pediu", startOffset: 3, stopOffset: 7)])
        #expect(r.stdout.contains("  Recording QUALIDADE 00:00:03–00:00:07  cliente pediu"))
    }

    @Test(arguments: [
        ("answer", "error: no call is ringing on this extension."),
        ("hold", "error: there is no call in progress. Use `dial NUMBER` or wait for a call."),
        ("hangup", "error: there is no call in progress. Use `dial NUMBER` or wait for a call."),
        ("return", "error: there is no caller on hold. Use `consult TARGET` to put the caller on hold and call someone."),
        ("unpause", "error: the agent is not paused."),
        ("*", "error: no call is ringing on a colleague of the group."),
        ("dial 12ab", "error: invalid phone \"12ab\": character \"a\" is not allowed."),
        (".", "error: nothing dialled yet. Use `dial NUMBER`."),
        ("sim advance x", "error: SECONDS of `sim advance` must be a number, not \"x\"."),
        ("qualify NOPE", "error: unknown qualification code \"NOPE\". See `help qualify`."),
        ("pause Soneca", "error: unknown pause reason \"Soneca\". Use a reason's name or code."),
    ])
    func commandsOutsideTheirPreconditionChangeNothing(command: String, message: String) throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [command, "note add not reached"])
        #expect(r.status == 1)
        #expect(r.errorLines == [message])
        #expect(try store(dir).attendances.count(AttendanceQuery(span: today())) == 0)
        #expect(try store(dir).notes.list(agent: "fabio").isEmpty)
    }
}
