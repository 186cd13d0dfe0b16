import Foundation
import Glibc
import Synchronization

/// Readline-like editor for stdin/stdout; all terminal output and state are behind one `Mutex`,
/// so `printAbove` can run on any thread while a line is being read.
final class LineEditor: Sendable {
    /// How a read ended.
    private enum Outcome {
        case line(String)
        case cancelled
        case endOfFile
    }

    /// The line being edited, as last drawn.
    private struct Session: Sendable {
        var prompt: String
        var buffer: LineBuffer
        var echo: Bool
        var cursorRow = 0
    }

    /// Everything the editor changes, read and written only under `state`'s lock.
    private struct State: Sendable {
        var history: [String] = []
        var historyFileLines = 0
        var session: Session?
        var decoder = KeyDecoder()
        var pendingKeys: [EditorKey] = []
        var completer: (@Sendable (String, Int) -> [String])?
    }

    private let state = Mutex(State())
    private let historyFile: URL?
    private let maxHistory: Int

    /// Returns completions for the word ending at the cursor, given the whole line and the cursor index (in characters).
    var completer: (@Sendable (String, Int) -> [String])? {
        get { state.withLock { $0.completer } }
        set { state.withLock { $0.completer = newValue } }
    }

    /// True when both stdin and stdout are terminals.
    static var isTerminal: Bool { isatty(0) != 0 && isatty(1) != 0 }

    init(historyFile: URL?, maxHistory: Int = 1000) {
        self.historyFile = historyFile
        self.maxHistory = max(0, maxHistory)
        loadHistory()
    }

    /// Reads one edited line; Ctrl-C returns "" (a fresh prompt), EOF (Ctrl-D on an empty line) returns nil.
    /// Answers to questions (`remembering: false`) stay out of the history.
    func readLine(prompt: String, remembering: Bool = true) -> String? {
        guard TerminalMode.enableRaw() else { return Self.plainReadLine(prompt: prompt) }
        defer { TerminalMode.restore() }
        let buffer = state.withLock { LineBuffer(history: $0.history, completer: $0.completer) }
        switch run(Session(prompt: prompt, buffer: buffer, echo: true)) {
        case .line(let line):
            if remembering { state.withLock { remember(line, &$0) } }
            return line
        case .cancelled: return ""
        case .endOfFile: return nil
        }
    }

    /// Adds `line` to the history (and its file).
    func keep(_ line: String) {
        state.withLock { remember(line, &$0) }
    }

    /// Reads a secret without echo and outside the history; Ctrl-C or EOF return nil.
    func readSecret(prompt: String) -> String? {
        guard TerminalMode.enableRaw() else { return Self.plainReadLine(prompt: prompt) }
        defer { TerminalMode.restore() }
        if case .line(let secret) = run(Session(prompt: prompt, buffer: LineBuffer(), echo: false)) {
            return secret
        }
        return nil
    }

    /// Prints `text` on its own line above the prompt, then redraws the prompt and the partial input.
    func printAbove(_ text: String) {
        state.withLock { s in
            fflush(nil)
            guard var current = s.session else {
                Self.write(text + "\n")
                return
            }
            Self.write(Self.moveUp(current.cursorRow) + "\r\u{1B}[J" + text + "\n")
            current.cursorRow = 0
            s.session = current
            Self.render(&s)
        }
    }

    private func run(_ initial: Session) -> Outcome {
        state.withLock { s in
            fflush(nil)
            s.session = initial
            Self.render(&s)
        }
        var bytes = [UInt8](repeating: 0, count: 1024)
        while true {
            let keys: [EditorKey]
            let pending = state.withLock { s -> [EditorKey]? in
                defer { s.pendingKeys = [] }
                return s.pendingKeys.isEmpty ? nil : s.pendingKeys
            }
            if let pending {
                keys = pending
            } else if state.withLock({ $0.decoder.isAwaitingMore }), !Self.waitForInput(milliseconds: 100) {
                keys = state.withLock { $0.decoder.flush() }
            } else {
                let count = Glibc.read(0, &bytes, bytes.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return state.withLock { Self.finish(.endOfFile, &$0) } }
                let read = bytes[..<count]
                keys = state.withLock { $0.decoder.feed(read) }
            }
            if let outcome = state.withLock({ Self.handle(keys, &$0) }) { return outcome }
        }
    }

