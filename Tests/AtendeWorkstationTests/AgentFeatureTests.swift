import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing

@Suite struct AgendaTests {
    @Test func anEventNeedsANameAStartAndAnEndNotBeforeIt() throws {
        let f = try WorkstationFixture()
        try f.login()
        #expect(throws: AtendeError.emptyField("name")) { try f.workstation.newAgendaEvent(AgendaDraft(start: "11/10/2026 08:00", end: "11/10/2026 09:00")) }
        #expect(throws: AtendeError.emptyField("start")) { try f.workstation.newAgendaEvent(AgendaDraft(name: "X", end: "11/10/2026 09:00")) }
        #expect(throws: AtendeError.emptyField("end")) { try f.workstation.newAgendaEvent(AgendaDraft(name: "X", start: "11/10/2026 08:00")) }
        #expect(throws: AtendeError.endBeforeStart) {
            try f.workstation.newAgendaEvent(AgendaDraft(name: "X", start: "2026-10-11 10:00", end: "2026-10-11 09:59"))
        }
        #expect(throws: AtendeError.invalidPhone("12", .tooShort)) {
            try f.workstation.newAgendaEvent(AgendaDraft(name: "X", phone: "12", start: "11/10/2026 08:00", end: "11/10/2026 09:00"))
        }
        #expect(try f.workstation.agenda(.everything, filter: .all).isEmpty)
    }

    @Test func eventsAreCreatedEditedDoneAndReopened() throws {
        let f = try WorkstationFixture()
        try f.login()
        let e = try f.workstation.newAgendaEvent(AgendaDraft(
            name: "Projeto X", phone: "21060006", start: "11/10/2026 08:00", end: "11/10/2026 09:00", observation: "demo"))
        #expect(e.phone == "+554821060006" && e.group == "receptivas" && e.agent == "fabio")
        #expect(try f.workstation.status().agendaDue == 0)
        f.clock.advance(by: 31 * 60)
        #expect(try f.workstation.status().agendaDue == 1)
        let moved = try f.workstation.editAgendaEvent(1, AgendaDraft(end: "11/10/2026 10:00"))
        #expect(moved.endsAt.timeIntervalSince(moved.startsAt) == 7200)
        #expect(throws: AtendeError.endBeforeStart) { try f.workstation.editAgendaEvent(1, AgendaDraft(end: "11/10/2026 07:00")) }
        try f.workstation.setAgendaEvent(1, done: true)
        #expect(throws: AtendeError.agendaEventAlreadyDone(1)) { try f.workstation.setAgendaEvent(1, done: true) }
        #expect(try f.workstation.status().agendaDue == 0)
        #expect(try f.workstation.agenda(.today, filter: .done).map(\.name) == ["Projeto X"])
        try f.workstation.setAgendaEvent(1, done: false)
        #expect(try f.workstation.agenda(.everything, filter: .pending).count == 1)
        #expect(try f.workstation.agenda(.day("12/10/2026"), filter: .all).isEmpty)
        #expect(try f.workstation.agenda(.week, filter: .all).count == 1)
    }

    @Test func allDayEventsCoverTheWholeDay() throws {
        let f = try WorkstationFixture()
        try f.login()
        let e = try f.workstation.newAgendaEvent(AgendaDraft(name: "Inventário", start: "2026-10-12", allDay: true))
        #expect(f.calendar.component(.hour, from: e.startsAt) == 0)
        #expect(f.calendar.component(.hour, from: e.endsAt) == 23 && f.calendar.component(.minute, from: e.endsAt) == 59)
    }

    @Test func onlySupervisorsScheduleForOthers() throws {
        let f = try WorkstationFixture()
        try f.login("fabio")
        let draft = AgendaDraft(name: "Retornar", start: "11/10/2026 08:00", end: "11/10/2026 08:30", agent: "luan")
        #expect(throws: AtendeError.supervisorOnly) { try f.workstation.newAgendaEvent(draft) }
        _ = try f.workstation.logout()
        try f.login("super")
        #expect(try f.workstation.newAgendaEvent(draft).agent == "luan")
        #expect(throws: AtendeError.agentNotInGroup(agent: "luan", group: "ativas")) {
            var other = draft
            other.group = "ativas"
            try f.workstation.newAgendaEvent(other)
        }
    }
}

