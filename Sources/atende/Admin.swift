import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeStore
import AtendeWorkstation
import Foundation

extension Atende {
    /// `atende admin …`: tools for supervisors and admins.
    struct Admin: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Supervisor and admin tools.", subcommands: [GenerateHistory.self, Bench.self])

        /// `atende admin generate-history`: a realistic, repeatable history for benchmarks and demos.
        struct GenerateHistory: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "generate-history",
                abstract: "Fill the store with a seeded history: attendances over two years, contacts, losses, agenda, notes.")

            @OptionGroup var common: CommonOptions
            @Option(help: "Attendances to write.") var attendances = 1_000_000
            @Option(help: "Contacts to write.") var contacts = 200_000
            @Option(help: "Seed: the same arguments give the same records.") var seed: UInt64 = 42

            func run() throws {
                let boot = try Bootstrap(common)
                guard attendances >= 0, contacts >= 0 else {
                    throw ValidationError("--attendances and --contacts must be 0 or more")
                }
                let bar = ProgressBar.forStandardError(label: "history")
                var generator = HistoryGenerator(seed: seed)
                let total = attendances + contacts
                do {
                    try generator.generate(
                        into: boot.store, attendances: attendances, contacts: contacts, registry: boot.settings.registry
                    ) { done in bar.update(done: done, total: total) }
                } catch {
                    FileHandle.standardError.write(Data((boot.catalogue.error(error) + "\n").utf8))
                    throw ExitCode(1)
                }
                bar.finish()
            }
        }
    }
}
