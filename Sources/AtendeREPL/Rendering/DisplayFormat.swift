import AtendeCore
import Foundation
import Synchronization

/// Dates and durations as people read them (`dd/mm/yyyy HH:MM`), and as `--json` writes them (ISO 8601).
///
/// A day of calls shows thousands of dates and times: the local time of a quarter of an hour is
/// worked out by the calendar once (``LocalQuarters``) and the digits are written without
/// `String(format:)`, with the same text as `%02d` gives.
struct DisplayFormat: Sendable {
    let calendar: Calendar
    let language: Language
    private let quarters: LocalQuarters

    init(calendar: Calendar, language: Language) {
        self.calendar = calendar
        self.language = language
        quarters = LocalQuarters(calendar: calendar)
    }

    func date(_ d: Date) -> String {
        let t = quarters.local(d)
        return Self.padded(t.day, 2) + "/" + Self.padded(t.month, 2) + "/" + Self.padded(t.year, 4)
    }

    func time(_ d: Date, seconds: Bool = false) -> String {
        let t = quarters.local(d)
        let hm = Self.padded(t.hour, 2) + ":" + Self.padded(t.minute, 2)
        return seconds ? hm + ":" + Self.padded(t.second, 2) : hm
    }

    func dateTime(_ d: Date) -> String { date(d) + " " + time(d) }

    /// ISO 8601 local time with its offset: `2026-10-11T08:00:00-03:00`.
    func iso(_ d: Date) -> String {
        let t = quarters.local(d)
        let o = abs(t.offset)
        return Self.padded(t.year, 4) + "-" + Self.padded(t.month, 2) + "-" + Self.padded(t.day, 2) + "T" + Self.padded(t.hour, 2)
            + ":" + Self.padded(t.minute, 2) + ":" + Self.padded(t.second, 2) + (t.offset < 0 ? "-" : "+")
            + Self.padded(o / 3600, 2) + ":" + Self.padded((o % 3600) / 60, 2)
    }

    func isoOrNull(_ d: Date?) -> JSONValue { d.map { .string(iso($0)) } ?? .null }

    /// `MM:SS` of a wait.
    func minutes(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return Self.padded(s / 60, 2) + ":" + Self.padded(s % 60, 2)
    }

    /// `HH:MM:SS` of a number of seconds.
    func duration(_ seconds: Int) -> String {
        Self.padded(seconds / 3600, 2) + ":" + Self.padded((seconds % 3600) / 60, 2) + ":" + Self.padded(seconds % 60, 2)
    }

    private static let twoDigits: [String] = (0..<100).map { $0 < 10 ? "0\($0)" : "\($0)" }

    /// `value` as `String(format: "%0<width>d", value)` writes it: zeros after any minus sign.
    static func padded(_ value: Int, _ width: Int) -> String {
        if width == 2, value >= 0, value < 100 { return twoDigits[value] }
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
    }
}

/// The local date and time of instants, asking the calendar once per quarter of an hour.
///
/// Every time zone's offset from UTC is a whole number of quarters of an hour and changes at the
/// start of one, so within a UTC quarter [k·900, (k+1)·900) the local time is the local time of
/// its start plus the seconds since, without passing a local hour.
final class LocalQuarters: Sendable {
    struct Local: Sendable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// Seconds east of UTC.
        var offset: Int
    }

    private let calendar: Calendar
    /// The last few quarters asked for (a call's start and end are often in different ones).
    private let recent = Mutex<[(start: Int64, local: Local)]>([])

    init(calendar: Calendar) {
        self.calendar = calendar
    }

    func local(_ d: Date) -> Local {
        let seconds = d.timeIntervalSince1970.rounded(.down)
        guard let t = Int64(exactly: seconds) else { return components(d) }
        let start = t - ((t % 900) + 900) % 900
        let since = Int(t - start)
        if let found = recent.withLock({ $0.first { $0.start == start }?.local }) {
            return Self.adding(since, to: found)
        }
        let local = components(Date(timeIntervalSince1970: TimeInterval(start)))
        // A quarter that does not start on a local quarter (an offset the rule above does not
        // hold for) is not kept: each of its instants goes to the calendar.
        guard local.second == 0, local.minute % 15 == 0 else { return components(d) }
        recent.withLock { kept in
            if kept.count == 8 { kept.removeFirst() }
            kept.append((start, local))
        }
        return Self.adding(since, to: local)
    }

    private static func adding(_ seconds: Int, to start: Local) -> Local {
        var l = start
        l.minute += seconds / 60
        l.second = seconds % 60
        return l
    }

    private func components(_ d: Date) -> Local {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return Local(
            year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!,
            offset: calendar.timeZone.secondsFromGMT(for: d))
    }
}
