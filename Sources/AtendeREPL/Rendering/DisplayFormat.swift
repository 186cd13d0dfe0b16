import AtendeCore
import Foundation

/// Dates and durations as people read them (`dd/mm/yyyy HH:MM`), and as `--json` writes them (ISO 8601).
struct DisplayFormat: Sendable {
    let calendar: Calendar
    let language: Language

    func date(_ d: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
    }

    func time(_ d: Date, seconds: Bool = false) -> String {
        let c = calendar.dateComponents([.hour, .minute, .second], from: d)
        return seconds ? String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!) : String(format: "%02d:%02d", c.hour!, c.minute!)
    }

    func dateTime(_ d: Date) -> String { date(d) + " " + time(d) }

    /// ISO 8601 local time with its offset: `2026-10-11T08:00:00-03:00`.
    func iso(_ d: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        let offset = calendar.timeZone.secondsFromGMT(for: d)
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
            sign, o / 3600, (o % 3600) / 60)
    }

    func isoOrNull(_ d: Date?) -> JSONValue { d.map { .string(iso($0)) } ?? .null }

    /// `MM:SS` of a wait.
    func minutes(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// `HH:MM:SS` of a number of seconds.
    func duration(_ seconds: Int) -> String {
        String(format: "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60)
    }
}
