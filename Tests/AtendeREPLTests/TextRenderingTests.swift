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
