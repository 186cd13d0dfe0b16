import Foundation
/// Editing state of one input line (text, cursor, history navigation, completion), free of I/O.
struct LineBuffer: Sendable {
    /// What the terminal driver has to do after a key was applied.
    enum Effect: Equatable, Sendable {
        /// Nothing changed.
        case none
        /// Text or cursor changed: redraw the line.
        case redraw
        /// Nothing to do (e.g. no completion): ring the bell.
        case bell
        /// Enter: the line is finished.
        case submit(String)
        /// Ctrl-D on an empty line.
        case endOfFile
        /// Ctrl-C: the line was discarded.
        case cancel
        /// Ctrl-L: clear the screen and redraw.
        case clearScreen
        /// Several completions: list them below the line, then redraw it.
        case candidates([String])
    }

    private(set) var characters: [Character] = []
    private(set) var cursor = 0
    private(set) var history: [String]
    private var historyIndex: Int?
    private var draft: [Character] = []

    /// Returns completions for the word ending at the cursor, given the whole line and the cursor index.
    var completer: (@Sendable (String, Int) -> [String])?

    init(text: String = "", history: [String] = [], completer: (@Sendable (String, Int) -> [String])? = nil) {
        characters = Array(Self.sanitized(text))
        cursor = characters.count
        self.history = history
        self.completer = completer
    }

    var text: String { String(characters) }
    var textBeforeCursor: String { String(characters[..<cursor]) }

    /// Starts a fresh, empty line, keeping the history.
    mutating func reset() {
        characters = []
        cursor = 0
        historyIndex = nil
        draft = []
    }

    /// Appends `line` unless it is blank or repeats the last entry, keeping at most `limit` entries.
    @discardableResult
    mutating func addToHistory(_ line: String, limit: Int) -> Bool {
        guard limit > 0, !line.allSatisfy(\.isWhitespace), history.last != line else { return false }
        history.append(line)
        if history.count > limit { history.removeFirst(history.count - limit) }
        return true
    }

    mutating func apply(_ key: EditorKey) -> Effect {
        switch key {
        case .character(let character): return insert(character)
        case .backspace: return cursor > 0 ? replace(cursor - 1..<cursor, with: []) : .none
        case .deleteForward: return deleteForward()
        case .left: return moveCursor(to: cursor - 1)
        case .right: return moveCursor(to: cursor + 1)
        case .wordLeft: return moveCursor(to: wordStart(before: cursor))
        case .wordRight: return moveCursor(to: wordEnd(after: cursor))
        case .home: return moveCursor(to: 0)
        case .end: return moveCursor(to: characters.count)
        case .killToStart: return cursor > 0 ? replace(0..<cursor, with: []) : .none
        case .killToEnd: return cursor < characters.count ? replace(cursor..<characters.count, with: []) : .none
        case .deleteWordBackward:
            let start = wordStart(before: cursor)
            return start < cursor ? replace(start..<cursor, with: []) : .none
        case .up: return historyUp()
        case .down: return historyDown()
        case .tab: return complete()
        case .enter: return .submit(text)
        case .controlD: return characters.isEmpty ? .endOfFile : deleteForward()
        case .interrupt:
            reset()
            return .cancel
        case .clearScreen: return .clearScreen
        case .escape: return .none
        }
    }

    private mutating func insert(_ character: Character) -> Effect {
        guard !Self.isControl(character) else { return .none }
        if cursor > 0 {
            let combined = String(characters[cursor - 1]) + String(character)
            if combined.count == 1, let merged = combined.first {
                characters[cursor - 1] = merged
                return .redraw
            }
        }
        characters.insert(character, at: cursor)
        cursor += 1
        return .redraw
    }

    private mutating func deleteForward() -> Effect {
        cursor < characters.count ? replace(cursor..<cursor + 1, with: []) : .none
    }

    private mutating func moveCursor(to position: Int) -> Effect {
        let clamped = min(max(position, 0), characters.count)
        guard clamped != cursor else { return .none }
        cursor = clamped
        return .redraw
    }

    /// Replaces `range` with `replacement` and leaves the cursor right after it.
    private mutating func replace(_ range: Range<Int>, with replacement: [Character]) -> Effect {
        characters.replaceSubrange(range, with: replacement)
        cursor = range.lowerBound + replacement.count
        return .redraw
    }

    private func wordStart(before position: Int) -> Int {
        var index = position
        while index > 0, characters[index - 1].isWhitespace { index -= 1 }
        while index > 0, !characters[index - 1].isWhitespace { index -= 1 }
        return index
    }

    private func wordEnd(after position: Int) -> Int {
        var index = position
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        while index < characters.count, !characters[index].isWhitespace { index += 1 }
        return index
    }

    private mutating func historyUp() -> Effect {
        let target: Int
        switch historyIndex {
        case nil where !history.isEmpty:
            draft = characters
            target = history.count - 1
        case let index? where index > 0:
            target = index - 1
        default:
            return .none
        }
        historyIndex = target
        return load(Array(history[target]))
    }

    private mutating func historyDown() -> Effect {
        guard let index = historyIndex else { return .none }
        if index + 1 < history.count {
            historyIndex = index + 1
            return load(Array(history[index + 1]))
        }
        historyIndex = nil
        return load(draft)
    }

    private mutating func load(_ line: [Character]) -> Effect {
        characters = line
        cursor = line.count
        return .redraw
    }

    /// Completes the word ending at the cursor: one candidate replaces it, several extend it to their common prefix.
    private mutating func complete() -> Effect {
        guard let completer else { return .none }
        var seen = Set<String>()
        let candidates = completer(text, cursor).map(Self.sanitized).filter { seen.insert($0).inserted }
        let start = cursor == 0 || characters[cursor - 1].isWhitespace ? cursor : wordStart(before: cursor)
        let word = Array(characters[start..<cursor])
        switch candidates.count {
        case 0:
            return .bell
        case 1:
            _ = replace(start..<cursor, with: Array(candidates[0]))
            if cursor < characters.count, characters[cursor].isWhitespace {
                cursor += 1
            } else {
                characters.insert(" ", at: cursor)
                cursor += 1
            }
            return .redraw
        default:
            let prefix = Self.commonPrefix(candidates.map(Array.init))
            if prefix.count >= word.count, prefix != word {
                _ = replace(start..<cursor, with: prefix)
            }
            return .candidates(candidates)
        }
    }

    private static func commonPrefix(_ words: [[Character]]) -> [Character] {
        guard var prefix = words.first else { return [] }
        for word in words.dropFirst() {
            let shared = zip(prefix, word).prefix { $0 == $1 }.count
            prefix.removeLast(prefix.count - shared)
        }
        return prefix
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func sanitized(_ text: String) -> String {
        String(text.filter { !isControl($0) })
    }
}
