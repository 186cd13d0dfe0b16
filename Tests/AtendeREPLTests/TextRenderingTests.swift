import Foundation
import Testing

@testable import AtendeREPL

/// How typed lines split into words, and how text reaches the terminal.
@Suite struct TextRenderingTests {
    @Test(arguments: [
        ("note add it's D'Ávila", ["note", "add", "it's", "D'Ávila"]),
        ("contacts add --name 'Joana D'Arc' x", ["contacts", "add", "--name", "Joana D'Arc", "x"]),
        ("note add 'it's here'", ["note", "add", "it's here"]),
        ("note add 'two words' \"and 'more'\"", ["note", "add", "two words", "and 'more'"]),
        ("note add ''", ["note", "add", ""]),
        ("note add O'Brien's", ["note", "add", "O'Brien's"]),
    ])
    func apostrophesInWordsAreNotQuotes(line: String, words: [String]) throws {
        #expect(try CommandParser.tokenize(line) == words)
    }

    @Test func anApostropheOpeningAWordStillNeedsItsClose() {
        #expect(throws: CommandError.unterminatedQuote) { try CommandParser.tokenize("note add 'never closed") }
    }

    @Test func tablesAlignOnDisplayWidth() {
        // Given names of one, two and no extra columns per character
        let rows = [["東京", "a"], ["😀 x", "b"], ["José", "c"], ["Jose\u{301}", "d"]].map {
            Table.Row(item: ResultItem(kind: "row", fields: []), cells: $0)
        }
        let lines = Renderer(json: false).render(.table(Table(headers: ["Name", "K"], rows: rows, empty: "")))
        // Then the second column starts at the same column on every line
        #expect(lines == ["Name  K", "東京  a", "😀 x  b", "José  c", "Jose\u{301}  d"])
        #expect(TerminalText.width("東京") == 4)
        #expect(TerminalText.width("😀") == 2)
        #expect(TerminalText.width("❤️") == 2)
        #expect(TerminalText.width("Jose\u{301}") == 4)
    }

    @Test func controlCharactersAreEscapedInTextNotInJSON() {
        let text = Output.message("Note 1: a\u{1B}[2Jb\u{9B}c\td", nil)
        #expect(Renderer(json: false).render(text) == [#"Note 1: a\x1b[2Jb\x9bc d"#])
        // JSON carries the text itself, escaped the JSON way.
        let json = Renderer(json: true).render(text)[0]
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["message"] as? String == "Note 1: a\u{1B}[2Jb\u{9B}c\td")
    }
}

/// Dates and times as `DisplayFormat` writes them are the calendar's, as `String(format:)` wrote them.
@Suite struct DisplayFormatTests {
    /// The text as it was made before the quarter-hour cache: the calendar and `String(format:)` for each instant.
    static func reference(_ d: Date, _ calendar: Calendar) -> [String] {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        let offset = calendar.timeZone.secondsFromGMT(for: d)
        let o = abs(offset)
        return [
            String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!), String(format: "%02d:%02d", c.hour!, c.minute!),
            String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!),
            String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
                offset < 0 ? "-" : "+", o / 3600, (o % 3600) / 60),
        ]
    }

    @Test(arguments: ["America/Sao_Paulo", "UTC", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham"])
    func everyInstantReadsAsTheCalendarSaysIt(zone: String) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        let format = DisplayFormat(calendar: calendar, language: .en)
        // Instants a few minutes apart over two years (São Paulo kept summer time until 2019), in
        // and out of order, and every minute around this zone's offset changes
        var instants: [Double] = []
        var t = 1_540_000_000.0
        var step = 0
        while t < 1_600_000_000 {
            instants.append(t)
            step = (step * 7 + 13) % 997
            t += Double(step * 211 + 59)
        }
        instants.append(contentsOf: instants.prefix(500).reversed())
        var start = Date(timeIntervalSince1970: 1_540_000_000)
        while let change = calendar.timeZone.nextDaylightSavingTimeTransition(after: start), change.timeIntervalSince1970 < 1_600_000_000 {
            instants.append(contentsOf: stride(from: -3_600.0, through: 3_600, by: 37).map { change.timeIntervalSince1970 + $0 })
            start = change
        }
        for seconds in instants + [-1.5, 0, 0.75, 59.999] {
            let d = Date(timeIntervalSince1970: seconds)
            let got = [format.date(d), format.time(d), format.time(d, seconds: true), format.iso(d)]
            #expect(got == Self.reference(d, calendar), "\(seconds) in \(zone)")
        }
    }

    @Test(arguments: [0, 5, 59, 60, 3_599, 3_600, 86_399, 359_999, 360_000, -5, -3_661])
    func durationsAndWaitsReadAsPrintfWroteThem(seconds: Int) {
        let format = DisplayFormat(calendar: Calendar(identifier: .gregorian), language: .en)
        #expect(format.duration(seconds) == String(format: "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60))
        let s = max(0, seconds)
        #expect(format.minutes(TimeInterval(seconds)) == String(format: "%02d:%02d", s / 60, s % 60))
        #expect(DisplayFormat.padded(seconds, 4) == String(format: "%04d", seconds))
    }
}
