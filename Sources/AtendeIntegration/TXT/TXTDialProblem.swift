/// Why an `LS.txt` cannot be dialled.
enum TXTDialProblem: Error {
    /// The file cannot be read at all (permissions, I/O); it will not get better by waiting.
    case unreadable(String)
    /// The file is empty, too large or holds something other than a number; it may still be being written.
    case invalid(String)

    /// True when waiting will not help.
    var isUnreadable: Bool {
        if case .unreadable = self { true } else { false }
    }

    /// The reason, phrased to follow the file name in a log line.
    var reason: String {
        switch self {
        case .unreadable(let why): "cannot be read (\(why))"
        case .invalid(let why): why
        }
    }
}
