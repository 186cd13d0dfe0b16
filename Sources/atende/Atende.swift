import ArgumentParser
import AtendeCore
import AtendeIntegration
import Logging
import AtendeREPL
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation

/// `atende`: the agent REPL by default; `export` and `import` for history and contacts.
@main
struct Atende: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atende",
        abstract: "Atende — call-center agent workstation.",
        subcommands: [Workstation.self, Export.self, Import.self, Admin.self, Server.self],
        defaultSubcommand: Workstation.self)
}

/// Options every entry point takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Folder of the database and history (default: $XDG_DATA_HOME/atende or ~/.local/share/atende).")
    var dataDir: String?

    @Option(help: "Language of messages: pt or en (default: from LANG).")
    var lang: String?

    @Option(help: "A JSON file overriding the workstation defaults of Config/defaults.json.")
    var config: String?

    @Option(help: "The call-center server, HOST, HOST:PORT or https://HOST:PORT (TLS), over `config server.host` (env ATENDE_SERVER; empty: standalone).")
    var server: String?

    @Option(name: .customLong("ca-cert"), help: "With an https:// server: a PEM file of the CA to trust, over `config server.ca-cert` (env ATENDE_CA_CERT).")
    var caCert: String?

    /// Refused when given: the registry is the bundled one or the one an admin installed with
    /// `atende admin registry load FILE` (a file given per run never grants a role).
    @Option(help: ArgumentHelp("No longer read: an admin installs a registry with `atende admin registry load FILE`.", visibility: .hidden))
    var registry: String?

    @Option(help: "system (default) or manual: time moves only when told (for scripts and tests).")
    var clock: String = "system"

    @Option(help: "With --clock manual: the starting time, yyyy-mm-dd HH:MM or dd/mm/yyyy HH:MM.")
    var now: String?
}

extension Atende {
    /// The REPL (the default subcommand).
    struct Workstation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "repl", abstract: "The agent's REPL (default).")

        @OptionGroup var common: CommonOptions

        @Flag(help: "Print every result as one JSON object per line.")
        var json = false

        @Flag(name: .customLong("keep-going"), help: "In script mode, go on after a failing command (exit status 1 at the end).")
        var keepGoing = false

        @Option(help: "Screen transfer for this run, over the configuration: \"tcp PORT\", \"txt DIR\" or off (env ATENDE_TRANSFER).")
        var transfer: String?

        @Option(name: .customLong("log-level"), help: "Log level on standard error: trace, debug, info, notice, warning (default), error.")
        var logLevel: String = "warning"

        func run() async throws {
            let transferOverride = try checkedTransfer()
            // Logging first: the loggers made while building the workstation write where and as much as asked.
            let level = Logger.Level(rawValue: logLevel) ?? .warning
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let boot = try Bootstrap(common)
            let input: any LineSource = TerminalInput.isAvailable ? TerminalInput(historyFile: boot.dataDir.appendingPathComponent("history")) : PipedInput()
            let terminal = input as? TerminalInput
            let catalogue = boot.catalogue
            // Written line by line, unbuffered: a script's reader (or a CRM test) sees events as they happen.
            let out: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
            let err: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let above: (@Sendable (String) -> Void)? = terminal.map { t in { @Sendable line in t.printAbove(line) } }
            let repl = REPL(
                workstation: boot.workstation, simulation: boot.simulation, catalogue: catalogue, input: input,
                options: REPLOptions(json: json, keepGoing: keepGoing, colour: input.isInteractive), out: out, err: err,
                above: above)
            repl.screenTransfer = ScreenTransferController(
                workstation: boot.workstation, logger: Logger(label: "atende.screen-transfer")
            ) { source, error in
                let reason = catalogue.error(error)
                (above ?? err)(catalogue.text(.crmRefused(source: source, reason: String(reason.dropFirst(catalogue.errorPrefix.count)))))
            }
            repl.transferOverride = transferOverride
            terminal?.completer = repl.completion.candidates
            let realClock = boot.clock is SystemClock
            let (service, simulator, workstation) = (boot.switchService, boot.simulator, boot.workstation)
            let status = await withTaskGroup(of: Void.self) { group in
                // On the real clock, time passes between lines: rings time out, traffic arrives,
                // wrap-ups end, reminders fall due — each timer loop sleeps until its next deadline.
                if realClock {
                    if let service { group.addTask { await service.run() } }
                    if let simulator { group.addTask { await simulator.run() } }
                    group.addTask { await workstation.run() }
                }
                let status = await repl.run()
                group.cancelAll()
                await workstation.shutdown()
                return status
            }
            // Closed whole, the next start need not read the store in full (Store.close).
            try? boot.store.close()
            if status != 0 { throw ExitCode(status) }
        }

        /// The screen transfer of `--transfer` or `ATENDE_TRANSFER`, refused before anything is
        /// opened when it is not a mode (a run that ignored it would say nothing of the CRM it lacks).
        func checkedTransfer() throws -> String? {
            let env = ProcessInfo.processInfo.environment
            guard let (source, given) = transfer.map({ ("--transfer", $0) }) ?? env["ATENDE_TRANSFER"].flatMap({ $0.isEmpty ? nil : ("ATENDE_TRANSFER", $0) }) else {
                return nil
            }
            guard let mode = try? ConfigKey.transfer.validate(given) else {
                let catalogue = Catalogue(language: Language.resolve(flag: common.lang, environment: env) ?? .en)
                let refusal = AtendeError.invalidConfigValue(key: source, value: given, expected: .transfer)
                FileHandle.standardError.write(Data((catalogue.error(refusal) + "\n").utf8))
                throw ExitCode(2)
            }
            return mode
        }
    }
}
