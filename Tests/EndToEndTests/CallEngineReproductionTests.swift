import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// The call-engine reproductions of the event-driven rebuild, each run through the binary as it
/// was reported (`--clock manual`, fresh data folder), and what each must print now.
@Suite struct CallEngineReproductionTests {
    static let login = ["login fabio receptivas", "pw123456", "pw123456"]

    func atende(_ dir: TemporaryDirectory, _ lines: [String]) throws -> RunResult {
        try AtendeBinary.run(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00", "--transfer", "off"],
            input: lines.joined(separator: "\n") + "\n")
    }

    func attendances(_ dir: TemporaryDirectory) throws -> [Attendance] {
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        return try store.attendances.list(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
    }

    @Test func exitForceLeavesWhateverRingsOrWaits() throws {
        // Given a call up and a second one queued behind it
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            "sim incoming 4832819500 Suporte", "", "sim incoming 4832819501 Suporte", "exit --force",
        ])
        // Then exit --force ends the call, refuses the one that rings next, and leaves
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("error:"), "stderr: \(r.stderr)")
        #expect(r.lines.last == "fabio logged out.")
        #expect(try attendances(dir).map(\.phone) == ["+554832819500"])
    }

    @Test func hangupRefusesARingingCallBackToTheQueue() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["sim incoming 4832819500 Suporte", "hangup", "status"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Call refused: Suporte 4832819500; it went back to the queue."))
        // It waits for another agent: not offered again to the one who refused it.
        #expect(r.stdout.contains("Waiting 1 "))
        #expect(r.lines.contains("FREE  00:00:00"))
    }

    @Test func anAdminWhoBargedInLeavesAloneWhenHangingUp() throws {
        let r = try atende(TemporaryDirectory(), [
            "login intelbras receptivas", "pw123456", "pw123456", "config qualification off", "pause Café", "sim agent luan free",
            "sim incoming 4832819500 Suporte", "sim agent luan answer", "barge 2071", "hangup", "/",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("You left the call; the others stay on it."))
        // The colleague and the customer are still talking.
        #expect(r.lines.contains { $0.hasPrefix("Luan") && $0.contains("BUSY") && $0.contains("4832819500") }, "\(r.stdout)")
    }

    @Test func aConferenceIsNotHoldAndTheConsultLegIsNotACustomer() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "login intelbras receptivas", "pw123456", "pw123456", "config qualification off", "sim agent luan free",
            "sim incoming 4832819500 Suporte", "", "sim advance 5", "consult luan", "sim agent luan answer", "sim advance 5",
            "conference", "sim advance 20", "hangup", "calls",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // The customer was on hold 5 s (consult until conference), on a 30 s call.
        #expect(r.stdout.contains("talk 00:00:30, hold 00:00:05."))
        let rows = try attendances(dir)
        let customer = try #require(rows.first { $0.phone == "+554832819500" })
        #expect((customer.talkSeconds, customer.holdSeconds, customer.isCustomerAttendance) == (30, 5, true))
        let leg = try #require(rows.first { $0.type == .internal })
        #expect(leg.consultOf == customer.callID && !leg.isCustomerAttendance)
        // The report shows the leg as what it is, and counts the customer's 30 s once.
        #expect(r.lines.contains { $0.hasPrefix("CONSULT ") })
        #expect(r.stdout.contains("1 attendance(s) (and 1 consult leg(s) or unanswered call(s)), total time 00:00:30"))
    }

    @Test func anUnansweredDialIsKeptButNotACustomerAttendance() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["+4833334444", "sim advance 20", "hangup", "calls"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.lines.contains { $0.hasPrefix("UNANSWERED ") })
        #expect(r.stdout.contains("0 attendance(s) (and 1 consult leg(s) or unanswered call(s)), total time 00:00:00"))
    }

    @Test func theWorkstationsExtensionIsTheOneEverythingAgreesOn() throws {
        // Given fabio's first login on this data folder (the defaults saved), then luan's
        let dir = TemporaryDirectory()
        _ = try atende(dir, Self.login + ["logout"])
        let r = try atende(dir, [
            "login luan receptivas", "pw123456", "pw123456", "sim incoming 4832819500 Suporte", "", "sim advance 5", "hangup",
            "qualify INFO", "status", "extensions luan", "config extension 2050",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // Then the attendance, the status and the extension list all say 2071, Luan's registered extension
        #expect(try attendances(dir).map(\.extension) == ["2071"])
        #expect(r.stdout.contains("Ext. 2071"))
        #expect(r.lines.contains { $0.hasPrefix("Luan") && $0.contains("2071") })
        // And a new extension while logged in says when it takes effect
        #expect(r.stdout.contains("Extension 2050 takes effect at the next login."))
    }

    @Test func statusShowsTheWrapUpWithItsTimeLeft() throws {
        let r = try atende(TemporaryDirectory(), Self.login + [
            "sim incoming 4832819500 Suporte", "", "hangup", "sim advance 15", "status",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.lines.contains("WRAP-UP 00:00:45"), "\(r.stdout)")
    }

    @Test func statusShowsTheAttendanceNumberAndTheOtherExtension() throws {
        // Given one call answered and written (attendance 1), then a second answered
        let r = try atende(TemporaryDirectory(), Self.login + [
            "config qualification off", "sim incoming 4832819500 Suporte", "", "hangup", "sim incoming 4832819501 Suporte", "",
            "status", "hangup", "sim agent luan free", "call luan", "sim agent luan answer", "status",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // Then status names the attendance the call will be, and for an internal call the other extension
        #expect(r.lines.contains("Attendance: 2  Service: Suporte  Phone: 4832819501  Contact: "), "\(r.stdout)")
        #expect(r.lines.contains("Attendance: 3  Service:   Phone: 2071  Contact: "), "\(r.stdout)")
        #expect(r.stdout.contains("Call ended by the agent: attendance 2,"))
    }

    @Test func aRingTimeoutSaysTheCallMovedOn() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["sim incoming 4832819500 Suporte", "sim advance 30"])
        #expect(r.stdout.contains("Not answered in time: Suporte 4832819500; it moved on to the next agent."))
        #expect(r.stdout.contains("Lost call recorded: Suporte 4832819500 (abandoned at the agent)."))
    }

    @Test func refusalsNameTheStateTheAgentIsIn() throws {
        let r = try AtendeBinary.run(
            ["--data-dir", TemporaryDirectory().path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00",
             "--keep-going"],
            input: (Self.login + [
                "sim agent luan free", "sim incoming 4832819500 Suporte", "", "consult luan", "transfer", "hold",
                "sim agent luan answer", "hold", "sim agent luan hangup", "return", "hangup",
                "config qualification off", "call luan", "sim agent luan answer", "sim agent luan hangup",
            ]).joined(separator: "\n") + "\n")
        #expect(r.errorLines.contains(
            "error: the consult is still ringing. Wait for an answer or use `return` to go back to the caller."))
        #expect(r.errorLines.contains(
            "error: a consult is in progress with the caller on hold. Use `return` to go back to the caller or `transfer` to complete it."))
        // The colleague ended the internal call: not "by the agent"
        #expect(r.stdout.contains("Call ended by the other party: attendance"), "\(r.stdout)")
    }

    @Test func theClockMovesAtMostSevenDaysAtOnce() throws {
        let r = try atende(TemporaryDirectory(), Self.login + ["sim advance 86400", "sim advance 2147483648"])
        #expect(r.status == 1)
        #expect(r.errorLines == ["error: the clock cannot move more than 604800 seconds at once. Use a smaller number."])
    }

    @Test func theEndOfAScriptDuringACallEndsItAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + ["sim incoming 4832819500 Suporte", "", "sim advance 12"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.errorLines.contains("End of input with a call up: the call is ended and recorded."))
        #expect(try attendances(dir).map(\.talkSeconds) == [12])
    }
}
