import AtendeIntegration
import AtendeCore
import AtendeSwitch
import AtendeStore
import AtendeWorkstation
import Foundation

extension REPL {
    /// Runs a parsed command on the workstation and describes the result.
    func run(_ c: ParsedCommand) throws -> [Output] {
        if let outputs = try runCall(c) { return outputs }
        switch c.id {
        case .help: return help(c.arguments.first)
        case .login: return try login(c.arguments[0], c.arguments[1])
        case .logout:
            let (s, events) = try workstation.logout(force: c.flag("force"))
            return events.map(eventOutput) + [.message(catalogue.text(.loggedOut(agent: s.agent.nickname)), nil)]
        case .exit:
            var outputs: [Output] = []
            if workstation.session != nil {
                let (s, events) = try workstation.logout(force: c.flag("force"))
                outputs += events.map(eventOutput) + [.message(catalogue.text(.loggedOut(agent: s.agent.nickname)), nil)]
            }
            leaving = true
            if input.isInteractive { outputs.append(.message(catalogue.text(.goodbye), nil)) }
            return outputs
        case .passwd:
            let current = try secret(.currentPasswordPrompt)
            let new = try secret(.newPasswordPrompt)
            let confirmation = try secret(.confirmPasswordPrompt)
            try workstation.changePassword(current: current, new: new, confirmation: confirmation)
            return [.message(catalogue.text(.passwordChanged), nil)]
        case .status: return [try statusOutput()]
        case .notes: return [notesTable(try workstation.notes())]
        case .noteAdd:
            let n = try workstation.addNote(c.arguments[0])
            return [.message(catalogue.text(.noteAdded(n.number)), noteItem(n))]
        case .noteEdit:
            let n = try workstation.editNote(try number(c, 0), c.arguments[1])
            return [.message(catalogue.text(.noteEdited(n.number)), noteItem(n))]
        case .noteRemove:
            let n = try workstation.removeNote(try number(c, 0))
            return [.message(catalogue.text(.noteRemoved(n.number)), noteItem(n))]
        case .contacts:
            guard let text = c.arguments.first else { return [contactsTable([])] }
            return [contactsTable(try workstation.findContacts(text))]
        case .contactAdd:
            var draft = contactDraft(c)
            draft.name = c.arguments.first ?? draft.name ?? ask("name")
            let contact = try workstation.addContact(draft)
            return [.message(catalogue.text(.contactAdded(contact.number, name: contact.name)), contactItem(contact))]
        case .contactShow:
            return [contactDetail(try workstation.contact(number: try number(c, 0)))]
        case .contactEdit:
            let contact = try workstation.editContact(try number(c, 0), contactDraft(c))
            return [.message(catalogue.text(.contactEdited(contact.number)), contactItem(contact))]
        case .agenda:
            let view: AgendaView
            if let date = c.arguments.first {
                view = .day(date)
            } else {
                view = c.flag("pending") || c.flag("done") ? .everything : .today
            }
            return [agendaTable(try workstation.agenda(view, filter: agendaFilter(c)))]
        case .agendaDay: return [agendaTable(try workstation.agenda(.day(c.arguments[0]), filter: agendaFilter(c)))]
        case .agendaWeek: return [agendaTable(try workstation.agenda(.week, filter: agendaFilter(c)))]
        case .agendaMonth: return [agendaTable(try workstation.agenda(.month, filter: agendaFilter(c)))]
        case .agendaNew:
            var draft = agendaDraft(c)
            draft.name = c.arguments.first ?? draft.name ?? ask("name")
            if draft.start == nil { draft.start = ask("start") }
            if draft.end == nil && draft.allDay != true { draft.end = ask("end") }
            let e = try workstation.newAgendaEvent(draft)
            return [.message(catalogue.text(.agendaAdded(e.number)), agendaItem(e))]
        case .agendaEdit:
            let e = try workstation.editAgendaEvent(try number(c, 0), agendaDraft(c))
            return [.message(catalogue.text(.agendaEdited(e.number)), agendaItem(e))]
        case .agendaDone:
            let e = try workstation.setAgendaEvent(try number(c, 0), done: true)
            return [.message(catalogue.text(.agendaDone(e.number)), agendaItem(e))]
        case .agendaReopen:
            let e = try workstation.setAgendaEvent(try number(c, 0), done: false)
            return [.message(catalogue.text(.agendaReopened(e.number)), agendaItem(e))]
        case .config:
            guard let key = c.arguments.first else { return [configTable(try workstation.configuration())] }
            guard c.arguments.count > 1 else {
                guard let k = ConfigKey.named(key) else { throw AtendeError.unknownConfigKey(key) }
                return [configTable(try workstation.configuration(), only: k)]
            }
            let (k, value) = try workstation.setConfiguration(key, c.arguments[1])
            if k == .transfer { transferOverride = nil }
            if k == .transfer || k == .transferHost || k == .extension { refreshScreenTransfer() }
            let shown = k.kind == .secret ? "********" : value
            return [.message(catalogue.text(.configSet(key: k.name, value: shown)), ResultItem(kind: "config", fields: [("key", .string(k.name)), ("value", .string(shown))]))]
        case .calls: return [try callsTable(c)]
        case .attendance:
            let (a, history) = try workstation.attendance(try number(c, 0))
            return [attendanceDetail(a, history)]
        case .losses: return [lossesTable(try workstation.losses(try lossPeriod(c.arguments.first)))]
        case .search:
            let text = c.arguments[0]
            return [searchTable(try workstation.search(text), text: text)]
        case .stats:
            let (span, summary, paused) = try workstation.stats(day: c.arguments.first)
            return [statsOutput(span, summary, pauseSeconds: paused)]
        default:
            // Call control and simulation: answered by `runCall` above.
            return []
        }
    }