    /// Applies keys to the session and draws the result; returns the outcome once the line is finished.
    private static func handle(_ keys: [EditorKey], _ s: inout State) -> Outcome? {
        guard var current = s.session else { return .endOfFile }
        var needsRender = false
        for (index, key) in keys.enumerated() {
            let previous = current
            switch current.buffer.apply(key) {
            case .none:
                continue
            case .redraw:
                needsRender = true
            case .bell:
                write("\u{07}")
            case .clearScreen:
                write("\u{1B}[H\u{1B}[2J")
                current.cursorRow = 0
                needsRender = true
            case .candidates(let candidates):
                s.session = current
                render(&s, cursorAtEnd: true)
                write("\r\n" + columns(candidates, width: terminalWidth()) + "\r\n")
                current.cursorRow = 0
                needsRender = true
            case .submit(let line):
                s.pendingKeys = Array(keys[(index + 1)...])
                s.session = current
                return finish(.line(line), &s)
            case .cancel:
                s.session = previous
                return finish(.cancelled, &s)
            case .endOfFile:
                s.session = current
                return finish(.endOfFile, &s)
            }
            s.session = current
        }
        s.session = current
        if needsRender { render(&s) }
        return nil
    }

    /// Moves below the input, ends the session and reports `outcome`.
    private static func finish(_ outcome: Outcome, _ s: inout State) -> Outcome {
        render(&s, cursorAtEnd: true)
        if case .cancelled = outcome { write("^C") }
        write("\r\n")
        s.session = nil
        return outcome
    }

    /// Redraws prompt and text from the prompt's first row, then places the cursor; handles wrapped lines.
    private static func render(_ s: inout State, cursorAtEnd: Bool = false) {
        guard var current = s.session else { return }
        let width = terminalWidth()
        let promptWidth = DisplayWidth.of(prompt: current.prompt)
        let text = current.echo ? current.buffer.text : ""
        let beforeCursor = current.echo && !cursorAtEnd ? current.buffer.textBeforeCursor : text
        let endColumn = promptWidth + DisplayWidth.of(text)
        let cursorColumn = promptWidth + DisplayWidth.of(beforeCursor)
        var output = moveUp(current.cursorRow) + "\r\u{1B}[J" + current.prompt + text
        if endColumn > 0, endColumn % width == 0 { output += "\r\n" }
        let cursorRow = cursorColumn / width
        output += moveUp(endColumn / width - cursorRow) + "\r"
        if cursorColumn % width > 0 { output += "\u{1B}[\(cursorColumn % width)C" }
        write(output)
        current.cursorRow = cursorRow
        s.session = current
    }

    private func remember(_ line: String, _ s: inout State) {
        var buffer = LineBuffer(history: s.history)
        guard buffer.addToHistory(line, limit: maxHistory) else { return }
        s.history = buffer.history
        guard let historyFile else { return }
        if s.historyFileLines + 1 > maxHistory {
            HistoryFile.rewrite(historyFile, with: s.history)
            s.historyFileLines = s.history.count
        } else if HistoryFile.append(line, to: historyFile) {
            s.historyFileLines += 1
        }
    }

    private func loadHistory() {
        guard let historyFile, let lines = HistoryFile.load(historyFile) else { return }
        let kept = Array(lines.suffix(maxHistory))
        state.withLock { s in
            s.historyFileLines = lines.count
            s.history = kept
        }
    }

