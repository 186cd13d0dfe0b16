import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeRemote
import AtendeWorkstation
import Foundation
import Glibc
import Logging

/// Where an admin command finds the server, and as whom it logs in.
struct ServerOptions: ParsableArguments {
    @Option(help: "The call-center server: HOST, HOST:PORT or https://HOST:PORT for TLS (env ATENDE_SERVER; default 127.0.0.1:5000).")
    var server: String?

    @Option(help: "The admin or supervisor who runs the command; the password is asked (or read from the first line of standard input).")
    var user: String?

    @Option(name: .customLong("ca-cert"), help: "With https://: a PEM file of the CA (or self-signed certificate) to trust for the server (env ATENDE_CA_CERT).")
    var caCert: String?

    @Option(help: "Language of messages: pt or en (default: from LANG).")
    var lang: String?

    /// The catalogue of `--lang`, else of `LANG`; a `--lang` that is no language is refused (exit 2).
    var catalogue: Catalogue {
        get throws {
            guard let language = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) else {
                throw atende.fail(Catalogue(language: .en), ConfigFileError(file: "--lang", location: lang ?? "", reason: .notAChoice(["pt", "en"])))
            }
            return Catalogue(language: language)
        }
    }

    /// The server of `--server` (or `ATENDE_SERVER`), with the CA of `--ca-cert` (or `ATENDE_CA_CERT`),
    /// checked before anything is sent: a bad address or an unreadable CA file is one line, exit 2.
    var address: ServerAddress {
        get throws {
            let env = ProcessInfo.processInfo.environment
            let text = server ?? env["ATENDE_SERVER"] ?? "127.0.0.1:5000"
            guard var address = ServerAddress(text) else {
                throw refuse(.serverAddressInvalid(option: server != nil ? "--server" : "ATENDE_SERVER", value: text), status: 2)
            }
            if let ca = caCert ?? env["ATENDE_CA_CERT"].flatMap({ $0.isEmpty ? nil : $0 }) {
                address.caCertificate = ca
                do {
                    try address.checkTrust(source: caCert != nil ? "--ca-cert" : "ATENDE_CA_CERT")
                } catch {
                    throw say(try catalogue.error(error), status: 2)
                }
            }
            return address
        }
    }

    /// Logs in on the server; a refusal is one line on standard error and exit status 1.
    func login(command: String) async throws -> (ServerClient, ServerLogin) {
        guard let user, !user.isEmpty else { throw refuse(.needsUser(command: command), status: 2) }
        let client = ServerClient(server: try address)
        guard let password = SignIn.readPassword(prompt: try catalogue.text(.signInPrompt(user: user))) else {
            throw refuse(.noPassword(user: user), status: 2)
        }
        do {
            return (client, try await client.login(agent: user, password: password))
        } catch {
            throw fail(error)
        }
    }

    /// One line on standard output.
    func print(_ m: AdminMessage) {
        let c = (try? catalogue) ?? Catalogue(language: .en)
        FileHandle.standardOutput.write(Data((c.text(m) + "\n").utf8))
    }

    /// The server's refusal as one line on standard error, and exit status 1. A refusal of the
    /// login (or of reaching the server) reads as the workstation's login says it.
    func fail(_ problem: ServerProblem, about target: String? = nil) -> ExitCode {
        let c = (try? catalogue) ?? Catalogue(language: .en)
        switch problem.code {
        case .unreachable:
            // Not the workstation's line (telephony, agenda…): an admin command only needs the server.
            let shown = (try? address)?.description ?? server ?? "127.0.0.1:5000"
            return say(c.error(.serverUnreachable(address: shown)), status: 1)
        case .unknownAgent, .wrongPassword, .locked, .untrustedCertificate, .tlsMismatch:
            return say(c.error(AtendeWorkstation.Workstation.loginRefusal(problem, agent: user ?? "")), status: 1)
        default:
            if let refusal = problem.refusal { return say(c.error(refusal, about: target), status: 1) }
            return say(c.error(.serverRefused(code: problem.code, detail: problem.detail)), status: 1)
        }
    }

    /// A refusal of the command line itself, before anything is sent.
    func refuse(_ m: AdminMessage, status: Int32 = 1) -> ExitCode {
        let c = (try? catalogue) ?? Catalogue(language: .en)
        return say(c.error(m), status: status)
    }

    func say(_ line: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data((line + "\n").utf8))
        return ExitCode(status)
    }
}

/// A line an admin command refuses with (its status 1): thrown inside a server session.
struct AdminRefusal: Error {
    let message: AdminMessage
}

extension Atende.Admin {
    /// `atende admin call PHONE SERVICE`: a customer calls a service (the telephone network).
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the server: a customer at PHONE calls SERVICE (name or number), as the telephone network would.")

        @OptionGroup var server: ServerOptions
        @Argument(help: "The caller's phone.") var phone: String
        @Argument(help: "The service called, by name or number.") var service: String

        func run() async throws {
            try await server.session("call") { client, token in
                let receipt = try await client.call(phone: phone, service: service, token: token)
                server.print(.callPlaced(phone: phone, service: service, through: receipt.through))
            }
        }
    }
}

extension Atende.Admin {
    /// `atende admin monitor`: the floor, live, as the server pushes it (SV-7).
    ///
    /// On a terminal the view is redrawn on every change: agents (state, time in it, pause,
    /// help requests, current call) and queues (waiting, longest wait). Otherwise each change
    /// is one line, stamped with the time it was seen.
    struct Monitor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The floor, live from the server (supervisors and admins).")

        @OptionGroup var server: ServerOptions

