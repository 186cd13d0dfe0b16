import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

@Suite struct AgendaTests {
    @Test func anEventNeedsANameAStartAndAnEndNotBeforeIt() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        await #expect(throws: AtendeError.emptyField("name")) { try await f.workstation.newAgendaEvent(AgendaDraft(start: "11/10/2026 08:00", end: "11/10/2026 09:00")) }
        await #expect(throws: AtendeError.emptyField("start")) { try await f.workstation.newAgendaEvent(AgendaDraft(name: "X", end: "11/10/2026 09:00")) }
        await #expect(throws: AtendeError.emptyField("end")) { try await f.workstation.newAgendaEvent(AgendaDraft(name: "X", start: "11/10/2026 08:00")) }
        await #expect(throws: AtendeError.endBeforeStart) {
            try await f.workstation.newAgendaEvent(AgendaDraft(name: "X", start: "2026-10-11 10:00", end: "2026-10-11 09:59"))
        }
        await #expect(throws: AtendeError.invalidPhone("12", .tooShort)) {
            try await f.workstation.newAgendaEvent(AgendaDraft(name: "X", phone: "12", start: "11/10/2026 08:00", end: "11/10/2026 09:00"))
        }
        #expect(try await f.workstation.agenda(.everything, filter: .all).isEmpty)
    }

    @Test func eventsAreCreatedEditedDoneAndReopened() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        let e = try await f.workstation.newAgendaEvent(AgendaDraft(
            name: "Projeto X", phone: "21060006", start: "11/10/2026 08:00", end: "11/10/2026 09:00", observation: "demo"))
        #expect(e.phone == "+554821060006" && e.group == "receptivas" && e.agent == "fabio")
        #expect(try await f.workstation.status().agendaDue == 0)
        f.clock.advance(by: 31 * 60)
        #expect(try await f.workstation.status().agendaDue == 1)
        let moved = try await f.workstation.editAgendaEvent(1, AgendaDraft(end: "11/10/2026 10:00"))
        #expect(moved.endsAt.timeIntervalSince(moved.startsAt) == 7200)
        await #expect(throws: AtendeError.endBeforeStart) { try await f.workstation.editAgendaEvent(1, AgendaDraft(end: "11/10/2026 07:00")) }
        try await f.workstation.setAgendaEvent(1, done: true)
        await #expect(throws: AtendeError.agendaEventAlreadyDone(1)) { try await f.workstation.setAgendaEvent(1, done: true) }
        #expect(try await f.workstation.status().agendaDue == 0)
        #expect(try await f.workstation.agenda(.today, filter: .done).map(\.name) == ["Projeto X"])
        try await f.workstation.setAgendaEvent(1, done: false)
        #expect(try await f.workstation.agenda(.everything, filter: .pending).count == 1)
        #expect(try await f.workstation.agenda(.day("12/10/2026"), filter: .all).isEmpty)
        #expect(try await f.workstation.agenda(.week, filter: .all).count == 1)
    }

    @Test func allDayEventsCoverTheWholeDay() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        let e = try await f.workstation.newAgendaEvent(AgendaDraft(name: "Inventário", start: "2026-10-12", allDay: true))
        #expect(f.calendar.component(.hour, from: e.startsAt) == 0)
        #expect(f.calendar.component(.hour, from: e.endsAt) == 23 && f.calendar.component(.minute, from: e.endsAt) == 59)
    }

    @Test func onlySupervisorsScheduleForOthers() async throws {
        let f = try WorkstationFixture()
        try await f.login("fabio")
        let draft = AgendaDraft(name: "Retornar", start: "11/10/2026 08:00", end: "11/10/2026 08:30", agent: "luan")
        await #expect(throws: AtendeError.supervisorOnly) { try await f.workstation.newAgendaEvent(draft) }
        _ = try await f.workstation.logout()
        try await f.login("super")
        #expect(try await f.workstation.newAgendaEvent(draft).agent == "luan")
        await #expect(throws: AtendeError.agentNotInGroup(agent: "luan", group: "ativas")) {
            var other = draft
            other.group = "ativas"
            try await f.workstation.newAgendaEvent(other)
        }
    }
}

@Suite struct NotesContactsAndConfigTests {
    @Test func notesBelongToTheirAgent() async throws {
        let f = try WorkstationFixture()
        try await f.login("fabio")
        try await f.workstation.addNote("  Call the bank  ")
        await #expect(throws: AtendeError.emptyField("text")) { try await f.workstation.addNote("   ") }
        _ = try await f.workstation.logout()
        try await f.login("luan")
        #expect(try await f.workstation.notes().isEmpty)
        await #expect(throws: AtendeError.noSuchNote(1)) { try await f.workstation.editNote(1, "mine now") }
        _ = try await f.workstation.logout()
        try await f.login("fabio")
        #expect(try await f.workstation.notes().map(\.text) == ["Call the bank"])
    }

