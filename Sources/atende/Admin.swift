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
            abstract: "Supervisor and admin tools.", subcommands: [
                RegistryCommands.self, GenerateHistory.self, Bench.self, Call.self, Sim.self, Monitor.self, Pause.self, Logout.self, Agents.self, Groups.self, Services.self,
                PauseReasons.self, Codes.self, RecordingReasons.self, Audit.self, Export.self,
            ])

        /// `atende admin registry load FILE`: installs the call center's registry into the store (SV-6).
        struct RegistryCommands: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "registry", abstract: "The registry of agents, groups and services (admins).", subcommands: [Load.self])

            struct Load: AsyncParsableCommand {
                static let configuration = CommandConfiguration(
                    abstract: "An admin act: install FILE as the registry in force (every agent's role and permissions) from the next run.")

                @OptionGroup var common: CommonOptions
                @Option(help: "The admin who installs it (the password is asked for, or read from the first line of standard input).")
                var user: String?
                @Argument(help: "The registry, shaped like Config/registry.json.") var file: String

                func run() async throws {
                    // The file is checked before anything is opened: a refused one changes nothing.
                    let registry: AtendeCore.Registry
                    do {
                        registry = try ConfigFiles.registry(URL(fileURLWithPath: file))
                    } catch let e as ConfigFileError {
                        let language = Language.resolve(flag: common.lang, environment: ProcessInfo.processInfo.environment) ?? .en
                        throw fail(Catalogue(language: language), e)
                    }
                    let boot = try Bootstrap(common)
                    // Closed whole at the end, the next start need not read the store in full (Store.close).
                    defer { try? boot.store.close() }
                    let c = boot.catalogue
                    do {
                        let who = try await SignIn.agent(user, command: "admin registry load", boot: boot)
                        try await boot.workstation.installRegistry(registry, by: who)
                        let line = c.text(.registryInstalled(file: file, by: who.nickname, agents: registry.agents.count, groups: registry.groups.count))
                        FileHandle.standardError.write(Data((line + "\n").utf8))
                    } catch {
                        FileHandle.standardError.write(Data((c.error(error) + "\n").utf8))
                        throw ExitCode(1)
                    }
                }
            }
        }

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
                // Closed whole at the end, the next start need not read the store in full (Store.close).
                defer { try? boot.store.close() }
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