        func run() async throws {
            let (_, login) = try await server.login(command: "monitor")
            guard login.agent.role != .agent else { throw server.refuse(.monitorForSupervisors) }
            let link = RemoteSwitchLink(server: try server.address, token: login.token, logger: Logger(label: "atende.monitor"), monitor: true)
            let feed = await link.events(for: .everything)
            await link.start()
            guard await link.isConnected else { throw server.refuse(.switchUnreachable) }
            let client = ServerClient(server: try server.address)
            let catalogue = try server.catalogue
            var floor = FloorView(SwitchMirror(await link.snapshot(for: .everything)), terminal: isatty(1) != 0, catalogue: catalogue)
            floor.kpis = (try? await client.kpis(token: login.token)) ?? []
            floor.show()
            for await item in feed {
                switch item {
                case .batch(let batch):
                    for event in batch.events { floor.apply(event) }
                    // The day's figures change when a call ends.
                    if batch.events.contains(where: { if case .ended = $0 { return true } else { return false } }),
                        let kpis = try? await client.kpis(token: login.token)
                    {
                        floor.kpis = kpis
                        if !floor.terminal { for k in kpis { floor.say(floor.describe(k)) } }
                    }
                    if floor.terminal { floor.show() }
                case .lost:
                    server.print(.linkLost)
                case .restored(let snapshot):
                    floor = FloorView(SwitchMirror(snapshot), terminal: floor.terminal, catalogue: catalogue)
                    server.print(.linkBack)
                    floor.show()
                }
            }
        }
    }
}

/// What the monitor shows of the floor.
struct FloorView {
    var mirror: SwitchMirror
    let terminal: Bool
    let catalogue: Catalogue
    var kpis: [QueueKPIFigures] = []

    init(_ mirror: SwitchMirror, terminal: Bool, catalogue: Catalogue) {
        self.mirror = mirror
        self.terminal = terminal
        self.catalogue = catalogue
    }

    mutating func apply(_ event: SwitchEvent) {
        mirror.apply(event)
        guard !terminal else { return }
        switch event {
        case .agentChanged(let line): say(describe(line, calls: mirror.calls, now: Date()))
        case .queueChanged(let q): say(describe(q, now: Date()))
        default: break
        }
    }

    func show() {
        let now = Date()
        var out = terminal ? "\u{1B}[H\u{1B}[2J" : ""
        out += catalogue.text(.floorAgentsTitle) + "\n"
        for line in mirror.lines.values.sorted(by: { $0.extension < $1.extension }) {
            out += "  " + describe(line, calls: mirror.calls, now: now) + "\n"
        }
        out += catalogue.text(.floorQueuesTitle) + "\n"
        for q in mirror.queues.values.sorted(by: { $0.group < $1.group }) {
            out += "  " + describe(q, now: now) + "\n"
        }
        out += catalogue.text(.floorTodayTitle(threshold: 20)) + "\n"
        for k in kpis { out += "  " + describe(k) + "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func say(_ text: String) {
        let stamp = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        FileHandle.standardOutput.write(Data("\(stamp) \(text)\n".utf8))
    }

    func describe(_ line: AgentLine, calls: [CallID: SwitchCall], now: Date) -> String {
        let call = line.currentCall.flatMap { calls[$0] }.map { call in
            (call.service.map { "\($0) " } ?? "") + (call.phone ?? call.to ?? call.from ?? "")
        }
        return catalogue.text(
            .floorAgent(
                extension: line.extension, nickname: line.nickname, loggedIn: line.loggedIn, state: line.state,
                since: Self.clock(now.timeIntervalSince(line.stateSince)), pause: line.pause, wrapUp: line.wrapUp,
                help: line.helpRequested, call: call))
    }

    func describe(_ q: QueueFigures, now: Date) -> String {
        catalogue.text(.floorQueue(group: q.group, waiting: q.waiting, longest: Self.clock(q.oldestQueuedAt.map { now.timeIntervalSince($0) } ?? 0)))
    }

    func describe(_ k: QueueKPIFigures) -> String {
        func percent(_ v: Double?) -> String { v.map { String(format: "%.0f%%", $0) } ?? "-" }
        return catalogue.text(
            .floorKPI(
                queue: k.queue, offered: k.offered, answered: k.answered, abandoned: k.abandoned, abandonRate: percent(k.abandonRate),
                serviceLevel: percent(k.serviceLevel), asa: k.averageSpeedOfAnswer.map(Self.clock) ?? "-",
                aht: k.averageHandleTime.map(Self.clock) ?? "-"))
    }

    static func clock(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}

extension Atende.Admin {
    /// `atende admin pause EXTENSION REASON`: a supervisor puts an agent in a productive pause.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the server: put the agent at EXTENSION in a productive pause (supervisors and admins).")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The agent's extension.") var `extension`: String
        @Argument(help: "A productive pause reason, by name or code.") var reason: String

        func run() async throws {
            guard isExtension(`extension`) else { throw server.refuse(.extensionDigits, status: 2) }
            try await server.session("pause") { client, token in
                try await client.pauseAgent(extension: `extension`, reason: reason, token: token)
                server.print(.agentPaused(extension: `extension`, reason: reason))
            }
        }
    }

    /// `atende admin logout EXTENSION`: a supervisor logs an agent out, ending their calls.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the server: log the agent at EXTENSION out, ending their calls (supervisors and admins).")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The agent's extension.") var `extension`: String

        func run() async throws {
            guard isExtension(`extension`) else { throw server.refuse(.extensionDigits, status: 2) }
            try await server.session("logout") { client, token in
                try await client.logoutAgent(extension: `extension`, token: token)
                server.print(.agentLoggedOut(extension: `extension`))
            }
        }
    }
}

/// Whether `text` is an extension: digits, at most 16.
func isExtension(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 16 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
}
