public import AtendeCore
import AtendeStore
public import Foundation

/// The fields of an agenda event as typed (AG-1); nil leaves a field as it is when editing.
public struct AgendaDraft: Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var start: String?
    public var end: String?
    public var allDay: Bool?
    public var group: String?
    public var agent: String?
    /// A contact number, or text that finds exactly one contact.
    public var contact: String?
    public var observation: String?

    public init(
        name: String? = nil, phone: String? = nil, start: String? = nil, end: String? = nil, allDay: Bool? = nil,
        group: String? = nil, agent: String? = nil, contact: String? = nil, observation: String? = nil
    ) {
        self.name = name
        self.phone = phone
        self.start = start
        self.end = end
        self.allDay = allDay
        self.group = group
        self.agent = agent
        self.contact = contact
        self.observation = observation
    }
}

/// Which days an agenda view covers (AG-2).
public enum AgendaView: Sendable, Equatable {
    case today
    case day(String)
    case week
    case month
    /// Every event, whatever its date (with `--pending` or `--done`).
    case everything
}

extension Workstation {
    /// Creates an event; supervisors and admins may create one for another agent.
    @discardableResult
    public func newAgendaEvent(_ draft: AgendaDraft) throws -> AgendaEvent {
        let session = try requireSession()
        let event = AgendaEvent(
            group: session.group.name, agent: session.agent.nickname, name: "", startsAt: now, endsAt: now,
            createdBy: session.agent.nickname)
        return try store.agenda.add(try apply(draft, to: event, session: session, creating: true))
    }

    /// Changes the fields given of event `number`.
    @discardableResult
    public func editAgendaEvent(_ number: Int, _ draft: AgendaDraft) throws -> AgendaEvent {
        let session = try requireSession()
        let event = try agendaEvent(number, session: session)
        let updated = try apply(draft, to: event, session: session, creating: false)
        try store.agenda.update(updated)
        return updated
    }

    /// Marks event `number` finished, or open again.
    @discardableResult
    public func setAgendaEvent(_ number: Int, done: Bool) throws -> AgendaEvent {
        let session = try requireSession()
        var event = try agendaEvent(number, session: session)
        if done && event.isDone { throw AtendeError.agendaEventAlreadyDone(number) }
        if !done && !event.isDone { throw AtendeError.agendaEventNotDone(number) }
        event.doneAt = done ? now : nil
        try store.agenda.update(event)
        return event
    }

    /// The logged-in agent's events of a view.
    public func agenda(_ view: AgendaView, filter: AgendaFilter) throws -> [AgendaEvent] {
        let session = try requireSession()
        let span: DateSpan?
        switch view {
        case .today: span = try dates.day("today", now: now)
        case .day(let text): span = try dates.day(text, now: now)
        case .week: span = dates.week(of: now)
        case .month: span = dates.month(of: now)
        case .everything: span = nil
        }
        return try store.agenda.list(agent: session.agent.nickname, span: span, filter: filter)
    }

    private func agendaEvent(_ number: Int, session: Session) throws -> AgendaEvent {
        guard let event = try store.agenda.event(number: number),
            event.agent.caseInsensitiveCompare(session.agent.nickname) == .orderedSame || session.agent.role != .agent
        else { throw AtendeError.noSuchAgendaEvent(number) }
        return event
    }

    private func apply(_ d: AgendaDraft, to event: AgendaEvent, session: Session, creating: Bool) throws -> AgendaEvent {
        var e = event
        if let name = d.name { e.name = name.trimmingSpaces }
        guard !e.name.isEmpty else { throw AtendeError.emptyField("name") }
        guard e.name.count <= 200 else { throw AtendeError.fieldTooLong(field: "name", maximum: 200) }
        if let agentName = d.agent {
            guard let agent = registry.agent(agentName) else { throw AtendeError.unknownAgentForAgenda(agentName) }
            if agent.nickname != session.agent.nickname && session.agent.role == .agent {
                throw AtendeError.supervisorOnly
            }
            e.agent = agent.nickname
        }
        if let groupName = d.group {
            guard let group = registry.group(groupName) else { throw AtendeError.unknownGroup(groupName) }
            e.group = group.name
        }
        if let agent = registry.agent(e.agent), !agent.groups.contains(where: { $0.caseInsensitiveCompare(e.group) == .orderedSame }) {
            throw AtendeError.agentNotInGroup(agent: agent.nickname, group: e.group)
        }
        if let phone = d.phone {
            if phone.trimmingSpaces.isEmpty {
                e.phone = nil
            } else {
                do {
                    e.phone = try PhoneNumber.parse(phone, areaCode: try configuration().areaCode).e164
                } catch let error as PhoneError {
                    throw AtendeError.invalidPhone(phone, error)
                }
            }
        }
        if let allDay = d.allDay { e.allDay = allDay }
        if creating && d.start == nil { throw AtendeError.emptyField("start") }
        if let start = d.start { e.startsAt = try dates.dateTime(start) }
        if e.allDay {
            let day = calendar.startOfDay(for: e.startsAt)
            e.startsAt = day
            let lastDay = try d.end.map { try dates.dateTime($0) } ?? day
            // The last minute of the calendar day, however long the day is (23 or 25 hours across
            // a daylight-saving change): the next day's start, less a minute.
            let nextDay = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: lastDay))!
            e.endsAt = nextDay.addingTimeInterval(-60)
        } else {
            if creating && d.end == nil { throw AtendeError.emptyField("end") }
            if let end = d.end { e.endsAt = try dates.dateTime(end) }
        }
        guard e.endsAt >= e.startsAt else { throw AtendeError.endBeforeStart }
        if let text = d.contact {
            e.contactID = text.trimmingSpaces.isEmpty ? nil : try resolveContact(text).id
        }
        if let obs = d.observation {
            let t = obs.trimmingSpaces
            e.observation = t.isEmpty ? nil : t
        }
        return e
    }

    /// A contact by number, or by search text that finds exactly one.
    func resolveContact(_ text: String) throws -> Contact {
        if let n = Int(text), let c = try store.contacts.contact(number: n) { return c }
        let found = try store.search.contacts(text, limit: 2)
        guard let first = found.first else { throw AtendeError.noSuchContact(text) }
        guard found.count == 1 else { throw AtendeError.ambiguousContact(text, matches: found.count) }
        return first
    }
}
