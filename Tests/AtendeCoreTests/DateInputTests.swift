import Foundation
import Testing

@testable import AtendeCore

/// The workstation's calendar in every test: Gregorian, São Paulo time (UTC−3, no daylight saving since 2019).
private let saoPaulo: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "America/Sao_Paulo")!
    return calendar
}()

/// The instant written in UTC, `yyyy-mm-ddTHH:MM:SSZ`.
private func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

/// The local day `yyyy-mm-dd` in São Paulo as a UTC span: 03:00Z to 03:00Z of the next day.
private func localDay(_ start: String, _ end: String) -> DateSpan {
    DateSpan(start: utc(start + "T03:00:00Z"), end: utc(end + "T03:00:00Z"))
}

/// Wednesday 14/10/2026 15:30 in São Paulo: the fixed "now".
private let now = utc("2026-10-14T18:30:00Z")

/// DateInput: dates, days, weeks, months and time ranges as people type them.
struct DateInputTests {
    let input = DateInput(calendar: saoPaulo)

    // MARK: - dateTime

    @Test(arguments: [
        ("11/10/2026 08:00", "2026-10-11T11:00:00Z"),
        ("2026-10-11 08:00", "2026-10-11T11:00:00Z"),
        ("2026-10-11T08:00", "2026-10-11T11:00:00Z"),
        ("11/10/2026T08:00", "2026-10-11T11:00:00Z"),
        ("  11/10/2026   08:00  ", "2026-10-11T11:00:00Z"),
        ("11/10/2026", "2026-10-11T03:00:00Z"),
        ("2026-10-11", "2026-10-11T03:00:00Z"),
        ("1/2/2026 8:05", "2026-02-01T11:05:00Z"),
        ("31/12/2026 23:59", "2027-01-01T02:59:00Z"),
        ("29/02/2028 00:00", "2028-02-29T03:00:00Z"),
        ("2026-10-11 21:30", "2026-10-12T00:30:00Z"),
    ])
    func readsDateAndTime(text: String, expected: String) throws {
        #expect(try input.dateTime(text) == utc(expected))
    }

