import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeStore
import AtendeWorkstation
import Foundation

extension Atende {
    /// `atende export`: the stored attendances as CSV or JSON Lines (RP-6), for a logged-in user:
    /// an agent exports only their own history, supervisors and admins their groups'.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export stored attendances as CSV or JSON Lines.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Who exports (the password is asked for, or read from the first line of standard input).") var user: String?
        @OptionGroup var options: ExportOptions

        func run() async throws {
            let boot = try Bootstrap(common)
            // Closed whole at the end, the next start need not read the store in full (Store.close).
            defer { try? boot.store.close() }
            let c = boot.catalogue
            do {
                let format = try options.exportFormat
                let who = try await SignIn.agent(user, command: "export", boot: boot)
                let request = try await boot.workstation.authorizeExport(
                    ExportRequest(from: options.from, to: options.to, agent: options.agent, format: format, excel: options.excel), by: who)
                let exporter = HistoryExporter(store: boot.store, calendar: boot.settings.calendar, clock: boot.clock)
                let writer = try options.out.map { try BufferedFileWriter.replacing($0) } ?? BufferedFileWriter.standardOutput()
                let bar = ProgressBar.forStandardError(label: "export")
                let rows = try exporter.export(request, to: writer) { done, total in bar.update(done: done, total: total) }
                try writer.close()
                bar.finish()
                if let out = options.out { FileHandle.standardError.write(Data((c.text(.exportDone(rows: rows, path: out)) + "\n").utf8)) }
            } catch {
                FileHandle.standardError.write(Data((c.error(error) + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }

    /// What `atende export` and `atende admin export` both ask: the days, the agent, the format and the file.
    struct ExportOptions: ParsableArguments {
        @Option(help: "First day (dd/mm/yyyy or yyyy-mm-dd); default: the oldest.") var from: String?
        @Option(help: "Last day, inclusive; default: the newest.") var to: String?
        @Option(help: "Only this agent's attendances (supervisors and admins; an agent exports their own).") var agent: String?
        @Option(help: "csv or jsonl.") var format: String = "csv"
        @Flag(help: "CSV for spreadsheets set to pt-BR: ';' and a byte-order mark.") var excel = false
        @Option(help: "The file to write, replaced only when the export is whole; default: standard output.") var out: String?

        var exportFormat: ExportFormat {
            get throws {
                guard let format = ExportFormat(rawValue: format.lowercased()) else { throw AtendeError.invalidFormat(format) }
                return format
            }
        }
    }

    /// `atende import contacts FILE.csv` (CT-1).
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import records.", subcommands: [Contacts.self])

        struct Contacts: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import contacts from a CSV file with a header row (name, phone, company, email, notes).")

            @OptionGroup var common: CommonOptions
            @Option(help: "Who imports, with the contact-edit permission (the password is asked for, or read from the first line of standard input).")
            var user: String?
            @Argument(help: "The CSV file.") var file: String

            func run() async throws {
                let boot = try Bootstrap(common)
                // Closed whole at the end, the next start need not read the store in full (Store.close).
                defer { try? boot.store.close() }
                let c = boot.catalogue
                do {
                    let who = try await SignIn.agent(user, command: "import", boot: boot)
                    try await boot.workstation.authorizeImport(by: who)
                    let areaCode = try await boot.workstation.configuration().areaCode
                    let bar = ProgressBar.forStandardError(label: "import")
                    let report = try ContactImporter(store: boot.store, areaCode: areaCode).importContacts(
                        from: URL(fileURLWithPath: file)
                    ) { done, total in bar.update(done: done, total: total) }
                    bar.finish()
                    var lines = report.rejected.map { c.text(.importRow(line: $0.line, reason: c.describe($0.problem))) }
                    lines.append(c.text(.importDone(imported: report.imported, rejected: report.rejected.count)))
                    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                    if !report.rejected.isEmpty { throw ExitCode(1) }
                } catch let e as ExitCode {
                    throw e
                } catch {
                    FileHandle.standardError.write(Data((c.error(error) + "\n").utf8))
                    throw ExitCode(1)
                }
            }
        }
    }
}
