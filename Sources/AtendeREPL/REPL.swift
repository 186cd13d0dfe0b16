public import AtendeIntegration
import Synchronization
public import AtendeWorkstation
import AtendeCore
import Foundation

/// Where the REPL reads lines: a terminal with line editing, or piped input (script mode).
///
/// Reading blocks; the REPL reads on a thread of its own (``REPL/read(_:)``), never on the
/// concurrency pool the workstation, the CRM and the timers run on.
public protocol LineSource: AnyObject, Sendable {
    var isInteractive: Bool { get }
    func readLine(prompt: String) -> String?
    /// An answer to a question: like a line, but kept out of the command history.
    func readAnswer(prompt: String) -> String?
    func readSecret(prompt: String) -> String?
    /// Keeps a line in the command history; the REPL calls it for the lines worth recalling
    /// (commands, never a secret's value nor a line that is not a command).
    func remember(_ line: String)
}

extension LineSource {
    public func remember(_ line: String) {}
}

/// Lines from standard input when it is not a terminal: no prompt, passwords on their own lines.
public final class PipedInput: LineSource, Sendable {
    private let atStart = Atomic(true)
    public init() {}
    public var isInteractive: Bool { false }
    public func readLine(prompt: String) -> String? {
        guard let line = Swift.readLine(strippingNewline: true).map(Self.chomp) else { return nil }
        // A script saved by an editor that writes a UTF-8 byte order mark starts with it: not part of the command.
        if atStart.exchange(false, ordering: .relaxed), line.unicodeScalars.first == "\u{FEFF}" {
            return String(line.unicodeScalars.dropFirst())
        }
        return line
    }
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
/// It only parses, calls the workstation and renders: every rule lives in ``Workstation``. The
/// workstation's events (a call ringing, a CRM's command, a ring timeout) reach it as one
/// subscriber of the workstation's stream, like the CRM screen transfer: an ``EventPrinter``
/// prints them as they come, above the line being typed on a terminal; after each command the
/// REPL waits until everything the command caused is printed, then prints the command's own result.
public final class REPL {
    let workstation: Workstation
    /// The `sim` commands' world (standalone only).
    let simulation: CallCenterSimulation?
    /// The language the REPL speaks: `--lang`, else `config language`, else `LANG`; a typed
    /// `config language` changes it at once.
    var catalogue: Catalogue
    let input: any LineSource
    let options: REPLOptions
    let renderer: Renderer
    let out: @Sendable (String) -> Void
    let err: @Sendable (String) -> Void
    var leaving = false
    /// Password lines read by the command running now (to know whether it asked for any).
    var secretsRead = 0
    /// After a `login`/`passwd` that failed before asking for its password: how many of the
    /// next lines to skip while they are not commands, and the command's name.
    var skipAfterFailure: (lines: Int, command: String)?
    /// The non-loopback `transfer.host` already warned about in this run.
    var warnedOpenHost: String?
    var format: DisplayFormat
    let printer: EventPrinter
    /// The CRM screen transfer (IN-1, IN-2): another subscriber of the workstation's events.
    public var screenTransfer: ScreenTransferController?
    /// A screen-transfer mode given for this run (`--transfer`, `ATENDE_TRANSFER`); a typed
    /// `config transfer` replaces it.
    public var transferOverride: String?

    public init(
        workstation: Workstation, simulation: CallCenterSimulation? = nil, catalogue: Catalogue, input: any LineSource,
        options: REPLOptions, out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        above: (@Sendable (String) -> Void)? = nil
    ) {
        self.workstation = workstation
        self.simulation = simulation
        self.catalogue = catalogue
        self.input = input
        self.options = options
        self.out = out
        self.err = err
        renderer = Renderer(json: options.json)
        format = DisplayFormat(calendar: workstation.calendar, language: catalogue.language)
        var sound: (@Sendable () async -> Void)?
        if input.isInteractive {
            sound = { [workstation] in
                guard let config = try? await workstation.configuration(), config.isOn(.soundEnabled) else { return }
                SoundSignal.ring(config[.sound])
            }
        }
        printer = EventPrinter(
            events: workstation.subscribe(), catalogue: catalogue, renderer: renderer, format: format, print: above ?? out,
            sound: sound)
    }

