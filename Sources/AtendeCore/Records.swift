public import Foundation

/// Whether a call came in, went out, or stayed inside the PABX.
public enum CallType: String, Codable, CaseIterable, Sendable {
    case inbound, outbound, `internal`
}

/// Who put the phone down.
public enum EndedBy: String, Codable, CaseIterable, Sendable {
    case agent, customer, transfer, system

    /// Who ended a call, as the agent on `extension` sees it: "by the agent" only when that agent
    /// hung up (a colleague hanging up is the other party). The one rule of the workstation's
    /// record and the switch host's.
    public init(_ reason: CallEnd, by: String?, extension me: String) {
        self = reason == .transfer ? .transfer : (reason == .agent && (by == nil || by == me)) ? .agent : .customer
    }
}

/// One call handled by an agent, with its times and outcome.
public struct Attendance: Codable, Hashable, Sendable {
    public var id: UUID
    public var number: Int
    public var type: CallType
    public var service: String?
    public var phone: String
    public var contactID: UUID?
    public var contactName: String?
    public var agent: String
    public var group: String
    public var `extension`: String
    public var queuedAt: Date?
    public var ringingAt: Date?
    public var answeredAt: Date?
    public var endedAt: Date?
    public var talkSeconds: Int
    public var waitSeconds: Int
    public var holdSeconds: Int
    public var endedBy: EndedBy?
    public var transferTarget: String?
    /// The latest qualification code, if any.
    public var qualification: String?
    /// Outbound calls: what the PABX dialled (CC-15).
    public var dialString: String?
    /// On-demand recordings made during the call (CC-9).
    public var recordings: [Recording]
    /// The switch's id of the call.
    public var callID: UUID?
    /// A consult leg: the switch's id of the customer's call it was placed for.
    public var consultOf: UUID?

    /// The id of the attendance `agent` has of the switch's call `call`: the same on the agent's
    /// workstation and on the switch's host, so the two records of one call are one record.
    public static func id(call: UUID, agent: String) -> UUID {
        UUID(derivedFrom: "attendance/\(call.uuidString)/\(Registry.nameKey(agent))")
    }

    /// Talk and wait in whole seconds, as every record of a call counts them: talk from the
    /// answer to the end, wait from the queue (or the ring) to the answer (or the end).
    public static func seconds(queuedAt: Date?, ringingAt: Date?, answeredAt: Date?, endedAt end: Date) -> (talk: Int, wait: Int) {
        let talk = answeredAt.map { max(0, Int(end.timeIntervalSince($0).rounded())) } ?? 0
        let wait = (queuedAt ?? ringingAt).map { max(0, Int((answeredAt ?? end).timeIntervalSince($0).rounded())) } ?? 0
        return (talk, wait)
    }

    /// A customer attendance: not a consult leg, and answered (an unanswered dial is kept, but is
    /// not one). Report totals count these only.
    public var isCustomerAttendance: Bool { consultOf == nil && answeredAt != nil }

    public init(
        id: UUID = .random(), number: Int = 0, type: CallType, service: String? = nil, phone: String,
        contactID: UUID? = nil, contactName: String? = nil, agent: String, group: String, extension: String,
        queuedAt: Date? = nil, ringingAt: Date? = nil, answeredAt: Date? = nil, endedAt: Date? = nil,
        talkSeconds: Int = 0, waitSeconds: Int = 0, holdSeconds: Int = 0, endedBy: EndedBy? = nil,
        transferTarget: String? = nil, qualification: String? = nil, dialString: String? = nil,
        recordings: [Recording] = [], callID: UUID? = nil, consultOf: UUID? = nil
    ) {
        self.id = id
        self.number = number
        self.type = type
        self.service = service
        self.phone = phone
        self.contactID = contactID
        self.contactName = contactName
        self.agent = agent
        self.group = group
        self.extension = `extension`
        self.queuedAt = queuedAt
        self.ringingAt = ringingAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.talkSeconds = talkSeconds
        self.waitSeconds = waitSeconds
        self.holdSeconds = holdSeconds
        self.endedBy = endedBy
        self.transferTarget = transferTarget
        self.qualification = qualification
        self.dialString = dialString
        self.recordings = recordings
        self.callID = callID
        self.consultOf = consultOf
    }

    /// When the attendance began for the agent: answered, else ringing, else queued.
    public var startedAt: Date? { answeredAt ?? ringingAt ?? queuedAt }
}

/// An on-demand recording within a call: reason, comment, and offsets in seconds from the answer.
public struct Recording: Codable, Hashable, Sendable {
    public var reason: String
    public var comment: String?
    public var startOffset: Int
    public var stopOffset: Int?
    public init(reason: String, comment: String?, startOffset: Int, stopOffset: Int? = nil) {
        self.reason = reason
        self.comment = comment
        self.startOffset = startOffset
        self.stopOffset = stopOffset
    }
}

