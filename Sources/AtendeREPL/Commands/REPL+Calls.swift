import AtendeCore
import AtendeWorkstation
import Foundation

extension REPL {
    /// Runs the call-control and simulator commands; nil for any other command.
    func runCall(_ c: ParsedCommand) async throws -> [Output]? {
        let events: [WorkstationEvent]
        switch c.id {
        case .answer: events = try await workstation.answer()
        case .hangup: events = try await workstation.hangup()
        case .dial:
            let target = c.arguments[0]
            if let n = Int(target), target.count <= 6 {
                events = try await workstation.callBack(attendance: n)
            } else {
                events = try await workstation.dial(target, carrier: c.option("carrier"))
            }
        case .call: events = try await workstation.call(c.arguments[0])
        case .redial: events = try await workstation.redial()
        case .agendaDial: events = try await workstation.dialAgendaEvent(try number(c, 0))
        case .hold: events = try await workstation.hold()
        case .transfer: events = try await workstation.transfer(c.arguments.first)
        case .consult: events = try await workstation.consult(c.arguments[0])
        case .returnCall: events = try await workstation.returnToHeld()
        case .conference: events = try await workstation.conference()
        case .record: events = try await workstation.record(reason: c.arguments.first, comment: c.arguments.count > 1 ? c.arguments[1] : nil)
        case .support: events = try await workstation.toggleSupport()
        case .pause: events = try await workstation.pause(c.arguments.first)
        case .unpause: events = try await workstation.unpause()
        case .capture: events = try await workstation.capture()
        case .barge: events = try await workstation.barge(c.arguments[0])
        case .qualify:
            var words = c.arguments[0].split(separator: " ").map(String.init)
            var number: Int?
            if words.count > 1, let n = Int(words[0]) {
                number = n
                words.removeFirst()
            }
            let code = words.removeFirst()
            events = try await workstation.qualify(number: number, code: code, comment: words.isEmpty ? nil : words.joined(separator: " "))
        case .sound:
            guard let value = c.arguments.first else {
                return [configTable(try await workstation.configuration(), only: .soundEnabled)]
            }
            let (k, v) = try await workstation.setConfiguration(ConfigKey.soundEnabled.name, value)
            return [.message(catalogue.text(.configSet(key: k.name, value: v)), nil)]
        case .extensions: return [await extensionsTable(c.arguments.first)]
        case .simIncoming: events = try await sim().incoming(phone: c.arguments[0], service: c.arguments[1])
        case .simRing: events = try await sim().ring(phone: c.arguments[0])
        case .simAnswer: events = try await sim().answer()
        case .simHangup: events = try await sim().hangup()
        case .simAbandon: events = try await sim().abandon()
        case .simAgent: events = try await sim().colleague(c.arguments[0], try colleagueAction(c))
        case .simAdvance:
            guard let seconds = Int(c.arguments[0]), seconds > 0 else {
                throw CommandError.invalidNumber(command: "sim advance", argument: "SECONDS", value: c.arguments[0])
            }
            events = try await sim().advance(seconds: seconds)
        case .simTraffic:
            guard let rate = Double(c.arguments[0]), rate >= 0 else {
                throw CommandError.invalidNumber(command: "sim traffic", argument: "RATE", value: c.arguments[0])
            }
            try await sim().traffic(callsPerMinute: rate)
            return [.message(catalogue.text(.trafficSet(rate: c.arguments[0])), nil)]
        default:
            return nil
        }
        // The events are printed as the workstation publishes them (the REPL's subscription).
        _ = events
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
