import AtendeIntegration
import AtendeCore
import AtendeWorkstation
import Foundation

extension REPL {
    /// Runs a parsed command on the workstation and describes the result.
    func run(_ c: ParsedCommand) async throws -> [Output] {
        if let outputs = try await runCall(c) { return outputs }
        switch c.id {
        case .help: return help(c.arguments.first)
        case .login: return try await login(c.arguments[0], c.arguments[1])
        case .logout:
            _ = try await workstation.logout(force: c.flag("force"))
            return []
        case .exit:
            var outputs: [Output] = []
            if await workstation.session != nil {
                _ = try await workstation.logout(force: c.flag("force"))
            }
            leaving = true
            if input.isInteractive { outputs.append(.message(catalogue.text(.goodbye), nil)) }
            return outputs
        case .passwd:
            let current = try await secret(.currentPasswordPrompt)
            let new = try await secret(.newPasswordPrompt)
            let confirmation = try await secret(.confirmPasswordPrompt)
            try await workstation.changePassword(current: current, new: new, confirmation: confirmation)
            return [.message(catalogue.text(.passwordChanged), nil)]
        case .status: return [try await statusOutput()]
        case .sync: return syncOutput(try await workstation.syncNow())
        case .syncConflicts: return [conflictsTable(try await workstation.syncConflicts())]
        case .syncRestore:
            let n = try number(c, 0)
            try await workstation.restoreConflict(n)
            return [.message(catalogue.text(.conflictRestored(n)), ResultItem(kind: "conflict-restored", fields: [("number", .int(n))]))]
        case .chat:
            // `chat AGENT[,AGENT…] MESSAGE` sends; `chat [AGENT]` shows the conversation.
            guard c.arguments.count > 1, let body = c.arguments.last, !body.isEmpty else {
                return [chatTable(try await workstation.chatConversation(with: c.arguments.first))]
            }
            let names = c.arguments[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let m = try await workstation.sendChat(to: names, body)
            return [.message(catalogue.text(.chatSent(to: m.to)), chatItem(m))]
        case .notes: return [notesTable(try await workstation.notes())]
        case .noteAdd:
            let n = try await workstation.addNote(c.arguments[0])
            return [.message(catalogue.text(.noteAdded(n.number)), noteItem(n))]
        case .noteEdit:
            let n = try await workstation.editNote(try number(c, 0), c.arguments[1])
            return [.message(catalogue.text(.noteEdited(n.number)), noteItem(n))]
        case .noteRemove:
            let n = try await workstation.removeNote(try number(c, 0))
            return [.message(catalogue.text(.noteRemoved(n.number)), noteItem(n))]
        case .contacts:
            guard let text = c.arguments.first else { return [contactsTable([])] }
            return [contactsTable(try await workstation.findContacts(text))]
        case .contactAdd:
            var draft = contactDraft(c)
            draft.name = c.arguments.first ?? draft.name
            if draft.name == nil { draft.name = await ask("name") }
            let contact = try await workstation.addContact(draft)
            return [.message(catalogue.text(.contactAdded(contact.number, name: contact.name)), contactItem(contact))]
        case .contactShow:
            return [contactDetail(try await workstation.contact(number: try number(c, 0)))]
        case .contactEdit:
            let contact = try await workstation.editContact(try number(c, 0), contactDraft(c))
            return [.message(catalogue.text(.contactEdited(contact.number)), contactItem(contact))]
        case .agenda:
            let view: AgendaView
            if let date = c.arguments.first {
                view = .day(date)
            } else {
                view = c.flag("pending") || c.flag("done") ? .everything : .today
            }
            return [agendaTable(try await workstation.agenda(view, filter: agendaFilter(c)))]
        case .agendaDay: return [agendaTable(try await workstation.agenda(.day(c.arguments[0]), filter: agendaFilter(c)))]
        case .agendaWeek: return [agendaTable(try await workstation.agenda(.week, filter: agendaFilter(c)))]
        case .agendaMonth: return [agendaTable(try await workstation.agenda(.month, filter: agendaFilter(c)))]
        case .agendaNew:
            var draft = agendaDraft(c)
            draft.name = c.arguments.first ?? draft.name
            if draft.name == nil { draft.name = await ask("name") }
            if draft.start == nil { draft.start = await ask("start") }
            if draft.end == nil && draft.allDay != true { draft.end = await ask("end") }
            let e = try await workstation.newAgendaEvent(draft)
            return [.message(catalogue.text(.agendaAdded(e.number)), agendaItem(e))]
        case .agendaEdit:
            let e = try await workstation.editAgendaEvent(try number(c, 0), agendaDraft(c))
            return [.message(catalogue.text(.agendaEdited(e.number)), agendaItem(e))]
        case .agendaDone:
            let e = try await workstation.setAgendaEvent(try number(c, 0), done: true)
            return [.message(catalogue.text(.agendaDone(e.number)), agendaItem(e))]
        case .agendaReopen:
            let e = try await workstation.setAgendaEvent(try number(c, 0), done: false)
            return [.message(catalogue.text(.agendaReopened(e.number)), agendaItem(e))]
        case .config:
            guard let key = c.arguments.first else { return [configTable(try await workstation.configuration())] }
            guard c.arguments.count > 1 else {
                guard let k = ConfigKey.named(key) else { throw AtendeError.unknownConfigKey(key) }
                return [configTable(try await workstation.configuration(), only: k)]
            }
            let (k, value): (ConfigKey, String)
            if let named = ConfigKey.named(key), named == .transfer || named == .transferHost, let screenTransfer {
                // The new screen transfer starts before the value is saved: one that cannot is not saved.
                let override = named == .transfer ? nil : transferOverride
                let ext = await workstation.session?.extension
                (k, value) = try await workstation.setConfiguration(key, c.arguments[1]) { config in
                    try screenTransfer.apply(Self.screenTransferMode(config, override: override), extension: ext ?? Self.configuredExtension(config))
                }
                if let config = try? await workstation.configuration() { warnIfOpen(Self.screenTransferMode(config, override: override)) }
            } else {
                (k, value) = try await workstation.setConfiguration(key, c.arguments[1])
            }
            if k == .transfer { transferOverride = nil }
            if k == .extension { await refreshScreenTransfer() }
            if k == .language, let language = Language(rawValue: value) { speak(language) }
            let shown = k.kind == .secret ? "********" : value
            var outputs: [Output] = [.message(catalogue.text(.configSet(key: k.name, value: shown)), ResultItem(kind: "config", fields: [("key", .string(k.name)), ("value", .string(shown))]))]
            if k == .extension, let session = await workstation.session, session.extension != (value.isEmpty ? session.agent.extension : value) {
                outputs.append(.message(catalogue.text(.extensionAtNextLogin(value.isEmpty ? session.agent.extension : value)), nil))
            }
            return outputs
        case .calls: return [try await callsTable(c)]
        case .attendance:
            let (a, history) = try await workstation.attendance(try number(c, 0))
            return [attendanceDetail(a, history)]
        case .losses: return [lossesTable(try await workstation.losses(try lossPeriod(c.arguments.first)))]
        case .search:
            let text = c.arguments[0]
            return [searchTable(try await workstation.search(text), text: text)]
        case .stats:
            let (span, summary, paused) = try await workstation.stats(day: c.arguments.first)
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

    func login(_ user: String, _ group: String) async throws -> [Output] {
        if let s = await workstation.session { throw AtendeError.alreadyLoggedIn(agent: s.agent.nickname) }
        // A refusal here has asked for no password: `execute` deals with the line that may follow.
        let step = try await workstation.loginStep(nickname: user, group: group)
        let outcome: LoginOutcome
        switch step {
        case .password:
            outcome = try await workstation.login(nickname: user, group: group, password: try await secret(.passwordPrompt))
        case .createPassword:
            let first = Output.message(catalogue.text(.firstLogin(agent: user)), nil)
            for l in renderer.render(first) { out(l) }
            let new = try await secret(.newPasswordPrompt)
            let confirmation = try await secret(.confirmPasswordPrompt)
            outcome = try await workstation.firstLogin(nickname: user, group: group, password: new, confirmation: confirmation)
        }
        // The welcome and what joining the switch caused come as the workstation's events.
        await printer.caughtUp(to: workstation.lastEvent)
        if outcome.appliedDefaultConfiguration && input.isInteractive { try await askConfiguration() }
        await refreshScreenTransfer()
        return []
    }

    /// The first-login configuration on a terminal (LG-2, §5.3): each main setting with its
    /// default; Enter keeps it, a bad value is refused and asked again.
    func askConfiguration() async throws {
        out(catalogue.text(.configurationPrompt))
        let keys: [ConfigKey] = [.serverHost, .serverPort, .extension, .externalLine, .areaCode, .carrier, .transfer]
        for key in keys {
            while true {
                let current = try await workstation.configuration()[key]
                guard let answer = await read(.answer("\(key.name) (\(key.alias)) [\(current)]: "))?.trimmingSpaces else {
                    return
                }
                if answer.isEmpty { break }
                do {
                    try await workstation.setConfiguration(key.name, answer)
                    break
                } catch {
                    report(error)
                }
            }
        }
    }

    /// From now on, messages in `language` (`config language`).
    func speak(_ language: Language) {
        catalogue = Catalogue(language: language)
        format = DisplayFormat(calendar: workstation.calendar, language: language)
        printer.speak(catalogue, format)
    }

    /// The width help fits in, whatever the terminal.
    static let helpWidth = 100

    func help(_ topic: String?) -> [Output] {
        var specs = CommandSpec.all
        if let topic {
            let words = topic.split(separator: " ").map(String.init)
            if let (spec, _) = CommandParser.lookup(words) {
                let usage = TerminalText.wrapped("\(catalogue.text(.helpUsage)): \(catalogue.placeholders(spec.usage))", width: Self.helpWidth)
                var lines = [usage[0]] + usage.dropFirst().map { "    " + $0 }
                lines += TerminalText.wrapped(catalogue.summary(spec.id), width: Self.helpWidth - 2).map { "  " + $0 }
                if !spec.aliases.isEmpty { lines.append("  \(catalogue.text(.helpAliases)): " + spec.aliases.joined(separator: ", ")) }
                if let s = spec.shortcut { lines.append("  \(catalogue.text(.helpShortcut)): \(s)") }
                return [.text(lines, commandItem(spec))]
            }
            // `help sim`, `help note`: the commands that start with that word.
            specs = CommandSpec.family(words.first ?? "")
            guard !specs.isEmpty else {
                return [.message(catalogue.error(CommandError.unknownCommand(topic, suggestion: CommandParser.suggestion(for: topic))), nil)]
            }
        }
        let rows = specs.map { spec in
            Table.Row(item: commandItem(spec), cells: [catalogue.placeholders(spec.shortUsage), catalogue.summary(spec.id)])
        }
        return [.text([catalogue.text(.helpHeader)], ResultItem(kind: "help", fields: [])),
                .table(Table(headers: ["", ""], rows: rows, footer: catalogue.text(.helpFooter), empty: "", width: Self.helpWidth))]
    }

    func commandItem(_ spec: CommandSpec) -> ResultItem {
        ResultItem(kind: "command", fields: [
            ("name", .string(spec.name)), ("usage", .string(spec.usage)), ("summary", .string(catalogue.summary(spec.id))),
            ("aliases", .array(spec.aliases.map(JSONValue.string))), ("shortcut", .optional(spec.shortcut)),
        ])
    }

    func syncOutput(_ r: SyncReport) -> [Output] {
        var lines: [String]
        switch r.place {
        case .standalone: lines = [catalogue.text(.syncStandalone(pending: r.pending))]
        case .offline: lines = [catalogue.text(.syncOffline(pending: r.pending))]
        case .online: lines = [catalogue.text(.syncSent(sent: r.sent, refused: r.refused, received: r.received, pending: r.pending))]
        }
        if r.pending > 0 || r.conflicts > 0 {
            lines.append(catalogue.text(.syncWaiting(lag: r.pending > 0 ? r.lag.map { format.duration($0) } : nil, conflicts: r.conflicts)))
        }
        if let why = r.heldBack { lines.append(catalogue.text(.syncHeldBack(why))) }
        if r.place != .standalone {
            lines.append(catalogue.text(.syncLast(r.lastSuccess.map { "\(format.date($0)) \(format.time($0, seconds: true))" })))
        }
        let place: String = switch r.place {
        case .standalone: "standalone"
        case .offline: "offline"
        case .online: "online"
        }
        var fields: [(String, JSONValue)] = [
            ("where", .string(place)), ("sent", .int(r.sent)), ("refused", .int(r.refused)), ("received", .int(r.received)),
            ("pending", .int(r.pending)), ("lag_seconds", r.lag.map(JSONValue.int) ?? .null), ("conflicts", .int(r.conflicts)),
        ]
        if let why = r.heldBack { fields.append(("held_back", .string(why))) }
        if let last = r.lastSuccess { fields.append(("last_success", .string(format.iso(last)))) }
        return [.message(lines[0], ResultItem(kind: "sync", fields: fields))] + lines.dropFirst().map { .message($0, nil) }
    }

    func statusOutput() async throws -> Output {
        let s = try await workstation.status()
        var lines = [
            "\(s.group.uppercased()) - \(s.agentName.uppercased())  \(format.date(s.now)) \(format.time(s.now, seconds: true))  \(catalogue.header("extension")) \(s.extensionNumber)"
        ]
        var fields: [(String, JSONValue)] = [
            ("agent", .string(s.agent)), ("group", .string(s.group)), ("extension", .string(s.extensionNumber)),
            ("now", .string(format.iso(s.now))),
        ]
        if let q = await workstation.queueFigures(), let line = await workstation.line {
            // SL-1 queue, SL-2 pause, SL-3 extension state, SL-4 current call.
            let longest = q.oldestQueuedAt.map { s.now.timeIntervalSince($0) } ?? 0
            let callbacks = s.losses ?? 0
            lines.append(catalogue.text(.statusQueue(waiting: q.waiting, longest: format.minutes(longest))) + "  " + catalogue.pick("Retorno", "Call-backs") + " \(callbacks)")
            let pauseSeconds = line.pausedSince.map { Int(s.now.timeIntervalSince($0)) } ?? 0
            lines.append(line.pause.map { catalogue.text(.statusPause($0)) + " " + format.duration(pauseSeconds) } ?? catalogue.text(.statusNoPause))
            let wrapUp = await workstation.wrapUpDeadline
            if line.state == .free, line.wrapUp || wrapUp != nil {
                // In wrap-up (CC-17): no queue call comes until it ends; its time left.
                let left = wrapUp.map { " " + format.duration(max(0, Int($0.timeIntervalSince(s.now).rounded(.up)))) } ?? ""
                lines.append(catalogue.word("wrap-up").uppercased() + left)
            } else {
                lines.append(catalogue.state(line.state) + "  " + format.duration(Int(s.now.timeIntervalSince(line.stateSince))))
            }
            let calls = await workstation.currentCalls
            if let call = calls.current ?? calls.held {
                // The customer's phone, or for internal calls and consults the extension at the other end.
                let other = call.from == s.extensionNumber ? call.to : call.from
                let phone = call.phone.map(displayPhone) ?? other ?? ""
                var contact = ""
                if let phone = call.phone { contact = try await workstation.contact(phone: phone)?.name ?? "" }
                let number = await workstation.attendanceNumber(of: call)
                lines.append(catalogue.text(.statusCall(attendance: number, service: call.service ?? "", phone: phone, contact: contact)))
                fields += [("call", .object(callFields(call)))]
            }
            fields += [
                ("waiting", .int(q.waiting)), ("longest_wait_seconds", .int(Int(longest))), ("callbacks", .int(callbacks)),
                ("pause", .optional(line.pause)), ("pause_seconds", .int(pauseSeconds)), ("state", .string(line.state.rawValue)),
                ("state_seconds", .int(Int(s.now.timeIntervalSince(line.stateSince)))),
                ("pending_qualification", await workstation.pendingQualification.map { .int($0.number) } ?? .null),
                ("wrap_up", .bool(line.wrapUp || wrapUp != nil)),
            ]
        }
        var badges: [String] = []
        badges.append(catalogue.text(.statusAgenda(s.agendaDue)))
        if let l = s.losses { badges.append(catalogue.text(.statusLosses(l))) }
        badges.append(catalogue.text(.statusChat(s.unreadChat)))
        // Standalone there is no server to sync with: the outbox just waits for one.
        if let server = s.server {
            badges.append(catalogue.text(.statusServer(server, online: s.online)))
            badges.append(catalogue.text(.statusSync(s.pendingSync)))
        } else {
            badges.append(catalogue.text(.statusStandalone))
        }
        lines.append(badges.joined(separator: " · "))
        if let st = screenTransferLine() { lines.append(st) }
        if let state = screenTransfer?.state {
            fields += [("screen_transfer", .string(state.mode.description)), ("screen_transfer_port", state.port.map(JSONValue.int) ?? .null),
                       ("crm_clients", .array(state.clients.map(JSONValue.string)))]
        }
        fields += [
            ("agenda_due", .int(s.agendaDue)), ("losses", s.losses.map(JSONValue.int) ?? .null), ("unread_chat", .int(s.unreadChat)),
            ("pending_sync", .int(s.pendingSync)), ("standalone", .bool(s.standalone)),
            ("server", s.server.map(JSONValue.string) ?? .null), ("online", .bool(s.online)),
        ]
        return .text(lines, ResultItem(kind: "status", fields: fields))
    }
}

extension REPL {
    /// The screen-transfer line of `status`.
    func screenTransferLine() -> String? {
        guard let state = screenTransfer?.state else { return nil }
        var mode = state.mode.description
        if case .tcp(let host, _) = state.mode, let port = state.port { mode = "tcp \(host):\(port)" }
        return catalogue.text(.screenTransferStatus(mode: mode, clients: state.clients.isEmpty ? "0" : "\(state.clients.count) (\(state.clients.joined(separator: ", ")))"))
    }
}
