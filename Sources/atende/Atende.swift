import ArgumentParser
import AtendeCore
import AtendeIntegration
import Logging
import AtendeREPL
import AtendeStore
import AtendeWorkstation
import Foundation

/// `atende`: the agent REPL by default; `export` and `import` for history and contacts.
@main
struct Atende: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atende",
        abstract: "Atende — call-center agent workstation.",
        subcommands: [Workstation.self, Export.self, Import.self, Admin.self],
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

    @Option(help: "A JSON file replacing the demo registry of Config/registry.json.")
    var registry: String?

    @Option(help: "system (default) or manual: time moves only when told (for scripts and tests).")
    var clock: String = "system"

    @Option(help: "With --clock manual: the starting time, yyyy-mm-dd HH:MM or dd/mm/yyyy HH:MM.")
    var now: String?
}

extension Atende {
    /// The REPL (the default subcommand).
    struct Workstation: ParsableCommand {
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

        func run() throws {
            let boot = try Bootstrap(common)
            let input: any LineSource = TerminalInput.isAvailable ? TerminalInput(historyFile: boot.dataDir.appendingPathComponent("history")) : PipedInput()
            let repl = REPL(
                workstation: boot.workstation, catalogue: boot.catalogue, input: input,
                options: REPLOptions(json: json, keepGoing: keepGoing, colour: input.isInteractive),
                // Written line by line, unbuffered: a script's reader (or a CRM test) sees events as they happen.
                out: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }, err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
            let level = Logger.Level(rawValue: logLevel) ?? .warning
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            repl.screenTransfer = ScreenTransferController(
                host: repl, registry: boot.settings.registry, logger: Logger(label: "atende.screen-transfer"))
            repl.transferOverride = transfer ?? ProcessInfo.processInfo.environment["ATENDE_TRANSFER"]
            if let terminal = input as? TerminalInput {
                repl.asyncOut = terminal.printAbove
                terminal.completer = repl.completions
                // On the real clock, time passes between lines: rings time out, reminders fall due.
                if boot.clock is SystemClock {
                    Thread.detachNewThread {
                        while true {
                            Thread.sleep(forTimeInterval: 1)
                            repl.tickInBackground()
                        }
                    }
                }
            }
            let status = repl.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
