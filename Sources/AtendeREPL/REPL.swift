public import AtendeIntegration
public import AtendeWorkstation
import AtendeCore
import AtendeSwitch
import Foundation

/// Where the REPL reads lines: a terminal with line editing, or piped input (script mode).
public protocol LineSource: AnyObject {
    var isInteractive: Bool { get }
    func readLine(prompt: String) -> String?
    /// An answer to a question: like a line, but kept out of the command history.
    func readAnswer(prompt: String) -> String?
    func readSecret(prompt: String) -> String?
}

/// Lines from standard input when it is not a terminal: no prompt, passwords on their own lines.
public final class PipedInput: LineSource {
    public init() {}
    public var isInteractive: Bool { false }
    public func readLine(prompt: String) -> String? { Swift.readLine(strippingNewline: true).map(Self.chomp) }
    public func readAnswer(prompt: String) -> String? { readLine(prompt: prompt) }
    public func readSecret(prompt: String) -> String? { readLine(prompt: prompt) }

    /// Lines written on Windows end in CR LF; the CR is not part of the command.
    static func chomp(_ s: String) -> String { s.hasSuffix("\r") ? String(s.dropLast()) : s }
}

/// How a REPL run behaves.
public struct REPLOptions: Sendable {
    public var json: Bool
    public var keepGoing: Bool
    public var colour: Bool

    public init(json: Bool = false, keepGoing: Bool = false, colour: Bool = false) {
        self.json = json
        self.keepGoing = keepGoing
        self.colour = colour
    }
}

/// The agent's command loop (RE-1 … RE-5): reads lines, runs them on the workstation, renders the results.
///
/// It only parses, calls the workstation and renders: every rule lives in ``Workstation``.
/// Shared with the background ticker: every use of the workstation happens under `lock`.
public final class REPL: @unchecked Sendable {
    let workstation: Workstation
    let catalogue: Catalogue
    let input: any LineSource
    let options: REPLOptions
    let renderer: Renderer
    let out: (String) -> Void
    let err: (String) -> Void
    var leaving = false
    let format: DisplayFormat
    /// Commands and the background ticker take turns on the workstation.
    let lock = NSLock()
    /// A call rang or calls queued while paused since the last signal (CC-18).
    var ringDue = false
    /// The CRM screen transfer (IN-1, IN-2), told of every event the agent sees.
    public var screenTransfer: ScreenTransferController?
    /// A screen-transfer mode given for this run (`--transfer`, `ATENDE_TRANSFER`); a typed
    /// `config transfer` replaces it.
    public var transferOverride: String?
    /// Where lines go that arrive between commands (ticks, CRM commands): above the line being typed.
    public var asyncOut: ((String) -> Void)?

    public init(
        workstation: Workstation, catalogue: Catalogue, input: any LineSource, options: REPLOptions,
        out: @escaping (String) -> Void, err: @escaping (String) -> Void
    ) {
        self.workstation = workstation
        self.catalogue = catalogue
        self.input = input
        self.options = options
        self.out = out
        self.err = err
        renderer = Renderer(json: options.json)
        format = DisplayFormat(calendar: workstation.calendar, language: catalogue.language)
    }

    /// Runs until `exit` or the end of input; returns the process exit status.
    public func run() -> Int32 {
        if input.isInteractive { out(catalogue.text(.welcome)) }
        lock.withLock { refreshScreenTransfer() }
        defer { screenTransfer?.stop() }
        var failed = false
        while !leaving, let line = input.readLine(prompt: prompt()) {
            if execute(line) { continue }
            failed = true
            if !input.isInteractive && !options.keepGoing { return 1 }
        }
        // The end of input leaves like `exit --force`: a call still up is ended and recorded.
        if workstation.session != nil { _ = lock.withLock { try? workstation.logout(force: true) } }
        return failed ? 1 : 0
    }

    /// Runs one line; false when it failed (the error has been printed).
    @discardableResult
    public func execute(_ line: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        // Time that passed while the line was typed: ring timeouts, reminders, traffic.
        if let events = try? workstation.tick() { emit(events.map(eventOutput)) }
        var trimmed = line.trimmingSpaces
        if trimmed.hasPrefix("#") { return true }
        if trimmed.isEmpty {
            // An empty line answers a call ringing here (§6, the Enter key), and does nothing otherwise.
            guard workstation.line?.state == .ringing else { return true }
            trimmed = "answer"
        }
        do {
            let command = try CommandParser.parse(trimmed)
            let spec = CommandSpec.spec(command.id)
            if spec.needsSession { _ = try workstation.requireSession() }
            emit(try run(command))
            return true
        } catch {
            // A malformed `login` in a script is still followed by its password: take that line,
            // so it is neither run nor echoed in an error.
            if !input.isInteractive, error is CommandError,
                let words = try? CommandParser.tokenize(trimmed), CommandParser.lookup(words)?.0.id == .login
            {
                _ = input.readSecret(prompt: "")
            }
            report(error)
            return false
        }
    }

