import ArgumentParser
import AtendeCore
import AtendeRemote
import AtendeWorkstation
import Foundation
import Glibc
import Logging

/// Where an admin command finds the server, and as whom it logs in.
struct ServerOptions: ParsableArguments {
    @Option(help: "The call-center server, HOST or HOST:PORT (env ATENDE_SERVER; default 127.0.0.1:5000).")
    var server: String?

    @Option(help: "The admin or supervisor who runs the command; the password is asked (or read from the first line of standard input).")
    var user: String?

    var address: ServerAddress {
        get throws {
            let text = server ?? ProcessInfo.processInfo.environment["ATENDE_SERVER"] ?? "127.0.0.1:5000"
            guard let address = ServerAddress(text) else { throw ValidationError("--server must be HOST or HOST:PORT, not \"\(text)\"") }
            return address
        }
    }

    /// Logs in on the server; a refusal is one line on standard error and exit status 1.
    func login(command: String) async throws -> (ServerClient, ServerLogin) {
        guard let user, !user.isEmpty else { throw ValidationError("`atende admin \(command)` needs --user NICKNAME (an admin or supervisor)") }
        let client = ServerClient(server: try address)
        guard let password = SignIn.readPassword(prompt: "Password for \(user): ") else {
            throw ValidationError("no password was given for \(user)")
        }
        do {
            return (client, try await client.login(agent: user, password: password))
        } catch {
            throw Self.fail(error)
        }
    }

    static func fail(_ problem: ServerProblem) -> ExitCode {
        var line = "error: " + problem.detail
        if let left = problem.attemptsLeft { line += " (\(left) attempt(s) left)" }
        FileHandle.standardError.write(Data((line + ".\n").utf8))
        return ExitCode(1)
    }
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
            let (client, login) = try await server.login(command: "call")
            do {
                let receipt = try await client.call(phone: phone, service: service, token: login.token)
                print("Call from \(phone) to \(service) placed (switch event \(receipt.through)).")
            } catch {
                throw ServerOptions.fail(error)
            }
            try? await client.logout(token: login.token)
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
            guard login.agent.role != .agent else {
                throw ServerOptions.fail(ServerProblem(.forbidden, "the monitor is for supervisors and admins"))
            }
            let link = RemoteSwitchLink(server: try server.address, token: login.token, logger: Logger(label: "atende.monitor"), monitor: true)
            let feed = await link.events(for: .everything)
            await link.start()
            guard await link.isConnected else { throw ServerOptions.fail(ServerProblem(.refused, "the server's switch cannot be reached")) }
            let client = ServerClient(server: try server.address)
            var floor = FloorView(SwitchMirror(await link.snapshot(for: .everything)), terminal: isatty(1) != 0)
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
                        if !floor.terminal { for k in kpis { floor.say(FloorView.describe(k)) } }
                    }
                    if floor.terminal { floor.show() }
                case .lost:
                    print("Link to the server lost: reconnecting.")
                case .restored(let snapshot):
                    floor = FloorView(SwitchMirror(snapshot), terminal: floor.terminal)
                    print("Link to the server is back.")
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
    var kpis: [QueueKPIFigures] = []

    init(_ mirror: SwitchMirror, terminal: Bool) {
        self.mirror = mirror
        self.terminal = terminal
    }

    mutating func apply(_ event: SwitchEvent) {
        mirror.apply(event)
        guard !terminal else { return }
        switch event {
        case .agentChanged(let line): say(Self.describe(line, calls: mirror.calls, now: Date()))
        case .queueChanged(let q): say(Self.describe(q, now: Date()))
        default: break
        }
    }

    func show() {
        let now = Date()
        var out = terminal ? "\u{1B}[H\u{1B}[2J" : ""
        out += "Agents\n"
        for line in mirror.lines.values.sorted(by: { $0.extension < $1.extension }) {
            out += "  " + Self.describe(line, calls: mirror.calls, now: now) + "\n"
        }
        out += "Queues\n"
        for q in mirror.queues.values.sorted(by: { $0.group < $1.group }) {
            out += "  " + Self.describe(q, now: now) + "\n"
        }
        out += "Today (service level: answered within 20 s over answered)\n"
        for k in kpis { out += "  " + Self.describe(k) + "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func say(_ text: String) {
        let stamp = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        FileHandle.standardOutput.write(Data("\(stamp) \(text)\n".utf8))
    }

    static func describe(_ line: AgentLine, calls: [CallID: SwitchCall], now: Date) -> String {
        guard line.loggedIn else { return "\(line.extension) \(line.nickname) LOGGED OUT" }
        var text = "\(line.extension) \(line.nickname) \(line.state.rawValue.uppercased()) \(clock(now.timeIntervalSince(line.stateSince)))"
        if let pause = line.pause { text += " paused (\(pause))" }
        if line.wrapUp { text += " wrap-up" }
        if line.helpRequested { text += " HELP REQUESTED" }
        if let id = line.currentCall, let call = calls[id] {
            text += " call " + (call.service.map { "\($0) " } ?? "") + (call.phone ?? call.to ?? call.from ?? "")
        }
        return text
    }

    static func describe(_ q: QueueFigures, now: Date) -> String {
        "queue \(q.group): \(q.waiting) waiting, longest " + clock(q.oldestQueuedAt.map { now.timeIntervalSince($0) } ?? 0)
    }

    static func describe(_ k: QueueKPIFigures) -> String {
        func percent(_ v: Double?) -> String { v.map { String(format: "%.0f%%", $0) } ?? "-" }
        return "kpi \(k.queue): offered \(k.offered), answered \(k.answered), abandoned \(k.abandoned) (\(percent(k.abandonRate))), "
            + "SL \(percent(k.serviceLevel)), ASA \(k.averageSpeedOfAnswer.map(clock) ?? "-"), AHT \(k.averageHandleTime.map(clock) ?? "-")"
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

        func validate() throws {
            guard !`extension`.isEmpty, `extension`.count <= 16, `extension`.allSatisfy(\.isNumber) else {
                throw ValidationError("EXTENSION must be digits, like 2050")
            }
        }

        func run() async throws {
            let (client, login) = try await server.login(command: "pause")
            do {
                try await client.pauseAgent(extension: `extension`, reason: reason, token: login.token)
                print("Extension \(`extension`) paused (\(reason)).")
            } catch {
                throw ServerOptions.fail(error)
            }
            try? await client.logout(token: login.token)
        }
    }

    /// `atende admin logout EXTENSION`: a supervisor logs an agent out, ending their calls.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the server: log the agent at EXTENSION out, ending their calls (supervisors and admins).")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The agent's extension.") var `extension`: String

        func validate() throws {
            guard !`extension`.isEmpty, `extension`.count <= 16, `extension`.allSatisfy(\.isNumber) else {
                throw ValidationError("EXTENSION must be digits, like 2050")
            }
        }

        func run() async throws {
            let (client, login) = try await server.login(command: "logout")
            do {
                try await client.logoutAgent(extension: `extension`, token: login.token)
                print("Extension \(`extension`) logged out.")
            } catch {
                throw ServerOptions.fail(error)
            }
            try? await client.logout(token: login.token)
        }
    }
}