@Suite struct NotesContactsAndConfigTests {
    @Test func notesBelongToTheirAgent() throws {
        let f = try WorkstationFixture()
        try f.login("fabio")
        try f.workstation.addNote("  Call the bank  ")
        #expect(throws: AtendeError.emptyField("text")) { try f.workstation.addNote("   ") }
        _ = try f.workstation.logout()
        try f.login("luan")
        #expect(try f.workstation.notes().isEmpty)
        #expect(throws: AtendeError.noSuchNote(1)) { try f.workstation.editNote(1, "mine now") }
        _ = try f.workstation.logout()
        try f.login("fabio")
        #expect(try f.workstation.notes().map(\.text) == ["Call the bank"])
    }

    @Test func contactsNeedThePermissionAndValidPhones() throws {
        let f = try WorkstationFixture()
        try f.login("luan")
        #expect(throws: AtendeError.permissionDenied(.contactEdit)) { try f.workstation.addContact(ContactDraft(name: "Maria")) }
        _ = try f.workstation.logout()
        try f.login("fabio")
        #expect(throws: AtendeError.invalidPhone("3281-95", .tooShort)) {
            try f.workstation.addContact(ContactDraft(name: "Maria", phones: ["3281-95"]))
        }
        let maria = try f.workstation.addContact(ContactDraft(name: "Maria Souza", phones: ["3281-9500"], company: "Intelbras"))
        #expect(maria.phones.map(\.e164) == ["+554832819500"])
        let edited = try f.workstation.editContact(maria.number, ContactDraft(email: "maria@example.com"))
        #expect(edited.company == "Intelbras" && edited.email == "maria@example.com")
        #expect(try f.workstation.findContacts("ms").map(\.number) == [maria.number])
    }

    @Test func configurationIsValidatedAndStored() throws {
        let f = try WorkstationFixture()
        try f.login()
        #expect(try f.workstation.configuration().areaCode == "48")
        try f.workstation.setConfiguration("ddd", "11")
        #expect(try f.workstation.configuration().areaCode == "11")
        #expect(throws: AtendeError.unknownConfigKey("colour")) { try f.workstation.setConfiguration("colour", "on") }
        #expect(throws: AtendeError.invalidConfigValue(key: "transfer", value: "udp 1", expected: .transfer)) {
            try f.workstation.setConfiguration("transfer", "udp 1")
        }
        #expect(try f.workstation.setConfiguration("transferencia", "txt /tmp/crm").1 == "txt /tmp/crm")
        // The area code now applies to phones typed without one.
        #expect(try f.workstation.addContact(ContactDraft(name: "Paulista", phones: ["98765-4321"])).phones[0].e164 == "+5511987654321")
    }

    @Test func lossesNeedTheLossReportOn() throws {
        let f = try WorkstationFixture()
        try f.login()
        try f.store.losses.record(
            service: "Suporte", phone: "+554832819500", contactName: nil, group: "receptivas", day: f.workstation.dayKey(f.clock.now()),
            at: f.clock.now(), place: .queue)
        #expect(try f.workstation.losses(.today).count == 1)
        #expect(try f.workstation.losses(.yesterday).isEmpty)
        #expect(try f.workstation.status().losses == 1)
        try f.workstation.setConfiguration("loss-report", "off")
        #expect(throws: AtendeError.lossReportDisabled) { try f.workstation.losses(.today) }
        #expect(try f.workstation.status().losses == nil)
    }

    @Test func callsDefaultToTodayAndThisAgent() throws {
        let f = try WorkstationFixture()
        try f.login()
        let now = f.clock.now()
        try f.store.attendances.addAll([
            Attendance(type: .inbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050", answeredAt: now, talkSeconds: 40),
            Attendance(type: .inbound, phone: "+554832819500", agent: "luan", group: "receptivas", extension: "2071", answeredAt: now, talkSeconds: 10),
            Attendance(type: .outbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050",
                       answeredAt: now.addingTimeInterval(-86_400), talkSeconds: 5),
        ])
        let today = try f.workstation.calls(CallsRequest())
        #expect(today.attendances.map(\.agent) == ["fabio"] && today.totalSeconds == 40)
        #expect(try f.workstation.calls(CallsRequest(from: "yesterday")).attendances.map(\.talkSeconds) == [5])
        #expect(try f.workstation.calls(CallsRequest(from: "10/10/2026", to: "11/10/2026")).attendances.count == 2)
        #expect(throws: AtendeError.supervisorOnly) { try f.workstation.calls(CallsRequest(agent: "luan")) }
        #expect(throws: AtendeError.invalidTimeRange("9-8")) { try f.workstation.calls(CallsRequest(time: "9-8")) }
    }
}
