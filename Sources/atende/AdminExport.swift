import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeRemote
import Foundation

extension Atende.Admin {
    /// `atende admin export`: the call center's history from the server (RP-6) — every agent's
    /// attendances as the server holds them, each the workstation's record merged with the
    /// switch's — streamed to CSV or JSON Lines as `atende export` writes the workstation's.
    /// An admin exports everyone's, a supervisor their groups', an agent their own.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the call center's history from the server as CSV or JSON Lines (admins: everyone's; supervisors: their groups').")

        @OptionGroup var server: ServerOptions
        @OptionGroup var options: Atende.ExportOptions

        func run() async throws {
            let c = try server.catalogue
            // The command line is checked before the password is asked for: a bad one sends nothing.
            let request: ServerExportRequest
            do {
                request = try exportRequest()
            } catch {
                throw server.say(c.error(error), status: 2)
            }
            try await server.signedIn("export") { client, login in
                let token = login.token
                // Said in the user's language before asking; the server decides the same on its own.
                if let agent = options.agent, agent.caseInsensitiveCompare(login.agent.nickname) != .orderedSame {
                    guard login.agent.role != .agent else { throw server.say(c.error(AtendeError.supervisorOnly), status: 1) }
                    guard login.registry.agent(agent) != nil else { throw server.say(c.error(AtendeError.unknownAgent(agent)), status: 1) }
                }
                let writer: BufferedFileWriter
                do {
                    writer = try options.out.map { try BufferedFileWriter.replacing($0) } ?? BufferedFileWriter.standardOutput()
                } catch {
                    throw server.say(c.error(error), status: 1)
                }
                let bar = ProgressBar.forStandardError(label: "export")
                var total = 0
                var lines = 0
                let written: Int?
                do {
                    written = try await client.export(
                        request, token: token, start: { total = $0 ?? 0 },
                        body: { bytes in
                            try writer.write(bytes)
                            let before = lines
                            lines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                            if lines / 4096 != before / 4096 { bar.update(done: rows(lines), total: total) }
                        })
                    try writer.close()
                } catch let problem as ServerProblem where problem.code == .unreachable && lines > 0 {
                    throw server.say(c.error(.exportInterrupted(rows: rows(lines), path: options.out)), status: 1)
                } catch let problem as ServerProblem {
                    throw problem
                } catch {
                    throw server.say(c.error(error), status: 1)
                }
                let done = written ?? rows(lines)
                bar.update(done: done, total: max(total, done))
                bar.finish()
                if let out = options.out { FileHandle.standardError.write(Data((c.text(.exportDone(rows: done, path: out)) + "\n").utf8)) }
            }
        }

        /// Attendances in `lines` lines received: the CSV's header is not one.
        private func rows(_ lines: Int) -> Int {
            options.format.lowercased() == ExportFormat.csv.rawValue ? max(0, lines - 1) : lines
        }

        /// The request of the command line, days read in this machine's calendar and time zone.
        private func exportRequest() throws -> ServerExportRequest {
            let format = try options.exportFormat
            let dates = DateInput(calendar: .current)
            let now = Date()
            let start = try options.from.map { try dates.day($0, now: now).start }
            let end = try options.to.map { try dates.day($0, now: now).end }
            if let start, let end, end <= start { throw AtendeError.endBeforeStart }
            return ServerExportRequest(
                from: start.map { Int64($0.timeIntervalSince1970) }, to: end.map { Int64($0.timeIntervalSince1970.rounded(.up)) - 1 },
                agent: options.agent, format: format, excel: options.excel, timeZone: .current)
        }
    }
}
