import ArgumentParser
import AtendeCore
import AtendeRemote
import Foundation

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