    /// Runs until `exit` or the end of input; returns the process exit status.
    public func run() async -> Int32 {
        if input.isInteractive { out(catalogue.text(.welcome)) }
        await refreshScreenTransfer()
        defer { screenTransfer?.stop() }
        var failed = false
        var endsInARow = 0
        while !leaving {
            guard let line = await read(.line(await prompt())) else {
                // A terminal that keeps saying end of input (it hung up) is left as a script would be.
                endsInARow += 1
                if await endOfInput(again: endsInARow > 3) { break }
                continue
            }
            endsInARow = 0
            if await execute(line) { continue }
            failed = true
            if !input.isInteractive && !options.keepGoing { return 1 }
        }
        return failed ? 1 : 0
    }

    /// The end of input (Ctrl-D, or the end of a script): on a terminal during a call it warns and
    /// stays; otherwise it leaves like `exit`, a call still up being ended, recorded and said.
    /// Returns whether to leave.
    func endOfInput(again: Bool = false) async -> Bool {
        if input.isInteractive, !again, await workstation.hasCalls {
            err(catalogue.text(.callStillUp))
            return false
        }
        if await workstation.session != nil {
            if await workstation.hasCalls { err(catalogue.text(.endedAtEndOfInput)) }
            _ = try? await workstation.logout(force: true)
            await printer.caughtUp(to: workstation.lastEvent)
        }
        return true
    }

    /// Runs one line; false when it failed (the error has been printed).
    @discardableResult
    public func execute(_ line: String) async -> Bool {
        var trimmed = line.trimmingSpaces
        if let skip = skipAfterFailure {
            // The password the failed command did not ask for may come now: a line that is not a
            // command is neither run, kept in the history nor echoed in an error.
            skipAfterFailure = skip.lines > 1 ? (skip.lines - 1, skip.command) : nil
            if !Self.namesCommand(trimmed) {
                err(catalogue.text(.lineSkippedAfterFailure(command: skip.command)))
                return true
            }
            skipAfterFailure = nil
        }
        // Only a terminal keeps a history: a script's lines are not parsed for it.
        if input.isInteractive, Self.keepsInHistory(trimmed) { input.remember(line) }
        if trimmed.hasPrefix("#") { return true }
        if trimmed.isEmpty {
            // An empty line answers a call ringing here (§6, the Enter key), and does nothing otherwise.
            guard await workstation.line?.state == .ringing else { return true }
            trimmed = "answer"
        }
        secretsRead = 0
        do {
            let command = try CommandParser.parse(trimmed)
            let spec = CommandSpec.spec(command.id)
            if spec.needsSession { _ = try await workstation.requireSession() }
            let outputs = try await run(command)
            await printer.caughtUp(to: workstation.lastEvent)
            emit(outputs)
            return true
        } catch {
            await printer.caughtUp(to: workstation.lastEvent)
            guard secretsRead == 0, let words = try? CommandParser.tokenize(trimmed),
                let id = CommandParser.lookup(words)?.0.id, id == .login || id == .passwd
            else {
                report(error)
                return false
            }
            let name = CommandSpec.spec(id).name
            // `login fabio receptivas Secret1234`: the extra word is never echoed.
            if case CommandError.tooManyArguments = error {
                report(CommandError.passwordOnCommandLine(command: name))
                return false
            }
            // It failed before asking for a password, but the user (or the script) has one ready.
            let expected = id == .login ? 2 : 3
            if input.isInteractive {
                report(error, addendum: catalogue.text(.noPasswordAsked))
                skipAfterFailure = (1, name)
            } else {
                report(error)
                // A script has the password on the next line: take it unseen; a first login's
                // confirmation, or passwd's further lines, are skipped while they are not commands.
                _ = await read(.secret(""))
                skipAfterFailure = (expected - 1, name)
            }
            return false
        }
    }

