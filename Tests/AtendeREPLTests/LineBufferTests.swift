import Synchronization
import Testing
@testable import AtendeREPL

/// Builds a buffer holding `text` with the cursor at `cursor` (end of text when nil).
private func buffer(
    _ text: String,
    cursor: Int? = nil,
    history: [String] = [],
    completer: (@Sendable (String, Int) -> [String])? = nil
) -> LineBuffer {
    var buffer = LineBuffer(text: text, history: history, completer: completer)
    if let cursor {
        _ = buffer.apply(.home)
        for _ in 0..<cursor { _ = buffer.apply(.right) }
    }
    return buffer
}

private func typing(_ text: String, into buffer: inout LineBuffer) {
    for character in text { _ = buffer.apply(.character(character)) }
}

@Suite("LineBuffer editing")
struct LineBufferEditingTests {
    @Test func typingInsertsAtCursor() {
        var line = buffer("ac", cursor: 1)
        #expect(line.apply(.character("b")) == .redraw)
        #expect(line.text == "abc")
        #expect(line.cursor == 2)
    }

    @Test func portugueseTextIsEditedByCharacter() {
        var line = LineBuffer()
        typing("ação", into: &line)
        #expect(line.characters.count == 4)
        _ = line.apply(.left)
        _ = line.apply(.backspace)
        #expect(line.text == "aço")
        _ = line.apply(.left)
        _ = line.apply(.deleteForward)
        #expect(line.text == "ao")
        #expect(line.textBeforeCursor == "a")
    }

    @Test func combiningMarkMergesWithPreviousCharacter() {
        var line = LineBuffer()
        typing("ac", into: &line)
        _ = line.apply(.character("\u{0327}"))
        #expect(line.characters == ["a", "ç"])
        #expect(line.cursor == 2)
        _ = line.apply(.backspace)
        #expect(line.text == "a")
    }

    @Test func controlCharactersAreNeverInserted() {
        var line = buffer("ok")
        #expect(line.apply(.character("\u{1B}")) == .none)
        #expect(line.apply(.character("\u{7F}")) == .none)
        #expect(line.text == "ok")
    }

    @Test func backspaceAndDeleteAtTheEdgesDoNothing() {
        var line = buffer("ab", cursor: 0)
        #expect(line.apply(.backspace) == .none)
        _ = line.apply(.end)
        #expect(line.apply(.deleteForward) == .none)
        #expect(line.text == "ab")
    }

    @Test(arguments: [
        (EditorKey.left, 2, 1),
        (.left, 0, 0),
        (.right, 2, 3),
        (.right, 4, 4),
        (.home, 3, 0),
        (.end, 1, 4),
        (.wordLeft, 4, 3),
        (.wordRight, 0, 2),
    ])
    func cursorMovement(key: EditorKey, from start: Int, to expected: Int) {
        var line = buffer("ab é", cursor: start)
        let effect = line.apply(key)
        #expect(line.cursor == expected)
        #expect(effect == (start == expected ? .none : .redraw))
        #expect(line.text == "ab é")
    }

    @Test(arguments: [
        (EditorKey.killToStart, "olá mundo", 4, "mundo", 0),
        (.killToEnd, "olá mundo", 3, "olá", 3),
        (.deleteWordBackward, "olá mundo", 9, "olá ", 4),
        (.deleteWordBackward, "olá mundo  ", 11, "olá ", 4),
        (.deleteWordBackward, "olá mundo", 6, "olá ndo", 4),
        (.backspace, "ação", 4, "açã", 3),
        (.deleteForward, "ação", 0, "ção", 0),
    ])
    func killing(key: EditorKey, text: String, cursor: Int, expected: String, expectedCursor: Int) {
        var line = buffer(text, cursor: cursor)
        #expect(line.apply(key) == .redraw)
        #expect(line.text == expected)
        #expect(line.cursor == expectedCursor)
    }

    @Test func killsWithNothingToRemoveDoNothing() {
        var line = buffer("abc", cursor: 0)
        #expect(line.apply(.killToStart) == .none)
        #expect(line.apply(.deleteWordBackward) == .none)
        _ = line.apply(.end)
        #expect(line.apply(.killToEnd) == .none)
        #expect(line.text == "abc")
    }

    @Test func enterSubmitsTheWholeLineWhateverTheCursor() {
        var line = buffer("ligar João", cursor: 2)
        #expect(line.apply(.enter) == .submit("ligar João"))
    }

    @Test func controlDIsEndOfFileOnlyOnAnEmptyLine() {
        var empty = LineBuffer()
        #expect(empty.apply(.controlD) == .endOfFile)
        var line = buffer("ab", cursor: 0)
        #expect(line.apply(.controlD) == .redraw)
        #expect(line.text == "b")
        _ = line.apply(.end)
        #expect(line.apply(.controlD) == .none)
    }

    @Test func controlCDiscardsTheLine() {
        var line = buffer("meio digitado", cursor: 4, history: ["antigo"])
        #expect(line.apply(.interrupt) == .cancel)
        #expect(line.text.isEmpty)
        #expect(line.cursor == 0)
        #expect(line.history == ["antigo"])
    }

    @Test func controlLAndEscapeLeaveTheText() {
        var line = buffer("abc", cursor: 1)
        #expect(line.apply(.clearScreen) == .clearScreen)
        #expect(line.apply(.escape) == .none)
        #expect(line.text == "abc")
        #expect(line.cursor == 1)
    }

    @Test func resetClearsTheLine() {
        var line = buffer("abc", history: ["x"])
        line.reset()
        #expect(line.text.isEmpty)
        #expect(line.cursor == 0)
        #expect(line.apply(.up) == .redraw)
        #expect(line.text == "x")
    }
}

