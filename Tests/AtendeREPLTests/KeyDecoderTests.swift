import Testing
@testable import AtendeREPL

private func decode(_ bytes: [UInt8]) -> [EditorKey] {
    var decoder = KeyDecoder()
    return decoder.feed(bytes)
}

private func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

@Suite("KeyDecoder")
struct KeyDecoderTests {
    @Test(arguments: [
        (UInt8(0x01), EditorKey.home),
        (0x02, .left),
        (0x03, .interrupt),
        (0x04, .controlD),
        (0x05, .end),
        (0x06, .right),
        (0x08, .backspace),
        (0x09, .tab),
        (0x0A, .enter),
        (0x0B, .killToEnd),
        (0x0C, .clearScreen),
        (0x0D, .enter),
        (0x0E, .down),
        (0x10, .up),
        (0x15, .killToStart),
        (0x17, .deleteWordBackward),
        (0x7F, .backspace),
    ])
    func controlCodes(byte: UInt8, key: EditorKey) {
        #expect(decode([byte]) == [key])
    }

    @Test(arguments: [0x00, 0x07, 0x0F, 0x11, 0x1A, 0x1F] as [UInt8])
    func unboundControlCodesAreIgnored(byte: UInt8) {
        #expect(decode([byte, UInt8(ascii: "x")]) == [.character("x")])
    }

    @Test func asciiText() {
        #expect(decode(bytes("Oi 1!")) == ["O", "i", " ", "1", "!"].map(EditorKey.character))
    }

    @Test func utf8Text() {
        #expect(decode(bytes("ação €😀")) == ["a", "ç", "ã", "o", " ", "€", "😀"].map(EditorKey.character))
    }

    @Test(arguments: [
        ("\u{1B}[A", EditorKey.up),
        ("\u{1B}[B", .down),
        ("\u{1B}[C", .right),
        ("\u{1B}[D", .left),
        ("\u{1B}OA", .up),
        ("\u{1B}OB", .down),
        ("\u{1B}OC", .right),
        ("\u{1B}OD", .left),
        ("\u{1B}[H", .home),
        ("\u{1B}[F", .end),
        ("\u{1B}OH", .home),
        ("\u{1B}OF", .end),
        ("\u{1B}[1~", .home),
        ("\u{1B}[7~", .home),
        ("\u{1B}[4~", .end),
        ("\u{1B}[8~", .end),
        ("\u{1B}[3~", .deleteForward),
        ("\u{1B}[1;5C", .wordRight),
        ("\u{1B}[1;5D", .wordLeft),
        ("\u{1B}[1;3D", .wordLeft),
        ("\u{1B}[1;2C", .right),
        ("\u{1B}b", .wordLeft),
        ("\u{1B}f", .wordRight),
        ("\u{1B}\u{7F}", .deleteWordBackward),
    ])
    func escapeSequences(sequence: String, key: EditorKey) {
        var decoder = KeyDecoder()
        #expect(decoder.feed(bytes(sequence)) == [key])
        #expect(!decoder.isAwaitingMore)
    }

    @Test(arguments: ["\u{1B}[2~", "\u{1B}[5~", "\u{1B}[15~", "\u{1B}[Z", "\u{1B}OP", "\u{1B}[200~", "\u{1B}[?1;2c"])
    func unknownSequencesAreSwallowedWhole(sequence: String) {
        #expect(decode(bytes(sequence + "a")) == [.character("a")])
    }

    @Test(arguments: ["\u{1B}[A", "\u{1B}[1;5C", "\u{1B}[3~", "\u{1B}OH"])
    func sequenceSplitByteByByte(sequence: String) {
        var decoder = KeyDecoder()
        var keys: [EditorKey] = []
        for byte in bytes(sequence) {
            keys += decoder.feed([byte])
        }
        #expect(keys == decode(bytes(sequence)))
        #expect(keys.count == 1)
    }

    @Test func escapeAwaitsMoreBeforeDecidingAndFlushesAsEscape() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.isAwaitingMore)
        #expect(decoder.flush() == [.escape])
        #expect(!decoder.isAwaitingMore)
        #expect(decoder.feed(bytes("x")) == [.character("x")])
    }

    @Test func escapeSplitFromItsSequenceStillDecodes() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.feed(bytes("[D")) == [.left])
    }

    @Test func flushDropsAPartialSequence() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(bytes("\u{1B}[1;")).isEmpty)
        #expect(decoder.flush().isEmpty)
        #expect(decoder.feed(bytes("5C")) == [.character("5"), .character("C")])
    }

    @Test func escapeFollowedByAnotherKey() {
        #expect(decode(bytes("\u{1B}x")) == [.escape, .character("x")])
        #expect(decode([0x1B, 0x1B, UInt8(ascii: "["), UInt8(ascii: "A")]) == [.escape, .up])
        #expect(decode([0x1B, 0x0D]) == [.escape, .enter])
    }

    @Test func controlByteAbortsAnEscapeSequence() {
        #expect(decode(bytes("\u{1B}[1\u{03}")) == [.interrupt])
    }

    @Test func arrowsBetweenText() {
        #expect(decode(bytes("a\u{1B}[Db\u{1B}[3~")) == [.character("a"), .left, .character("b"), .deleteForward])
    }

    @Test(arguments: ["ç", "€", "😀"])
    func multiByteCharacterSplitAcrossFeeds(text: String) {
        var decoder = KeyDecoder()
        let encoded = bytes(text)
        for byte in encoded.dropLast() {
            #expect(decoder.feed([byte]).isEmpty)
            #expect(decoder.isAwaitingMore)
        }
        #expect(decoder.feed([encoded.last!]) == [.character(Character(text))])
        #expect(!decoder.isAwaitingMore)
    }

    @Test func textSplitInTheMiddleOfACharacter() {
        var decoder = KeyDecoder()
        let encoded = bytes("ação")
        let first = decoder.feed(encoded[..<2])
        let second = decoder.feed(encoded[2...])
        #expect(first == [.character("a")])
        #expect(second == [.character("ç"), .character("ã"), .character("o")])
    }

    @Test func invalidUTF8IsDropped() {
        #expect(decode([0xC3, UInt8(ascii: "a")]) == [.character("a")])
        #expect(decode([0x80, 0xFF, UInt8(ascii: "b")]) == [.character("b")])
        #expect(decode([0xED, 0xA0, 0x80, UInt8(ascii: "c")]) == [.character("c")])
        #expect(decode([0xC2, 0x9B, UInt8(ascii: "d")]) == [.character("d")])
    }

    @Test func carriageReturnLineFeedIsOneEnter() {
        #expect(decode(bytes("a\r\nb\n\n")) == [.character("a"), .enter, .character("b"), .enter, .enter])
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x0D]) == [.enter])
        #expect(decoder.feed([0x0A]).isEmpty)
    }
}