    @Test(arguments: [
        "31/02/2026",  // February has no 31st
        "29/02/2026",  // not a leap year
        "31/04/2026 10:00",
        "11/10/2026 24:00",
        "11/10/2026 08:60",
        "2026-13-01",
        "2026-00-10",
        "00/10/2026",
        "32/10/2026",
        "hoje",
        "amanhã às 8",
        "11/10/2026 08",  // missing minutes
        "11/10/2026 08:",
        "11/10/2026 8:5",
        "11/10/2026 08:00 extra",
        "11/10/26",
        "2026/10/11",
        "11-10-2026",
        "",
        "   ",
    ])
    func refusesInvalidDatesEchoingTheInput(text: String) {
        #expect(throws: AtendeError.invalidDate(text)) {
            try input.dateTime(text)
        }
    }

    // MARK: - day

    @Test(arguments: [
        ("today", localDay("2026-10-14", "2026-10-15")),
        ("hoje", localDay("2026-10-14", "2026-10-15")),
        ("HOJE", localDay("2026-10-14", "2026-10-15")),
        (" Hoje ", localDay("2026-10-14", "2026-10-15")),
        ("yesterday", localDay("2026-10-13", "2026-10-14")),
        ("ontem", localDay("2026-10-13", "2026-10-14")),
        ("tomorrow", localDay("2026-10-15", "2026-10-16")),
        ("amanhã", localDay("2026-10-15", "2026-10-16")),
        ("Amanhã", localDay("2026-10-15", "2026-10-16")),
        ("amanha", localDay("2026-10-15", "2026-10-16")),
        ("11/10/2026", localDay("2026-10-11", "2026-10-12")),
        ("2026-10-11", localDay("2026-10-11", "2026-10-12")),
        ("31/12/2026", localDay("2026-12-31", "2027-01-01")),
    ])
    func dayNamedByWordOrDate(text: String, expected: DateSpan) throws {
        #expect(try input.day(text, now: now) == expected)
    }

    @Test func todayIsTheLocalDayNotTheUTCDay() throws {
        // Given 23:30 on Wednesday in São Paulo, already Thursday in UTC
        let lateNight = utc("2026-10-15T02:30:00Z")
        // When
        let today = try input.day("hoje", now: lateNight)
        let yesterday = try input.day("ontem", now: lateNight)
        // Then the days are São Paulo's
        #expect(today == localDay("2026-10-14", "2026-10-15"))
        #expect(yesterday == localDay("2026-10-13", "2026-10-14"))
    }

    @Test func dayIsHalfOpen() throws {
        let today = try input.day("hoje", now: now)
        #expect(today.contains(today.start))
        #expect(today.contains(now))
        #expect(!today.contains(today.end))
        #expect(!today.contains(today.start.addingTimeInterval(-1)))
    }

    @Test(arguments: ["semana", "31/02/2026", "11/10/2026 08:00", "", "anteontem"])
    func dayRefusesOtherTexts(text: String) {
        #expect(throws: AtendeError.invalidDate(text)) {
            try input.day(text, now: now)
        }
    }

    // MARK: - days(from:to:)

    @Test(arguments: [
        ("11/10/2026", "14/10/2026", localDay("2026-10-11", "2026-10-15")),
        ("ontem", "hoje", localDay("2026-10-13", "2026-10-15")),
        ("hoje", "hoje", localDay("2026-10-14", "2026-10-15")),
        ("2026-09-30", "amanhã", localDay("2026-09-30", "2026-10-16")),
    ])
    func daysSpanFromFirstStartToLastEnd(from: String, to: String, expected: DateSpan) throws {
        #expect(try input.days(from: from, to: to, now: now) == expected)
    }

    @Test(arguments: [("14/10/2026", "11/10/2026"), ("amanhã", "ontem"), ("hoje", "ontem")])
    func daysRefuseEndBeforeStart(from: String, to: String) {
        #expect(throws: AtendeError.endBeforeStart) {
            try input.days(from: from, to: to, now: now)
        }
    }

    @Test func daysReportTheBadDate() {
        #expect(throws: AtendeError.invalidDate("xx")) { try input.days(from: "xx", to: "hoje", now: now) }
        #expect(throws: AtendeError.invalidDate("31/02/2026")) {
            try input.days(from: "hoje", to: "31/02/2026", now: now)
        }
    }

    // MARK: - week

    @Test(arguments: [
        ("2026-10-14T18:30:00Z", localDay("2026-10-12", "2026-10-19")),  // Wednesday afternoon
        ("2026-10-12T03:00:00Z", localDay("2026-10-12", "2026-10-19")),  // Monday 00:00
        ("2026-10-19T02:59:00Z", localDay("2026-10-12", "2026-10-19")),  // Sunday 23:59
        ("2026-10-19T03:00:00Z", localDay("2026-10-19", "2026-10-26")),  // next Monday 00:00
        ("2026-10-11T15:00:00Z", localDay("2026-10-05", "2026-10-12")),  // previous Sunday
        ("2026-10-17T12:00:00Z", localDay("2026-10-12", "2026-10-19")),  // Saturday
        ("2026-01-01T12:00:00Z", localDay("2025-12-29", "2026-01-05")),  // Thursday across the year
    ])
    func weekRunsFromMondayToSunday(instant: String, expected: DateSpan) {
        #expect(input.week(of: utc(instant)) == expected)
    }

    @Test func weekOfSevenDaysEarlierIsThePreviousWeek() {
        let thisWeek = input.week(of: now)
        let lastWeek = input.week(of: now.addingTimeInterval(-7 * 86_400))
        #expect(lastWeek.end == thisWeek.start)
        #expect(lastWeek == localDay("2026-10-05", "2026-10-12"))
    }

    // MARK: - month

    @Test(arguments: [
        (0, localDay("2026-10-01", "2026-11-01")),
        (-1, localDay("2026-09-01", "2026-10-01")),
        (1, localDay("2026-11-01", "2026-12-01")),
        (-10, localDay("2025-12-01", "2026-01-01")),
        (3, localDay("2027-01-01", "2027-02-01")),
    ])
    func monthWithOffset(offset: Int, expected: DateSpan) {
        #expect(input.month(of: now, offset: offset) == expected)
    }

    @Test func monthDefaultsToNoOffset() {
        #expect(input.month(of: now) == input.month(of: now, offset: 0))
    }

    @Test func monthAfterTheThirtyFirstOfJanuaryIsFebruary() {
        let lastOfJanuary = utc("2026-01-31T15:00:00Z")
        #expect(input.month(of: lastOfJanuary, offset: 1) == localDay("2026-02-01", "2026-03-01"))
    }

    @Test func monthIsTheLocalMonth() {
        // Given Saturday 31/10/2026 22:00 in São Paulo, already November in UTC
        let lastEvening = utc("2026-11-01T01:00:00Z")
        // Then it belongs to October
        #expect(input.month(of: lastEvening) == localDay("2026-10-01", "2026-11-01"))
    }

    // MARK: - timeRange

    @Test(arguments: [
        ("08:00-18:00", 480...1080),
        ("0:00-23:59", 0...1439),
        ("09:00-09:00", 540...540),
        ("8:30-12:00", 510...720),
    ])
    func timeRangeInMinutesAfterMidnight(text: String, expected: ClosedRange<Int>) throws {
        #expect(try input.timeRange(text) == expected)
    }

    @Test(arguments: [
        "18:00-08:00",  // end before start
        "08:00",
        "08:00-24:00",
        "08:00-18:00-20:00",
        "8h-18h",
        "08:00-18:0",
        "-18:00",
        "",
    ])
    func timeRangeRefusals(text: String) {
        #expect(throws: AtendeError.invalidTimeRange(text)) {
            try input.timeRange(text)
        }
    }
}

/// Daylight saving time: the hour the clocks skip has no instant.
struct DaylightSavingGapTests {
    let newYork: DateInput = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "America/New_York")!
        return DateInput(calendar: c)
    }()

    @Test(arguments: ["08/03/2026 02:00", "2026-03-08 02:30", "08/03/2026 02:59"])
    func aTimeInTheGapIsRefusedWithTheZone(text: String) {
        #expect(throws: AtendeError.timeInGap(text, timeZone: "America/New_York")) { try newYork.dateTime(text) }
    }

    @Test(arguments: [("08/03/2026 01:59", "2026-03-08T06:59:00Z"), ("08/03/2026 03:00", "2026-03-08T07:00:00Z"), ("08/03/2026", "2026-03-08T05:00:00Z")])
    func aTimeAroundTheGapIsRead(text: String, expected: String) throws {
        #expect(try newYork.dateTime(text) == ISO8601DateFormatter().date(from: expected)!)
    }
}