@Suite("LineBuffer history")
struct LineBufferHistoryTests {
    @Test func upAndDownWalkTheHistoryAndRestoreTheDraft() {
        var line = LineBuffer(history: ["primeiro", "segundo"])
        typing("rascunho", into: &line)
        #expect(line.apply(.up) == .redraw)
        #expect(line.text == "segundo")
        #expect(line.cursor == 7)
        #expect(line.apply(.up) == .redraw)
        #expect(line.text == "primeiro")
        #expect(line.apply(.up) == .none)
        #expect(line.text == "primeiro")
        #expect(line.apply(.down) == .redraw)
        #expect(line.text == "segundo")
        #expect(line.apply(.down) == .redraw)
        #expect(line.text == "rascunho")
        #expect(line.cursor == 8)
        #expect(line.apply(.down) == .none)
        #expect(line.text == "rascunho")
    }

    @Test func upWithoutHistoryDoesNothing() {
        var line = buffer("abc")
        #expect(line.apply(.up) == .none)
        #expect(line.apply(.down) == .none)
        #expect(line.text == "abc")
    }

    @Test func editingARecalledEntryKeepsTheHistoryIntact() {
        var line = LineBuffer(history: ["atender"])
        _ = line.apply(.up)
        _ = line.apply(.backspace)
        #expect(line.text == "atende")
        #expect(line.apply(.enter) == .submit("atende"))
        #expect(line.history == ["atender"])
    }

    @Test(arguments: [
        (["a"], "b", true, ["a", "b"]),
        (["a"], "a", false, ["a"]),
        (["a", "b"], "a", true, ["a", "b", "a"]),
        (["a"], "", false, ["a"]),
        (["a"], "   ", false, ["a"]),
        (["a", "b", "c"], "d", true, ["b", "c", "d"]),
    ])
    func addingToHistory(history: [String], line: String, added: Bool, expected: [String]) {
        var buffer = LineBuffer(history: history)
        #expect(buffer.addToHistory(line, limit: 3) == added)
        #expect(buffer.history == expected)
    }
}

@Suite("LineBuffer completion")
struct LineBufferCompletionTests {
    @Test func completerReceivesTheLineAndCursor() {
        let received = Mutex<(String, Int)?>(nil)
        var line = buffer("/he tudo", cursor: 3) { text, cursor in
            received.withLock { $0 = (text, cursor) }
            return []
        }
        _ = line.apply(.tab)
        #expect(received.withLock { $0?.0 } == "/he tudo")
        #expect(received.withLock { $0?.1 } == 3)
    }

    @Test func singleCandidateReplacesTheWordAndAddsASpace() {
        var line = buffer("transferir /he") { _, _ in ["/help"] }
        #expect(line.apply(.tab) == .redraw)
        #expect(line.text == "transferir /help ")
        #expect(line.cursor == 17)
    }

    @Test func singleCandidateInTheMiddleReusesTheFollowingSpace() {
        var line = buffer("/he agora", cursor: 3) { _, _ in ["/help"] }
        #expect(line.apply(.tab) == .redraw)
        #expect(line.text == "/help agora")
        #expect(line.cursor == 6)
    }

    @Test func singleUTF8CandidateCountsCharacters() {
        var line = buffer("a") { _, _ in ["ação"] }
        _ = line.apply(.tab)
        #expect(line.text == "ação ")
        #expect(line.cursor == 5)
    }

    @Test func severalCandidatesExtendToTheCommonPrefixAndAreReported() {
        var line = buffer("/h") { _, _ in ["/hangup", "/help", "/history", "/help"] }
        #expect(line.apply(.tab) == .candidates(["/hangup", "/help", "/history"]))
        #expect(line.text == "/h")
        var narrower = buffer("/hi") { _, _ in ["/histórico", "/história"] }
        #expect(narrower.apply(.tab) == .candidates(["/histórico", "/história"]))
        #expect(narrower.text == "/históri")
        #expect(narrower.cursor == 8)
    }

    @Test func severalCandidatesNeverShortenTheWord() {
        var line = buffer("xyz") { _, _ in ["abc", "abd"] }
        #expect(line.apply(.tab) == .candidates(["abc", "abd"]))
        #expect(line.text == "xyz")
    }

    @Test func noCandidateRingsTheBell() {
        var line = buffer("zzz") { _, _ in [] }
        #expect(line.apply(.tab) == .bell)
        #expect(line.text == "zzz")
    }

    @Test func tabWithoutCompleterDoesNothing() {
        var line = buffer("abc")
        #expect(line.apply(.tab) == .none)
        #expect(line.text == "abc")
    }

    @Test func completionAfterASpaceCompletesAnEmptyWord() {
        var line = buffer("ligar ") { _, _ in ["João"] }
        _ = line.apply(.tab)
        #expect(line.text == "ligar João ")
    }
}

@Suite("Display width")
struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3),
        ("ação", 4),
        ("a\u{0327}", 1),
        ("日本", 4),
        ("👍", 2),
        ("", 0),
    ])
    func textWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test(arguments: [
        ("\u{1B}[1;32matende\u{1B}[0m> ", 8),
        ("\u{1B}]0;título\u{07}> ", 2),
        ("\u{1}\u{1B}[31m\u{2}ação\u{1}\u{1B}[0m\u{2}: ", 6),
    ])
    func promptWidthIgnoresEscapes(prompt: String, width: Int) {
        #expect(DisplayWidth.of(prompt: prompt) == width)
    }
}