    @Test func contactsNeedThePermissionAndValidPhones() async throws {
        let f = try WorkstationFixture()
        try await f.login("luan")
        await #expect(throws: AtendeError.permissionDenied(.contactEdit)) { try await f.workstation.addContact(ContactDraft(name: "Maria")) }
        _ = try await f.workstation.logout()
        try await f.login("fabio")
        await #expect(throws: AtendeError.invalidPhone("3281-95", .tooShort)) {
            try await f.workstation.addContact(ContactDraft(name: "Maria", phones: ["3281-95"]))
        }
        let maria = try await f.workstation.addContact(ContactDraft(name: "Maria Souza", phones: ["3281-9500"], company: "Intelbras"))
        #expect(maria.phones.map(\.e164) == ["+554832819500"])
        let edited = try await f.workstation.editContact(maria.number, ContactDraft(email: "maria@example.com"))
        #expect(edited.company == "Intelbras" && edited.email == "maria@example.com")
        #expect(try await f.workstation.findContacts("ms").map(\.number) == [maria.number])
    }

    @Test func configurationIsValidatedAndStored() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        #expect(try await f.workstation.configuration().areaCode == "48")
        try await f.workstation.setConfiguration("ddd", "11")
        #expect(try await f.workstation.configuration().areaCode == "11")
        await #expect(throws: AtendeError.unknownConfigKey("colour")) { try await f.workstation.setConfiguration("colour", "on") }
        await #expect(throws: AtendeError.invalidConfigValue(key: "transfer", value: "udp 1", expected: .transfer)) {
            try await f.workstation.setConfiguration("transfer", "udp 1")
        }
        // A TXT folder must exist: only the extensions' folders are created inside it.
        await #expect(throws: AtendeError.transferFolderMissing(f.dir.file("crm").path)) {
            try await f.workstation.setConfiguration("transferencia", "txt \(f.dir.file("crm").path)")
        }
        #expect(try await f.workstation.setConfiguration("transferencia", "txt \(f.dir.path)").1 == "txt \(f.dir.path)")
        // The area code now applies to phones typed without one.
        #expect(try await f.workstation.addContact(ContactDraft(name: "Paulista", phones: ["98765-4321"])).phones[0].e164 == "+5511987654321")
    }

    @Test func lossesNeedTheLossReportOn() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        try f.store.losses.record(
            service: "Suporte", phone: "+554832819500", contactName: nil, group: "receptivas", day: f.workstation.dayKey(f.clock.now()),
            at: f.clock.now(), place: .queue)
        #expect(try await f.workstation.losses(.today).count == 1)
        #expect(try await f.workstation.losses(.yesterday).isEmpty)
        #expect(try await f.workstation.status().losses == 1)
        try await f.workstation.setConfiguration("loss-report", "off")
        await #expect(throws: AtendeError.lossReportDisabled) { try await f.workstation.losses(.today) }
        #expect(try await f.workstation.status().losses == nil)
    }

    @Test func callsDefaultToTodayAndThisAgent() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        let now = f.clock.now()
        try f.store.attendances.addAll([
            Attendance(type: .inbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050", answeredAt: now, talkSeconds: 40),
            Attendance(type: .inbound, phone: "+554832819500", agent: "luan", group: "receptivas", extension: "2071", answeredAt: now, talkSeconds: 10),
            Attendance(type: .outbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050",
                       answeredAt: now.addingTimeInterval(-86_400), talkSeconds: 5),
        ])
        let today = try await f.workstation.calls(CallsRequest())
        #expect(today.attendances.map(\.agent) == ["fabio"] && today.totalSeconds == 40)
        #expect(try await f.workstation.calls(CallsRequest(from: "yesterday")).attendances.map(\.talkSeconds) == [5])
        #expect(try await f.workstation.calls(CallsRequest(from: "10/10/2026", to: "11/10/2026")).attendances.count == 2)
        await #expect(throws: AtendeError.supervisorOnly) { try await f.workstation.calls(CallsRequest(agent: "luan")) }
        await #expect(throws: AtendeError.invalidTimeRange("9-8")) { try await f.workstation.calls(CallsRequest(time: "9-8")) }
    }
}
