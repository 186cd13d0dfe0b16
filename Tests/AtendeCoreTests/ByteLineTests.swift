import Testing

@testable import AtendeCore

/// ByteLine: appends, growth and reuse.
struct ByteLineTests {
    @Test func appendsGrowPastTheFirstCapacityAndKeepEveryByte() {
        // Given a small line
        var line = ByteLine(capacity: 16)
        let word = Array("atendimento,".utf8)
        // When bytes and byte runs are appended well past its capacity
        for i in 0..<100 {
            line.append(contentsOf: word)
            line.append(UInt8(i))
        }
        // Then every byte is there, in order
        let expected = (0..<100).flatMap { word + [UInt8($0)] }
        #expect(line.count == expected.count)
        #expect(line.withUnsafeBytes { Array($0) } == expected)
    }

    @Test func removeAllStartsANewLine() {
        var line = ByteLine()
        line.append(contentsOf: Array("first".utf8))
        line.removeAll()
        line.append(contentsOf: [])
        line.append(UInt8(ascii: "x"))
        #expect(line.withUnsafeBytes { Array($0) } == [UInt8(ascii: "x")])
    }
}

/// JSONText: string quoting, from a String or from UTF-8 bytes.
struct JSONTextTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("Zé \"Souza\"", #""Zé \"Souza\"""#),
        ("a\\b", #""a\\b""#),
        ("l1\nl2\r\t", #""l1\nl2\r\t""#),
        ("\u{01}\u{1F}\u{7F}", #""\u0001\u001f\#u{7F}""#),
        ("Conceição 📞", #""Conceição 📞""#),
        ("", #""""#),
    ])
    func escapesQuotesBackslashesAndControlCharacters(text: String, quoted: String) {
        #expect(JSONText.quote(text) == quoted)
        var line = ByteLine()
        var text = text
        text.withUTF8 { JSONText.appendQuoted($0, to: &line) }
        #expect(line.withUnsafeBytes { Array($0) } == Array(quoted.utf8))
    }
}