    func number(_ c: ParsedCommand, _ i: Int) throws -> Int {
        guard let n = Int(c.arguments[i]), n > 0 else {
            let spec = CommandSpec.spec(c.id)
            throw CommandError.invalidNumber(command: spec.name, argument: spec.arguments[i].name, value: c.arguments[i])
        }
        return n
    }

    func login(_ user: String, _ group: String) throws -> [Output] {
        if let s = workstation.session { throw AtendeError.alreadyLoggedIn(agent: s.agent.nickname) }
        let step: LoginStep
        do {
            step = try workstation.loginStep(nickname: user, group: group)
        } catch {
            // Still take the password line, so it is never read as a command.
            _ = input.isInteractive ? nil : input.readSecret(prompt: "")
            throw error
        }
        var outputs: [Output] = []
        let outcome: LoginOutcome
        switch step {
        case .password:
            outcome = try workstation.login(nickname: user, group: group, password: try secret(.passwordPrompt))
        case .createPassword:
            let first = Output.message(catalogue.text(.firstLogin(agent: user)), nil)
            if input.isInteractive { for l in renderer.render(first) { out(l) } } else { outputs.append(first) }
            let new = try secret(.newPasswordPrompt)
            let confirmation = try secret(.confirmPasswordPrompt)
            outcome = try workstation.firstLogin(nickname: user, group: group, password: new, confirmation: confirmation)
            outputs.append(.message(catalogue.text(.passwordCreated), nil))
        }
        if outcome.appliedDefaultConfiguration {
            if input.isInteractive {
                for l in outputs.flatMap(renderer.render) { out(l) }
                outputs = []
                try askConfiguration()
            } else {
                outputs.append(.message(catalogue.text(.defaultConfigurationApplied), nil))
            }
        }
        let s = outcome.session
        outputs.append(
            .message(
                catalogue.text(.loggedIn(name: s.agent.name, group: s.group.title)),
                ResultItem(kind: "session", fields: [
                    ("agent", .string(s.agent.nickname)), ("group", .string(s.group.name)),
                    ("extension", .string(s.agent.extension)), ("role", .string(s.agent.role.rawValue)),
                ])))
        refreshScreenTransfer()
        return outputs + outcome.events.map(eventOutput)
    }

    /// The first-login configuration on a terminal (LG-2, §5.3): each main setting with its
    /// default; Enter keeps it, a bad value is refused and asked again.
    func askConfiguration() throws {
        out(catalogue.text(.configurationPrompt))
        let keys: [ConfigKey] = [.serverHost, .serverPort, .extension, .externalLine, .areaCode, .carrier, .transfer]
        for key in keys {
            while true {
                let current = try workstation.configuration()[key]
                guard let answer = input.readAnswer(prompt: "\(key.name) (\(key.alias)) [\(current)]: ")?.trimmingSpaces else {
                    return
                }
                if answer.isEmpty { break }
                do {
                    try workstation.setConfiguration(key.name, answer)
                    break
                } catch {
                    report(error)
                }
            }
        }
    }

