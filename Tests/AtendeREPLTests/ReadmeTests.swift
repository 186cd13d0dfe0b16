import Foundation
import Testing

@testable import AtendeREPL

/// The README's command list must be the command table's.
@Suite struct ReadmeTests {
    static var readme: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
    }

    @Test func theCommandListMatchesTheCommandTable() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let start = try #require(text.range(of: "<!-- commands:begin -->"))
        let end = try #require(text.range(of: "<!-- commands:end -->"))
        let listed = text[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("| `") }
        let english = Catalogue(language: .en)
        let expected = CommandSpec.all.map { spec in
            let aliases = spec.aliases.map { "`\($0)`" }.joined(separator: ", ")
            return "| `\(spec.usage)` | \(aliases) | \(spec.shortcut.map { "`\($0)`" } ?? "") | \(english.summary(spec.id)) |"
        }
        #expect(listed.map(String.init) == expected)
        #expect(text.contains("swift run atende") && text.contains("swift test"))
    }
}
