public import Foundation

/// Lines from a terminal, with editing, history kept in a file, completion and hidden passwords (RE-1).
/// `printAbove` may be called from any thread: the line editor serialises the terminal.
public final class TerminalInput: LineSource, Sendable {
    private let editor: LineEditor

    public init(historyFile: URL) {
        editor = LineEditor(historyFile: historyFile)
    }

    /// Whether standard input and output are both a terminal.
    public static var isAvailable: Bool { LineEditor.isTerminal }

    public var isInteractive: Bool { true }

    /// Candidates for the word under the cursor: (whole line, cursor index) → words.
    public var completer: (@Sendable (String, Int) -> [String])? {
        get { editor.completer }
        set { editor.completer = newValue }
    }

    /// A line, kept in the history only when the REPL says so (``remember(_:)``).
    public func readLine(prompt: String) -> String? { editor.readLine(prompt: prompt, remembering: false) }
    public func remember(_ line: String) { editor.keep(line) }
    public func readAnswer(prompt: String) -> String? { editor.readLine(prompt: prompt, remembering: false) }
    public func readSecret(prompt: String) -> String? { editor.readSecret(prompt: prompt) }

    /// Prints an event line above the line being typed (RE-2).
    public func printAbove(_ text: String) { editor.printAbove(text) }
}