/// A pause of an agent (CC-11): its reason, the productive code, start and end.
public struct PauseEntry: Codable, Hashable, Sendable {
    public var id: UUID
    public var agent: String
    public var reason: PauseReason
    public var startedAt: Date
    public var endedAt: Date?
    public init(id: UUID = .random(), agent: String, reason: PauseReason, startedAt: Date, endedAt: Date? = nil) {
        self.id = id
        self.agent = agent
        self.reason = reason
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// A disposition given to an attendance; requalifying appends another.
public struct Qualification: Codable, Hashable, Sendable {
    public var id: UUID
    public var attendanceID: UUID
    public var code: String
    public var comment: String?
    public var agent: String
    public var createdAt: Date
    public init(id: UUID = .random(), attendanceID: UUID, code: String, comment: String?, agent: String, createdAt: Date) {
        self.id = id
        self.attendanceID = attendanceID
        self.code = code
        self.comment = comment
        self.agent = agent
        self.createdAt = createdAt
    }
}

/// A day's lost calls from one phone to one service.
public struct Loss: Codable, Hashable, Sendable {
    public enum CallbackStatus: String, Codable, Sendable { case pending, done }
    public var id: UUID
    public var service: String
    public var phone: String
    public var contactName: String?
    public var group: String
    /// Local calendar day, `yyyy-mm-dd`.
    public var day: String
    public var abandonedInQueue: Int
    public var abandonedAtAgent: Int
    public var lastAt: Date
    public var callback: CallbackStatus

    public init(
        id: UUID = .random(), service: String, phone: String, contactName: String? = nil, group: String, day: String,
        abandonedInQueue: Int, abandonedAtAgent: Int, lastAt: Date, callback: CallbackStatus = .pending
    ) {
        self.id = id
        self.service = service
        self.phone = phone
        self.contactName = contactName
        self.group = group
        self.day = day
        self.abandonedInQueue = abandonedInQueue
        self.abandonedAtAgent = abandonedAtAgent
        self.lastAt = lastAt
        self.callback = callback
    }
}

/// A scheduled task for an agent, pending until marked done.
public struct AgendaEvent: Codable, Hashable, Sendable {
    public var id: UUID
    public var number: Int
    public var group: String
    public var agent: String
    public var name: String
    public var phone: String?
    public var startsAt: Date
    public var endsAt: Date
    public var allDay: Bool
    public var contactID: UUID?
    public var observation: String?
    public var doneAt: Date?
    public var createdBy: String

    public init(
        id: UUID = .random(), number: Int = 0, group: String, agent: String, name: String, phone: String? = nil,
        startsAt: Date, endsAt: Date, allDay: Bool = false, contactID: UUID? = nil, observation: String? = nil,
        doneAt: Date? = nil, createdBy: String
    ) {
        self.id = id
        self.number = number
        self.group = group
        self.agent = agent
        self.name = name
        self.phone = phone
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.allDay = allDay
        self.contactID = contactID
        self.observation = observation
        self.doneAt = doneAt
        self.createdBy = createdBy
    }

    public var isDone: Bool { doneAt != nil }
}

/// A personal notice-board note.
public struct Note: Codable, Hashable, Sendable {
    public var id: UUID
    public var number: Int
    public var agent: String
    public var text: String
    public var createdAt: Date
    public var updatedAt: Date
    public init(id: UUID = .random(), number: Int = 0, agent: String, text: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.number = number
        self.agent = agent
        self.text = text
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One phone of a contact: as typed, and canonical when it parsed.
public struct ContactPhone: Codable, Hashable, Sendable {
    public var text: String
    public var e164: String?
    public init(text: String, e164: String?) {
        self.text = text
        self.e164 = e164
    }
}

/// A customer record with its phones.
public struct Contact: Codable, Hashable, Sendable {
    public var id: UUID
    public var number: Int
    public var name: String
    public var company: String?
    public var email: String?
    public var notes: String?
    public var phones: [ContactPhone]
    public init(
        id: UUID = .random(), number: Int = 0, name: String, company: String? = nil, email: String? = nil,
        notes: String? = nil, phones: [ContactPhone] = []
    ) {
        self.id = id
        self.number = number
        self.name = name
        self.company = company
        self.email = email
        self.notes = notes
        self.phones = phones
    }
}

/// A chat message between agents.
public struct ChatMessage: Codable, Hashable, Sendable {
    public var id: UUID
    public var from: String
    public var to: [String]
    public var body: String
    public var sentAt: Date
    public var readAt: Date?
    public init(id: UUID = .random(), from: String, to: [String], body: String, sentAt: Date, readAt: Date? = nil) {
        self.id = id
        self.from = from
        self.to = to
        self.body = body
        self.sentAt = sentAt
        self.readAt = readAt
    }
}

/// A hit of ``search``: a contact or an attendance, with its rank (lower is better).
public enum SearchHit: Hashable, Sendable {
    case contact(Contact, rank: Double)
    case attendance(Attendance, rank: Double)

    public var rank: Double {
        switch self {
        case .contact(_, let r), .attendance(_, let r): return r
        }
    }
}

/// Text helpers shared by search and display.
public enum TextFolding {
    /// The initials of a name: "Maria da Silva Souza" → "mdss".
    public static func initials(of name: String) -> String {
        var initials = ""
        for word in name.split(whereSeparator: { $0.isWhitespace }) {
            guard let first = word.first else { continue }
            if let ascii = first.asciiValue {
                // Folding an ASCII letter lowercases it; Foundation's folding costs far more.
                initials.unicodeScalars.append(Unicode.Scalar((ascii &- UInt8(ascii: "A") < 26) ? ascii | 0x20 : ascii))
            } else {
                initials += String(first).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            }
        }
        return initials
    }
}
