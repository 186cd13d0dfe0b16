import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeRemote
import Foundation

extension Atende.Admin {
    /// `atende admin sim …`: the telephone network against the running server (admins), with the
    /// names of the standalone REPL's `sim` family: `incoming`, `ring`, `answer`, `hangup`,
    /// `abandon`, `traffic`. A refused act is one line on standard error, exit 1, nothing changed.
    struct Sim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the server: play the telephone network (admins).",
            subcommands: [Incoming.self, Ring.self, Answer.self, Hangup.self, Abandon.self, Traffic.self])

        /// `atende admin sim incoming PHONE SERVICE` (also `call`): a customer calls a service.
        struct Incoming: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A customer at PHONE calls SERVICE (name or number); the same as `atende admin call`.", aliases: ["call"])
            @OptionGroup var server: ServerOptions
            @Argument(help: "The caller's phone.") var phone: String
            @Argument(help: "The service called, by name or number.") var service: String

            func run() async throws {
                try await server.network("sim incoming", .incoming(phone: phone, service: service)) { r in
                    .simIncoming(phone: phone, service: service, through: r.through)
                }
            }
        }

        /// `atende admin sim ring PHONE EXTENSION` (also `direct`): a customer calls an extension directly.
        struct Ring: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A customer at PHONE calls EXTENSION directly (no queue).", aliases: ["direct"])
            @OptionGroup var server: ServerOptions
            @Argument(help: "The caller's phone.") var phone: String
            @Argument(help: "The extension called.") var `extension`: String

            func run() async throws {
                guard isExtension(`extension`) else { throw server.refuse(.extensionDigits, status: 2) }
                try await server.network("sim ring", .ring(phone: phone, extension: `extension`)) { r in
                    .simRing(phone: phone, extension: `extension`, through: r.through)
                }
            }
        }

        /// `atende admin sim answer EXTENSION`: the party the agent at EXTENSION is calling answers.
        struct Answer: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The party the agent at EXTENSION is calling answers.")
            @OptionGroup var server: ServerOptions
            @Argument(help: "The calling agent's extension.") var `extension`: String

            func run() async throws {
                guard isExtension(`extension`) else { throw server.refuse(.extensionDigits, status: 2) }
                try await server.network("sim answer", .answer(extension: `extension`)) { r in
                    .simAnswer(extension: `extension`, through: r.through)
                }
            }
        }

        /// `atende admin sim hangup CALL|EXTENSION`: the customer of a call hangs up.
        struct Hangup: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The customer of a call hangs up: the call's id, or the extension that has it.")
            @OptionGroup var server: ServerOptions
            @Argument(help: "The call's id, or the extension of the agent on it.") var target: String

            func run() async throws {
                guard UUID(uuidString: target) != nil || isExtension(target) else { throw server.refuse(.simNoSuchCall(target), status: 2) }
                try await server.network("sim hangup", .hangup(callOrExtension: target), about: target) { r in
                    .simHangup(extension: r.extension ?? target, through: r.through)
                }
            }
        }

        /// `atende admin sim abandon [SERVICE|GROUP|oldest]`: the caller waiting longest hangs up (a loss).
        struct Abandon: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The caller waiting longest in SERVICE's queue (name, number or group; `oldest` or none: any queue) hangs up: a loss.")
            @OptionGroup var server: ServerOptions
            @Argument(help: "The service (name or number) or group whose queue; `oldest` or none for any.") var queue: String?

            func run() async throws {
                let queue = self.queue.flatMap { $0.lowercased() == "oldest" || $0.isEmpty ? nil : $0 }
                try await server.network("sim abandon", .abandon(queue: queue), about: queue) { r in
                    .simAbandon(queue: r.queue ?? "-", through: r.through)
                }
            }
        }

        /// `atende admin sim traffic RATE`: the server's simulated offered traffic, live (0 stops it).
        struct Traffic: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Simulated inbound calls a minute across the services, from now (0 to 120; 0 stops them).")
            @OptionGroup var server: ServerOptions
            @Argument(help: "Calls a minute, 0 to 120.") var rate: String

            func run() async throws {
                guard let value = Double(rate.replacingOccurrences(of: ",", with: ".")), value.isFinite, value >= 0,
                    value <= NetworkAct.maximumTraffic
                else { throw server.refuse(.simTrafficRange(given: rate), status: 2) }
                try await server.network("sim traffic", .traffic(callsPerMinute: value)) { _ in .simTraffic(rate: rate) }
            }
        }
    }
}

extension ServerOptions {
    /// Logs in, has the server carry out `act`, says `done` of its receipt, logs out. A refusal
    /// names what the act was about (`target`: the queue, the call or extension).
    func network(
        _ command: String, _ act: NetworkAct, about target: String? = nil, done: (NetworkActReceipt) -> AdminMessage
    ) async throws {
        try await session(command, about: target) { client, token in
            print(done(try await client.network(act, token: token)))
        }
    }
}
