import AtendeCore
import AtendeWorkstation
import Foundation

extension REPL {
    /// Runs the call-control and simulator commands; nil for any other command.
    func runCall(_ c: ParsedCommand) async throws -> [Output]? {
        switch c.id {
        case .answer: _ = try await workstation.answer()
        case .hangup: _ = try await workstation.hangup()
        case .dial:
            _ = try await workstation.dial(typed: c.arguments[0], carrier: c.option("carrier"))
        case .call: _ = try await workstation.call(c.arguments[0])
        case .redial: _ = try await workstation.redial()
        case .agendaDial: _ = try await workstation.dialAgendaEvent(try number(c, 0))
        case .hold: _ = try await workstation.hold()
        case .transfer: _ = try await workstation.transfer(c.arguments.first)
        case .consult: _ = try await workstation.consult(c.arguments[0])
        case .returnCall: _ = try await workstation.returnToHeld()
        case .conference: _ = try await workstation.conference()
        case .record: _ = try await workstation.record(reason: c.arguments.first, comment: c.arguments.count > 1 ? c.arguments[1] : nil)
        case .support: _ = try await workstation.toggleSupport()
        case .pause: _ = try await workstation.pause(c.arguments.first)
        case .unpause: _ = try await workstation.unpause()
        case .capture: _ = try await workstation.capture()
        case .barge: _ = try await workstation.barge(c.arguments[0])
        case .qualify:
            var words = c.arguments[0].split(separator: " ").map(String.init)
            var number: Int?
            if words.count > 1, let n = Int(words[0]) {
                number = n
                words.removeFirst()
            }
            let code = words.removeFirst()
            _ = try await workstation.qualify(number: number, code: code, comment: words.isEmpty ? nil : words.joined(separator: " "))
        case .sound:
            guard let value = c.arguments.first else {
                return [configTable(try await workstation.configuration(), only: .soundEnabled)]
            }
            let (k, v) = try await workstation.setConfiguration(ConfigKey.soundEnabled.name, value)
            return [.message(catalogue.text(.configSet(key: k.name, value: v)), nil)]
        case .extensions: return [await extensionsTable(c.arguments.first)]
        case .simIncoming: _ = try await sim().incoming(phone: c.arguments[0], service: c.arguments[1])
        case .simRing: _ = try await sim().ring(phone: c.arguments[0])
        case .simAnswer: _ = try await sim().answer()
        case .simHangup: _ = try await sim().hangup()
        case .simAbandon: _ = try await sim().abandon()
        case .simAgent: _ = try await sim().colleague(c.arguments[0], try colleagueAction(c))
        case .simAdvance:
            guard let seconds = Int(c.arguments[0]), seconds > 0 else {
                throw CommandError.invalidNumber(command: "sim advance", argument: "SECONDS", value: c.arguments[0])
            }
            _ = try await sim().advance(seconds: seconds)
        case .simTraffic:
            guard let rate = Double(c.arguments[0]), rate >= 0, rate <= CallCenterSimulation.maximumTraffic else {
                throw CommandError.invalidValue(
                    command: "sim traffic", argument: "RATE", value: c.arguments[0],
                    expected: "0 to \(Int(CallCenterSimulation.maximumTraffic)) calls a minute")
            }
            try await sim().traffic(callsPerMinute: rate)
            return [.message(catalogue.text(.trafficSet(rate: c.arguments[0])), nil)]
        default:
            return nil
        }
        // What the command caused is printed as the workstation publishes it (the REPL's subscription).
        return []
    }

    /// The simulated outside world, when this workstation has one (standalone).
    func sim() throws -> CallCenterSimulation {
        guard let simulation else { throw AtendeError.noCallEngine }
        return simulation
    }

    func colleagueAction(_ c: ParsedCommand) throws -> ColleagueAction {
        switch c.arguments[1].lowercased() {
        case "login": return .login
        case "logout": return .logout
        case "pause", "pausa": return .pause
        case "free", "livre": return .free
        case "answer", "atender": return .answer
        case "hangup", "desligar": return .hangup
        case "call", "ramal", "ligar":
            guard c.arguments.count > 2 else { throw CommandError.missingArgument(command: "sim agent", argument: "EXT") }
            return .call(c.arguments[2])
        default:
            throw CommandError.invalidValue(
                command: "sim agent", argument: "ACTION", value: c.arguments[1],
                expected: "login, logout, pause, free, answer, hangup, call EXT")
        }
    }

    func extensionsTable(_ text: String?) async -> Output {
        let lines = await workstation.floor
        let registry = workstation.registry
        var rows: [Table.Row] = []
        for line in lines {
            let agent = registry.agent(line.nickname)
            let name = agent?.name ?? line.nickname
            if let text, !text.isEmpty,
                !(name.localizedCaseInsensitiveContains(text) || line.extension.contains(text) || (agent?.sector ?? "").localizedCaseInsensitiveContains(text))
            {
                continue
            }
            // The customer's phone, or for an internal call the extension at the other end.
            let call = await workstation.call(line.currentCall)
            let phone = call?.phone ?? (call?.from == line.extension ? call?.to : call?.from) ?? ""
            let item = ResultItem(kind: "extension", fields: [
                ("agent", .string(line.nickname)), ("name", .string(name)), ("extension", .string(line.extension)),
                ("state", .string(line.state.rawValue)), ("pause", .optional(line.pause)), ("phone", .string(phone)),
                ("sector", .optional(agent?.sector)), ("help", .bool(line.helpRequested)),
            ])
            rows.append(Table.Row(item: item, cells: [
                name, line.extension, catalogue.state(line.state), phone.isEmpty ? "" : displayPhone(phone),
                line.pause ?? "", agent?.sector ?? "", line.helpRequested ? catalogue.word("help") : "",
            ]))
        }
        return .table(Table(
            headers: ["name", "extension", "state", "phone", "pause", "sector", ""].map(catalogue.header), rows: rows,
            empty: catalogue.text(.noExtensions)))
    }
}