    /// Fallback when stdin is not a terminal: prints the prompt and reads a plain line.
    private static func plainReadLine(prompt: String) -> String? {
        fflush(nil)
        write(prompt)
        return Swift.readLine()
    }

    private static func moveUp(_ rows: Int) -> String {
        rows > 0 ? "\u{1B}[\(rows)A" : ""
    }

    /// Lays out completion candidates in columns that fit the terminal width.
    private static func columns(_ items: [String], width: Int) -> String {
        let cellWidth = (items.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perRow = max(1, width / cellWidth)
        return stride(from: 0, to: items.count, by: perRow).map { start in
            let row = items[start..<min(start + perRow, items.count)]
            return row.map { $0 + String(repeating: " ", count: cellWidth - DisplayWidth.of($0)) }
                .joined()
                .replacing(/[ ]+$/, with: "")
        }.joined(separator: "\r\n")
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private static func waitForInput(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// Writes all of `text` to stdout, retrying short writes.
    private static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// Saves stdin's tty settings, switches to raw mode and restores them (also at process exit).
private enum TerminalMode {
    /// The settings to restore, shared with the `atexit` hook.
    private struct Saved {
        var original: termios?
        var exitHookInstalled = false
    }

    private static let saved = Mutex(Saved())

    /// Enters raw mode (no echo, no line buffering, no signals); false when stdin is not a terminal.
    static func enableRaw() -> Bool {
        saved.withLock { saved in
            var original = termios()
            guard isatty(0) != 0, tcgetattr(0, &original) == 0 else { return false }
            var raw = original
            raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
            raw.c_cflag |= tcflag_t(CS8)
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
            withUnsafeMutableBytes(of: &raw.c_cc) { controls in
                controls[Int(VMIN)] = 1
                controls[Int(VTIME)] = 0
            }
            guard tcsetattr(0, TCSADRAIN, &raw) == 0 else { return false }
            saved.original = original
            if !saved.exitHookInstalled {
                saved.exitHookInstalled = true
                atexit { TerminalMode.restore() }
            }
            return true
        }
    }

    static func restore() {
        saved.withLock { saved in
            guard var original = saved.original else { return }
            tcsetattr(0, TCSADRAIN, &original)
            saved.original = nil
        }
    }
}

/// Reads and writes the history file: one entry per line, mode 0600.
private enum HistoryFile {
    static func load(_ url: URL) -> [String]? {
        guard let contents = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return contents.split(separator: "\n").map(String.init)
    }

    @discardableResult
    static func append(_ line: String, to url: URL) -> Bool {
        write(line + "\n", to: url.path, flags: O_WRONLY | O_CREAT | O_APPEND)
    }

    /// Replaces the file atomically (temporary file + rename).
    static func rewrite(_ url: URL, with lines: [String]) {
        let temporary = url.path + ".tmp"
        unlink(temporary)
        let contents = lines.map { $0 + "\n" }.joined()
        if write(contents, to: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC) {
            rename(temporary, url.path)
        }
    }

    private static func write(_ text: String, to path: String, flags: Int32) -> Bool {
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(),
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let descriptor = open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// Terminal column widths: ANSI escapes take no room, East Asian wide characters and emoji take two columns.
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Width of a prompt, ignoring ANSI escape sequences (CSI, OSC) and readline's \u{1} / \u{2} markers.
    static func of(prompt: String) -> Int {
        of(strippingEscapes(prompt))
    }

    static func strippingEscapes(_ text: String) -> String {
        text.replacing(/\u{1B}\[[0-?]*[ -\/]*[@-~]|\u{1B}\][^\u{07}\u{1B}]*(?:\u{07}|\u{1B}\\)|\u{1B}[@-Z\\-_]|[\u{1}\u{2}]/, with: "")
    }

    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.properties.generalCategory == .control { return 0 }
        if scalar.properties.isEmojiPresentation || character.unicodeScalars.contains("\u{FE0F}") { return 2 }
        return isWide(scalar.value) ? 2 : 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