    /// Whether `line` names a command (its arguments may still be wrong).
    static func namesCommand(_ line: String) -> Bool {
        do {
            _ = try CommandParser.parse(line)
            return true
        } catch .unknownCommand, .unterminatedQuote {
            return false
        } catch {
            return true
        }
    }

    /// Whether `line` goes into the command history: a command, but never one that carries a
    /// secret's value (`config pabx.password …`), nor a line that is not a command (a password
    /// typed at the prompt by mistake).
    static func keepsInHistory(_ line: String) -> Bool {
        guard !line.isEmpty, namesCommand(line) else { return false }
        guard let words = try? CommandParser.tokenize(line), let (spec, used) = CommandParser.lookup(words) else { return true }
        switch spec.id {
        case .config: return !(words.count > used && ConfigKey.named(words[used])?.kind == .secret)
        // A word past what `login` and `passwd` take is most likely a password.
        case .login, .passwd: return words.count - used <= spec.arguments.count
        default: return true
        }
    }

    /// Writes each output's lines with one call of `out` (one write for a day of calls, not one a
    /// row); rendered lines never hold a line break of their own.
    func emit(_ outputs: [Output]) {
        for output in outputs {
            let lines = renderer.render(output)
            if !lines.isEmpty { out(lines.joined(separator: "\n")) }
        }
    }

    /// Applies the screen-transfer mode of the configuration (at start, at login, after `config extension`).
    func refreshScreenTransfer() async {
        guard let screenTransfer, let config = try? await workstation.configuration() else { return }
        let mode = Self.screenTransferMode(config, override: transferOverride)
        warnIfOpen(mode)
        let ext = await workstation.session?.extension ?? Self.configuredExtension(config)
        do {
            try screenTransfer.apply(mode, extension: ext)
        } catch {
            report(error)
        }
    }

    /// Annex I has no authentication: says so whenever the port is open beyond this computer
    /// (once per host in a run).
    func warnIfOpen(_ mode: ScreenTransferMode) {
        if case .tcp(let host, _) = mode, !ConfigKey.isLoopback(host), warnedOpenHost != host {
            warnedOpenHost = host
            err(catalogue.text(.transferHostOpen(host: host)))
        }
    }

    /// The screen-transfer mode of `config`, or of `override` (`--transfer`, checked at start).
    static func screenTransferMode(_ config: WorkstationConfig, override: String?) -> ScreenTransferMode {
        let setting = (try? override.map { try ConfigKey.transfer.validate($0) }) ?? config[.transfer]
        return ScreenTransferMode(setting: setting, host: config[.transferHost].isEmpty ? "127.0.0.1" : config[.transferHost])
    }

    static func configuredExtension(_ config: WorkstationConfig) -> String? {
        config[.extension].isEmpty ? nil : config[.extension]
    }

    func report(_ error: any Error, addendum: String? = nil) {
        let code: String
        switch error {
        case let e as AtendeError: code = String(describing: e).prefix { $0 != "(" }.description
        case let e as CommandError: code = String(describing: e).prefix { $0 != "(" }.description
        default: code = "store"
        }
        let line = renderer.renderError(catalogue.error(error) + (addendum.map { " " + $0 } ?? ""), code: code)
        if options.json { out(line) } else { err(line) }
    }

    /// The prompt: compact status on a terminal, nothing in script mode.
    func prompt() async -> String {
        guard input.isInteractive else { return "" }
        guard let status = try? await workstation.status() else { return "atende> " }
        var badges: [String] = []
        let now = workstation.now
        if let q = await workstation.queueFigures(), q.waiting > 0 {
            badges.append(catalogue.text(.statusQueue(waiting: q.waiting, longest: format.minutes(now.timeIntervalSince(q.oldestQueuedAt ?? now)))))
        }
        if let line = await workstation.line {
            if let pause = line.pause { badges.append(catalogue.text(.statusPause(pause))) }
            if line.state != .free { badges.append(catalogue.state(line.state)) }
        }
        if let pending = await workstation.pendingQualification { badges.append(catalogue.text(.statusQualify(pending.number))) }
        if status.agendaDue > 0 { badges.append(catalogue.text(.statusAgenda(status.agendaDue))) }
        if let l = status.losses, l > 0 { badges.append(catalogue.text(.statusLosses(l))) }
        if status.unreadChat > 0 { badges.append(catalogue.text(.statusChat(status.unreadChat))) }
        let badgeText = badges.isEmpty ? "" : " [" + badges.joined(separator: " · ") + "]"
        let base = "\(status.agent)@\(status.group)\(badgeText)> "
        return options.colour && !badges.isEmpty ? "\u{1B}[1m" + base + "\u{1B}[0m" : base
    }

