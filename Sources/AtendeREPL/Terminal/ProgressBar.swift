import Dispatch
import Glibc

/// A one-line progress display, redrawn in place with `\r` at most ten times a second.
public final class ProgressBar {
    /// Minimum time between two redraws (100 ms).
    static let redrawInterval: UInt64 = 100_000_000

    private(set) var total: Int?
    let label: String
    let isEnabled: Bool
    private let now: () -> UInt64
    private let columns: () -> Int
    private let emit: (String) -> Void
    private var done = 0
    private var lastDraw: UInt64?
    private var lastLength = 0
    private var finished = false

    /// A bar drawn on the file descriptor `output`, sized to that terminal.
    convenience init(
        total: Int?,
        label: String,
        output: Int32 = STDERR_FILENO,
        isEnabled: Bool,
        now: @escaping () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.init(
            total: total, label: label, isEnabled: isEnabled, now: now,
            columns: { Self.terminalWidth(of: output) },
            emit: { Self.write($0, to: output) })
    }

    /// A bar with injected clock, terminal width and output, for tests.
    init(
        total: Int?,
        label: String,
        isEnabled: Bool,
        now: @escaping () -> UInt64,
        columns: @escaping () -> Int,
        emit: @escaping (String) -> Void
    ) {
        self.total = total
        self.label = label
        self.isEnabled = isEnabled
        self.now = now
        self.columns = columns
        self.emit = emit
    }

    /// A bar on standard error, drawn only when standard error is a terminal.
    public static func forStandardError(label: String) -> ProgressBar {
        ProgressBar(total: nil, label: label, isEnabled: isatty(STDERR_FILENO) == 1)
    }

    /// Records progress out of a total known only now; redraws at most ten times a second.
    public func update(done: Int, total: Int) {
        self.total = total > 0 ? total : nil
        update(done: done)
    }

    /// Records progress; redraws unless the last redraw was under `redrawInterval` ago.
    func update(done: Int) {
        self.done = done
        guard isEnabled, !finished else { return }
        let time = now()
        if let lastDraw, time &- lastDraw < Self.redrawInterval {
            return
        }
        lastDraw = time
        draw(terminator: "")
    }

    /// Draws the final state and ends the line; later calls do nothing.
    public func finish() {
        guard isEnabled, !finished else { return }
        finished = true
        draw(terminator: "\n")
    }

    private func draw(terminator: String) {
        // Stay off the last column so the terminal does not wrap.
        let line = Self.render(done: done, total: total, label: label, width: max(columns() - 1, 1))
        let length = line.count
        let padding = String(repeating: " ", count: max(lastLength - length, 0))
        lastLength = length
        emit("\r" + line + padding + terminator)
    }

    /// The bar's text, never longer than `width` characters:
    /// `label [#####.....] 42% 4,200/10,000`, dropping the bar, then the counts,
    /// then shortening the label as space runs out. Without a total: `label 4,200`.
    static func render(done: Int, total: Int?, label: String, width: Int) -> String {
        let width = max(width, 0)
        guard let total else {
            return fit(label: label, details: [grouped(done)], width: width)
        }
        let clamped = min(max(done, 0), max(total, 0))
        let percent = total > 0 ? clamped * 100 / total : 100
        let details = ["\(percent)%", "\(grouped(done))/\(grouped(total))"]
        let head = label.isEmpty ? "" : label + " "
        let tail = " " + details.joined(separator: " ")
        let barWidth = min(width - head.count - tail.count - 2, maxBarWidth)
        guard barWidth >= minBarWidth else {
            return fit(label: label, details: details, width: width)
        }
        let filled = total > 0 ? clamped * barWidth / total : barWidth
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        return head + "[" + bar + "]" + tail
    }

    /// Narrowest and widest bar, brackets excluded.
    static let minBarWidth = 10
    static let maxBarWidth = 40

    /// `label` and as many leading `details` as fit; when not even the first fits beside
    /// the label, the label is cut short with `…`, and dropped when there is no room at all.
    private static func fit(label: String, details: [String], width: Int) -> String {
        let head = label.isEmpty ? "" : label + " "
        for count in stride(from: details.count, through: 1, by: -1) {
            let text = details.prefix(count).joined(separator: " ")
            if head.count + text.count <= width {
                return head + text
            }
        }
        let first = details.first ?? ""
        let room = width - first.count - 1
        if room >= 2 {
            return "\(label.prefix(room - 1))… \(first)"
        }
        return String(first.prefix(width))
    }

    /// `n` with a comma between groups of three digits.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 {
                result.append(",")
            }
            result.append(digit)
        }
        return n < 0 ? "-" + result : result
    }

    /// The column count of the terminal on `fd`, or 80 when it is not a terminal.
    static func terminalWidth(of fd: Int32) -> Int {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