    func emit(_ outputs: [Output]) {
        for output in outputs {
            for l in renderer.render(output) { out(l) }
        }
        ringIfDue()
    }

    /// Sounds the ring signal once for the events just shown, on a terminal with sound on.
    func ringIfDue() {
        guard ringDue else { return }
        ringDue = false
        guard input.isInteractive, let config = try? workstation.configuration(), config.isOn(.soundEnabled) else { return }
        SoundSignal.ring(config[.sound])
    }

    /// Lets time pass without input (the real clock on a terminal): events print above the line being typed.
    public func tickInBackground() {
        lock.lock()
        defer { lock.unlock() }
        guard let events = try? workstation.tick(), !events.isEmpty else { return }
        let print = asyncOut ?? out
        for e in events {
            for l in renderer.render(eventOutput(e)) { print(l) }
        }
        ringIfDue()
    }

    /// Applies the screen-transfer mode of the configuration (at start, at login, after `config`).
    func refreshScreenTransfer() {
        guard let screenTransfer, let config = try? workstation.configuration() else { return }
        let setting = (try? transferOverride.map { try ConfigKey.transfer.validate($0) }) ?? config[.transfer]
        let mode = ScreenTransferMode(setting: setting, host: config[.transferHost].isEmpty ? "127.0.0.1" : config[.transferHost])
        do {
            try screenTransfer.apply(mode, extension: workstation.session?.agent.extension ?? (config[.extension].isEmpty ? nil : config[.extension]))
        } catch {
            (asyncOut ?? err)(catalogue.text(.screenTransferFailed(mode: mode.description, reason: "\(error)")))
        }
    }

    func report(_ error: any Error) {
        let code: String
        switch error {
        case let e as AtendeError: code = String(describing: e).prefix { $0 != "(" }.description
        case let e as CommandError: code = String(describing: e).prefix { $0 != "(" }.description
        default: code = "store"
        }
        let line = renderer.renderError(catalogue.error(error), code: code)
        if options.json { out(line) } else { err(line) }
    }

    /// The prompt: compact status on a terminal, nothing in script mode.
    func prompt() -> String {
        guard input.isInteractive else { return "" }
        guard let status = try? workstation.status() else { return "atende> " }
        var badges: [String] = []
        if let q = workstation.queueFigures(), q.waiting > 0 {
            badges.append(catalogue.text(.statusQueue(waiting: q.waiting, longest: format.minutes(workstation.now.timeIntervalSince(q.oldestQueuedAt ?? workstation.now)))))
        }
        if let line = workstation.line {
            if let pause = line.pause { badges.append(catalogue.text(.statusPause(pause))) }
            if line.state != .free { badges.append(catalogue.state(line.state)) }
        }
        if let pending = workstation.pendingQualification { badges.append(catalogue.text(.statusQualify(pending.number))) }
        if status.agendaDue > 0 { badges.append(catalogue.text(.statusAgenda(status.agendaDue))) }
        if let l = status.losses, l > 0 { badges.append(catalogue.text(.statusLosses(l))) }
        if status.unreadChat > 0 { badges.append(catalogue.text(.statusChat(status.unreadChat))) }
        let badgeText = badges.isEmpty ? "" : " [" + badges.joined(separator: " · ") + "]"
        let base = "\(status.agent)@\(status.group)\(badgeText)> "
        return options.colour && !badges.isEmpty ? "\u{1B}[1m" + base + "\u{1B}[0m" : base
    }

    /// A secret line (password) from the input, or the error that it is missing.
    func secret(_ prompt: Message) throws -> String {
        guard let s = input.readSecret(prompt: catalogue.text(prompt)) else {
            throw CommandError.inputEnded(expected: catalogue.text(prompt).trimmingCharacters(in: CharacterSet(charactersIn: ": ")))
        }
        return s
    }

    /// Asks for a missing field on a terminal; nil in script mode.
    func ask(_ field: String) -> String? {
        guard input.isInteractive else { return nil }
        let answer = input.readAnswer(prompt: catalogue.text(.promptFor(field: catalogue.header(field))))?.trimmingSpaces
        return answer?.isEmpty == false ? answer : nil
    }
}
