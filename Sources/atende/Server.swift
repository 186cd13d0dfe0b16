import ArgumentParser
import AtendeCore
import AtendeDefaults
import AtendeServer
import Foundation
import Logging

extension Atende {
    /// `atende server`: the call center that workstations share (SV-1).
    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "server", abstract: "The call-center server: the shared switch, logins, records (HTTP + WebSocket).")

        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on (0: any free port, announced on standard output).") var port = 5000
        @Option(name: .customLong("data-dir"), help: "Folder of server.sqlite (default: $XDG_DATA_HOME/atende-server or ~/.local/share/atende-server).")
        var dataDir: String?
        @Option(help: "Simulated inbound calls a minute across the services (0: none).") var traffic: Double = 0
        @Option(name: .customLong("seat-grace"), help: "Seconds a disconnected agent keeps their seat before being logged out.")
        var seatGrace: Double = 120
        @Option(name: .customLong("max-login-attempts"), help: "Wrong passwords in a row before an agent is locked out.")
        var maxLoginAttempts = 5
        @Option(name: .customLong("token-lifetime"), help: "Seconds a login's token is good for.") var tokenLifetime: Double = 12 * 3600
        @Option(name: .customLong("log-level"), help: "Log level on standard error: trace, debug, info (default), notice, warning, error.")
        var logLevel = "info"

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
            guard traffic >= 0, traffic <= 12_000 else { throw ValidationError("--traffic must be 0 to 12000 calls a minute") }
            guard seatGrace >= 0, seatGrace <= 86_400 else { throw ValidationError("--seat-grace must be 0 to 86400 seconds") }
            guard (1...100).contains(maxLoginAttempts) else { throw ValidationError("--max-login-attempts must be 1 to 100") }
            guard tokenLifetime >= 1, tokenLifetime <= 30 * 86_400 else { throw ValidationError("--token-lifetime must be 1 s to 30 days") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
            }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let env = ProcessInfo.processInfo.environment
            let folder = URL(fileURLWithPath: dataDir ?? (
                env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/atende-server" }
                ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/atende-server"))
            let logger = Logger(label: "atende.server")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let registry = try ConfigFiles.registry(DefaultFiles.registry)
                let server = try CallCenterServer(
                    ServerConfiguration(
                        host: host, port: port, dataDir: folder, seedRegistry: registry, traffic: traffic, tokenLifetime: tokenLifetime,
                        maxLoginAttempts: maxLoginAttempts, seatGrace: seatGrace),
                    logger: logger)
                let host = host
                try await server.run { port in
                    FileHandle.standardOutput.write(Data("Atende server listening on \(host):\(port) (data in \(folder.path))\n".utf8))
                }
                FileHandle.standardOutput.write(Data("Atende server stopped.\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("error: the server cannot start: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