    func help(_ topic: String?) -> [Output] {
        if let topic {
            guard let (spec, _) = CommandParser.lookup(topic.split(separator: " ").map(String.init)) else {
                return [.message(catalogue.error(CommandError.unknownCommand(topic, suggestion: CommandParser.suggestion(for: topic))), nil)]
            }
            var lines = ["\(catalogue.text(.helpUsage)): \(spec.usage)", "  " + catalogue.summary(spec.id)]
            if !spec.aliases.isEmpty { lines.append("  \(catalogue.text(.helpAliases)): " + spec.aliases.joined(separator: ", ")) }
            if let s = spec.shortcut { lines.append("  \(catalogue.text(.helpShortcut)): \(s)") }
            return [.text(lines, commandItem(spec))]
        }
        let rows = CommandSpec.all.map { spec in
            Table.Row(item: commandItem(spec), cells: [spec.usage, catalogue.summary(spec.id)])
        }
        return [.text([catalogue.text(.helpHeader)], ResultItem(kind: "help", fields: [])),
                .table(Table(headers: ["", ""], rows: rows, footer: catalogue.text(.helpFooter), empty: ""))]
    }

    func commandItem(_ spec: CommandSpec) -> ResultItem {
        ResultItem(kind: "command", fields: [
            ("name", .string(spec.name)), ("usage", .string(spec.usage)), ("summary", .string(catalogue.summary(spec.id))),
            ("aliases", .array(spec.aliases.map(JSONValue.string))), ("shortcut", .optional(spec.shortcut)),
        ])
    }

    func statusOutput() throws -> Output {
        let s = try workstation.status()
        var lines = [
            "\(s.group.uppercased()) - \(s.agentName.uppercased())  \(format.date(s.now)) \(format.time(s.now, seconds: true))  \(catalogue.header("extension")) \(s.extensionNumber)"
        ]
        var fields: [(String, JSONValue)] = [
            ("agent", .string(s.agent)), ("group", .string(s.group)), ("extension", .string(s.extensionNumber)),
            ("now", .string(format.iso(s.now))),
        ]
        if let q = workstation.queueFigures(), let line = workstation.line {
            // SL-1 queue, SL-2 pause, SL-3 extension state, SL-4 current call.
            let longest = q.oldestQueuedAt.map { s.now.timeIntervalSince($0) } ?? 0
            let callbacks = s.losses ?? 0
            lines.append(catalogue.text(.statusQueue(waiting: q.waiting, longest: format.minutes(longest))) + "  " + catalogue.pick("Retorno", "Call-backs") + " \(callbacks)")
            let pauseSeconds = line.pausedSince.map { Int(s.now.timeIntervalSince($0)) } ?? 0
            lines.append(line.pause.map { catalogue.text(.statusPause($0)) + " " + format.duration(pauseSeconds) } ?? catalogue.text(.statusNoPause))
            lines.append(catalogue.state(line.state) + "  " + format.duration(Int(s.now.timeIntervalSince(line.stateSince))))
            let calls = workstation.currentCalls
            if let call = calls.current ?? calls.held {
                let phone = call.phone.map(displayPhone) ?? call.from ?? ""
                let contact = call.phone.flatMap { try? workstation.store.contacts.contact(phone: $0)?.name } ?? ""
                lines.append(catalogue.text(.statusCall(call: "\(call.id)", service: call.service ?? "", phone: phone, contact: contact)))
                fields += [("call", .object(callFields(call)))]
            }
            fields += [
                ("waiting", .int(q.waiting)), ("longest_wait_seconds", .int(Int(longest))), ("callbacks", .int(callbacks)),
                ("pause", .optional(line.pause)), ("pause_seconds", .int(pauseSeconds)), ("state", .string(line.state.rawValue)),
                ("state_seconds", .int(Int(s.now.timeIntervalSince(line.stateSince)))),
                ("pending_qualification", workstation.pendingQualification.map { .int($0.number) } ?? .null),
            ]
        }
        var badges: [String] = []
        badges.append(catalogue.text(.statusAgenda(s.agendaDue)))
        if let l = s.losses { badges.append(catalogue.text(.statusLosses(l))) }
        badges.append(catalogue.text(.statusChat(s.unreadChat)))
        // Standalone there is no server to sync with: the outbox just waits for one.
        badges.append(s.standalone ? catalogue.text(.statusStandalone) : catalogue.text(.statusSync(s.pendingSync)))
        lines.append(badges.joined(separator: " · "))
        if let st = screenTransferLine() { lines.append(st) }
        if let state = screenTransfer?.state {
            fields += [("screen_transfer", .string(state.mode.description)), ("screen_transfer_port", state.port.map(JSONValue.int) ?? .null),
                       ("crm_clients", .array(state.clients.map(JSONValue.string)))]
        }
        fields += [
            ("agenda_due", .int(s.agendaDue)), ("losses", s.losses.map(JSONValue.int) ?? .null), ("unread_chat", .int(s.unreadChat)),
            ("pending_sync", .int(s.pendingSync)), ("standalone", .bool(s.standalone)),
        ]
        return .text(lines, ResultItem(kind: "status", fields: fields))
    }
}
