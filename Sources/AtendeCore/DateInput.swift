public import Foundation

/// A half-open span of time, `[start, end)`.
public struct DateSpan: Hashable, Sendable {
    public var start: Date
    public var end: Date
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }
}

/// Reads the dates and times people type: `dd/mm/yyyy HH:MM`, ISO `yyyy-mm-dd HH:MM`, and words.
///
/// For example:
/// ```swift
/// let input = DateInput(calendar: .current)
/// try input.dateTime("11/10/2026 08:00")
/// try input.day("hoje", now: clock.now())
/// ```
public struct DateInput: Sendable {
    public let calendar: Calendar

    public init(calendar: Calendar) {
        self.calendar = calendar
    }

    /// A date and a time of day; a date alone means its midnight.
    public func dateTime(_ text: String) throws(AtendeError) -> Date {
        let parts = text.trimmingSpaces.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count == 1 || parts.count == 2, let ymd = Self.ymd(parts[0]) else { throw .invalidDate(text) }
        var hm = (0, 0)
        if parts.count == 2 {
            guard let t = Self.hourMinute(parts[1]) else { throw .invalidDate(text) }
            hm = t
        }
        guard let date = make(ymd, hm) else { throw .invalidDate(text) }
        // A time the clocks skip (the hour lost when daylight saving time starts) has no instant;
        // a date alone is its day's start, whenever that is.
        let back = calendar.dateComponents([.hour, .minute], from: date)
        guard parts.count == 1 || (back.hour == hm.0 && back.minute == hm.1) else {
            throw .timeInGap(text, timeZone: calendar.timeZone.identifier)
        }
        return date
    }

    /// `dd/mm/yyyy HH:MM` in the calendar's time zone, as `dateTime(_:)` reads it back.
    public func dayTimeText(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    /// The whole local day named by `text`: a date, or today / yesterday / tomorrow (also in Portuguese).
    public func day(_ text: String, now: Date) throws(AtendeError) -> DateSpan {
        let word = text.trimmingSpaces.lowercased()
        let offsets = ["today": 0, "hoje": 0, "yesterday": -1, "ontem": -1, "tomorrow": 1, "amanhã": 1, "amanha": 1]
        let start: Date
        if let offset = offsets[word] {
            start = calendar.date(byAdding: .day, value: offset, to: calendar.startOfDay(for: now))!
        } else {
            guard let ymd = Self.ymd(word), let d = make(ymd, (0, 0)) else { throw .invalidDate(text) }
            start = d
        }
        return DateSpan(start: start, end: calendar.date(byAdding: .day, value: 1, to: start)!)
    }

    /// From the start of the first day to the end of the last.
    public func days(from: String, to: String, now: Date) throws(AtendeError) -> DateSpan {
        let a = try day(from, now: now)
        let b = try day(to, now: now)
        guard b.end > a.start else { throw .endBeforeStart }
        return DateSpan(start: a.start, end: b.end)
    }

    /// The week (Monday to Sunday) holding `date`.
    public func week(of date: Date) -> DateSpan {
        let startOfDay = calendar.startOfDay(for: date)
        let weekday = calendar.component(.weekday, from: startOfDay)  // 1 = Sunday
        let back = (weekday + 5) % 7
        let start = calendar.date(byAdding: .day, value: -back, to: startOfDay)!
        return DateSpan(start: start, end: calendar.date(byAdding: .day, value: 7, to: start)!)
    }

    /// The calendar month holding `date`, moved by `offset` months.
    public func month(of date: Date, offset: Int = 0) -> DateSpan {
        let c = calendar.dateComponents([.year, .month], from: date)
        let first = calendar.date(from: DateComponents(year: c.year, month: c.month, day: 1))!
        let start = calendar.date(byAdding: .month, value: offset, to: first)!
        return DateSpan(start: start, end: calendar.date(byAdding: .month, value: 1, to: start)!)
    }

    /// `HH:MM-HH:MM` as minutes after midnight, the end inclusive of its minute.
    public func timeRange(_ text: String) throws(AtendeError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-").map { $0.trimmingSpaces }
        guard parts.count == 2, let a = Self.hourMinute(parts[0]), let b = Self.hourMinute(parts[1]) else {
            throw .invalidTimeRange(text)
        }
        let from = a.0 * 60 + a.1
        let to = b.0 * 60 + b.1
        guard from <= to else { throw .invalidTimeRange(text) }
        return from...to
    }

    /// Whether `text` is written as a date (`dd/mm/yyyy`, `yyyy-mm-dd`), a real one or not (`31/02/2026`).
    public static func looksLikeDate(_ text: String) -> Bool { ymd(text) != nil }

    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    static func ymd(_ text: String) -> (Int, Int, Int)? {
        guard text.allSatisfy({ $0.isASCIIDigit || $0 == "/" || $0 == "-" }) else { return nil }
        if text.contains("/") {
            let p = text.split(separator: "/", omittingEmptySubsequences: false)
            guard p.count == 3, p[2].count == 4, let d = Int(p[0]), let m = Int(p[1]), let y = Int(p[2]) else { return nil }
            return (y, m, d)
        }
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        return (y, m, d)
    }

    static func hourMinute(_ text: String) -> (Int, Int)? {
        guard text.allSatisfy({ $0.isASCIIDigit || $0 == ":" }) else { return nil }
        let p = text.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2, (1...2).contains(p[0].count), p[1].count == 2,
            let h = Int(p[0]), let m = Int(p[1]), (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return (h, m)
    }

    private func make(_ ymd: (Int, Int, Int), _ hm: (Int, Int)) -> Date? {
        let (y, m, d) = ymd
        guard (1900...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let comps = DateComponents(year: y, month: m, day: d, hour: hm.0, minute: hm.1)
        guard let date = calendar.date(from: comps) else { return nil }
        // Reject dates the calendar rolled over, such as 31/02.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == y, back.month == m, back.day == d else { return nil }
        return date
    }
}

extension Calendar {
    /// The local calendar day of `date`, `yyyy-mm-dd`, as losses are kept.
    public func dayKey(_ date: Date) -> String {
        let c = dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
