import ArgumentParser
import AtendeCore
import AtendeDefaults
import AtendeREPL
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
        @Option(name: .customLong("session-buffer"), help: "Messages a session may have waiting for its socket; beyond, it is sent goodbye and nothing more.")
        var sessionBuffer = 10_000
        @Option(name: .customLong("max-login-attempts"), help: "Wrong passwords in a row before an agent is locked out.")
        var maxLoginAttempts = 5
        @Option(name: .customLong("token-lifetime"), help: "Seconds a login's token is good for.") var tokenLifetime: Double = 12 * 3600
        @Option(name: .customLong("log-level"), help: "Log level on standard error: trace, debug, info (default), notice, warning, error.")
        var logLevel = "info"
        @Option(name: .customLong("tls-cert"), help: "HTTPS and WSS on the same port: the server's certificate chain, PEM (with --tls-key).")
        var tlsCert: String?
        @Option(name: .customLong("tls-key"), help: "The certificate's private key, PEM (with --tls-cert). Never logged.")
        var tlsKey: String?
        @Option(help: "Language of messages: pt or en (default: from LANG).") var lang: String?

        /// Each option's range, checked before anything starts: the first one out is one line, exit 2.
        func checkOptions(_ c: Catalogue) throws {
            let checks: [(Bool, AdminMessage)] = [
                ((0...65535).contains(port), .serverOptionRange(option: "--port", from: 0, to: 65535, unit: .none)),
                (traffic >= 0 && traffic <= 12_000, .serverOptionRange(option: "--traffic", from: 0, to: 12_000, unit: .callsPerMinute)),
                (seatGrace >= 0 && seatGrace <= 86_400, .serverOptionRange(option: "--seat-grace", from: 0, to: 86_400, unit: .seconds)),
                ((100...1_000_000).contains(sessionBuffer),
                 .serverOptionRange(option: "--session-buffer", from: 100, to: 1_000_000, unit: .none)),
                ((1...100).contains(maxLoginAttempts), .serverOptionRange(option: "--max-login-attempts", from: 1, to: 100, unit: .none)),
                (tokenLifetime >= 1 && tokenLifetime <= 30 * 86_400,
                 .serverOptionRange(option: "--token-lifetime", from: 1, to: 30 * 86_400, unit: .seconds)),
                (Logger.Level(rawValue: logLevel) != nil, .serverLogLevel(given: logLevel)),
            ]
            for (ok, refusal) in checks where !ok {
                FileHandle.standardError.write(Data((c.error(refusal) + "\n").utf8))
                throw ExitCode(2)
            }
        }

        /// The TLS pair of `--tls-cert` and `--tls-key`, read and checked; nil without them.
        func checkedTLS(_ c: Catalogue) throws -> ServerTLS? {
            guard tlsCert != nil || tlsKey != nil else { return nil }
            do {
                guard let tlsCert, let tlsKey else { throw AtendeError.tlsPairIncomplete }
                return try ServerTLS.load(certificate: tlsCert, key: tlsKey)
            } catch let e as AtendeError {
                FileHandle.standardError.write(Data((c.error(e) + "\n").utf8))
                throw ExitCode(2)
            }
        }

        func run() async throws {
            guard let language = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) else {
                throw fail(Catalogue(language: .en), ConfigFileError(file: "--lang", location: lang ?? "", reason: .notAChoice(["pt", "en"])))
            }
            let c = Catalogue(language: language)
            try checkOptions(c)
            // TLS is checked before anything starts: a refused pair leaves no folder, no store, no port.
            let tls = try checkedTLS(c)
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
            let server: CallCenterServer
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let registry = try ConfigFiles.registry(DefaultFiles.registry)
                server = try CallCenterServer(
                    ServerConfiguration(
                        host: host, port: port, dataDir: folder, seedRegistry: registry, traffic: traffic, tokenLifetime: tokenLifetime,
                        maxLoginAttempts: maxLoginAttempts, seatGrace: seatGrace, tls: tls, sessionBuffer: sessionBuffer),
                    logger: logger)
            } catch {
                FileHandle.standardError.write(Data((c.error(.serverStoreUnusable(path: folder.path)) + "\n").utf8))
                throw ExitCode(2)
            }
            let shown = (tls != nil ? "https://" : "") + host
            do {
                try await server.run { port in
                    FileHandle.standardOutput.write(Data((c.text(.serverListening(address: "\(shown):\(port)", dataDir: folder.path)) + "\n").utf8))
                }
                FileHandle.standardOutput.write(Data((c.text(.serverStopped) + "\n").utf8))
            } catch {
                FileHandle.standardError.write(Data((c.error(.serverCannotListen(address: "\(host):\(port)")) + "\n").utf8))
                throw ExitCode(2)
            }
        }
    }
}
