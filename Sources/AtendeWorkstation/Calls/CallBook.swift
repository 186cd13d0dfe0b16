import AtendeCore
import Foundation

/// What the workstation keeps about one of its calls until the attendance is written.
struct CallRecord {
    var id: CallID
    var type: CallType
    var service: String?
    var group: String?
    /// Canonical phone for external calls; the other extension for internal ones.
    var phone: String
    var contact: Contact?
    var queuedAt: Date?
    var ringingAt: Date?
    var answeredAt: Date?
    var holdStartedAt: Date?
    var holdSeconds = 0
    var dialString: String?
    var recordings: [Recording] = []
    var transferTarget: String?
    /// A consult leg: the customer's call it was placed for.
    var consultOf: CallID?
    /// The attendance number reserved for this call's record (SL-4 shows it during the call).
    var number: Int?

    /// A recording is running.
    var isRecording: Bool { recordings.last.map { $0.stopOffset == nil } ?? false }

    /// Seconds since the answer (recording offsets).
    func offset(at now: Date) -> Int {
        answeredAt.map { max(0, Int(now.timeIntervalSince($0).rounded())) } ?? 0
    }
}

/// The agent's calls and call-related state: open records, wrap-up, redial, alerts, reminders.
struct CallBook {
    var records: [CallID: CallRecord] = [:]
    /// The attendance that must be qualified before the next call (CC-17).
    var pendingQualification: Attendance?
    var wrapUpDeadline: Date?
    /// Qualified, with qualify-and-close off: the wrap-up runs until its deadline.
    var qualifiedInWrapUp = false
    var lastDialled: String?
    /// Dial strings of the numbers being dialled, until the switch says their call is dialling.
    var dialStrings: [String: String] = [:]
    /// Attendances of ended calls the store could not write yet: kept and retried until durable.
    var unsaved: [(record: CallRecord, endedBy: EndedBy, end: Date, failures: Int)] = []
    var retryAt: Date?
    var lastAttendanceNumber: Int?
    var pausedSince: Date?
    var alertedWaiting = 0
    var remindedEvents: Set<UUID> = []
    /// Taking the seat again after the link came back: the next try, or the announcement waiting
    /// for the seat's events.
    var reseat: Reseat?
}

/// The seat being taken again after the link to the server came back.
struct Reseat {
    /// Tries made so far after the first.
    var attempt = 0
    /// When the next try is due.
    var at: Date?
    /// The seat is taken: the link's return is said once the events are handled through here.
    var announceThrough: UInt64?
}
