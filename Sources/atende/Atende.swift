import ArgumentParser
import AtendeCore
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
        subcommands: [Workstation.self, Export.self, Import.self],
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

        func run() throws {
            let boot = try Bootstrap(common)
            let input: any LineSource = TerminalInput.isAvailable ? TerminalInput(historyFile: boot.dataDir.appendingPathComponent("history")) : PipedInput()
            let repl = REPL(
                workstation: boot.workstation, catalogue: boot.catalogue, input: input,
                options: REPLOptions(json: json, keepGoing: keepGoing, colour: input.isInteractive),
                out: { print($0) }, err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
            if let terminal = input as? TerminalInput {
                terminal.completer = repl.completions
                // On the real clock, time passes between lines: rings time out, reminders fall due.
                if boot.clock is SystemClock {
                    Thread.detachNewThread {
                        while true {
                            Thread.sleep(forTimeInterval: 1)
                            repl.tickInBackground(print: terminal.printAbove)
                        }
                    }
                }
            }
            let status = repl.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