    /// A secret line (password) from the input, or the error that it is missing.
    func secret(_ prompt: Message) async throws -> String {
        secretsRead += 1
        guard let s = await read(.secret(catalogue.text(prompt))) else {
            throw CommandError.inputEnded(expected: catalogue.text(prompt).trimmingCharacters(in: CharacterSet(charactersIn: ": ")))
        }
        return s
    }

    /// Asks for a missing field on a terminal; nil in script mode.
    func ask(_ field: String) async -> String? {
        guard input.isInteractive else { return nil }
        let answer = await read(.answer(catalogue.text(.promptFor(field: catalogue.header(field)))))?.trimmingSpaces
        return answer?.isEmpty == false ? answer : nil
    }
}

/// What the REPL asks its input for.
enum Reading: Sendable {
    case line(String)
    case answer(String)
    case secret(String)
}

extension REPL {
    /// Reads from the input on the REPL's own reading queue: a blocked read (a terminal waiting for
    /// the agent) leaves the concurrency pool free for the call engine, the CRM and the timers.
    func read(_ what: Reading) async -> String? {
        let input = self.input
        return await withCheckedContinuation { continuation in
            Self.readingQueue.async {
                switch what {
                case .line(let prompt): continuation.resume(returning: input.readLine(prompt: prompt))
                case .answer(let prompt): continuation.resume(returning: input.readAnswer(prompt: prompt))
                case .secret(let prompt): continuation.resume(returning: input.readSecret(prompt: prompt))
                }
            }
        }
    }

    static let readingQueue = DispatchQueue(label: "atende.repl.input")
}

/// The REPL's subscription to the workstation's events: prints each as it comes (text or JSON),
/// sounds the ring signal, and lets the REPL wait until it has printed up to an event.
final class EventPrinter: Sendable {
    private struct State {
        var printed: UInt64 = 0
        var waiters: [(through: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let speech: Mutex<(catalogue: Catalogue, format: DisplayFormat)>

    init(
        events: AsyncStream<NumberedEvent>, catalogue: Catalogue, renderer: Renderer, format: DisplayFormat,
        print: @escaping @Sendable (String) -> Void, sound: (@Sendable () async -> Void)?
    ) {
        speech = Mutex((catalogue, format))
        let handle = Task { [weak self] in
            for await numbered in events {
                guard let (catalogue, format) = self?.speech.withLock({ $0 }) else { break }
                for output in REPL.eventOutputs(numbered.event, catalogue: catalogue, format: format) {
                    for line in renderer.render(output) { print(line) }
                }
                if let sound, numbered.event.rings { await sound() }
                self?.printed(through: numbered.sequence)
            }
            self?.printed(through: .max)
        }
        task.withLock { $0 = handle }
    }

    deinit {
        task.withLock { $0?.cancel() }
    }

    private func printed(through sequence: UInt64) {
        let ready = state.withLock { s in
            s.printed = sequence
            s.finished = sequence == .max
            let ready = s.waiters.filter { $0.through <= sequence }
            s.waiters.removeAll { $0.through <= sequence }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    /// Prints the events to come in another language.
    func speak(_ catalogue: Catalogue, _ format: DisplayFormat) {
        speech.withLock { $0 = (catalogue, format) }
    }

    /// Returns once every event up to `sequence` is printed.
    func caughtUp(to sequence: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.printed >= sequence || s.finished { return true }
                s.waiters.append((sequence, c))
                return false
            }
            if now { c.resume() }
        }
    }
}
