import AtendeIntegration
public import AtendeCore
import AtendeWorkstation
import Foundation

extension Catalogue {
    /// SL-3: the extension's state as the status line shows it.
    public func state(_ s: ExtensionState) -> String {
        switch s {
        case .loggedOut: return pick("DESLOGADO", "LOGGED OUT")
        case .free: return pick("RAMAL LIVRE", "FREE")
        case .ringing: return pick("TOCANDO", "RINGING")
        case .dialing: return pick("DISCANDO", "DIALLING")
        case .talking: return pick("EM ATENDIMENTO", "BUSY")
        case .onHold: return pick("EM ESPERA", "ON HOLD")
        case .consulting: return pick("EM CONSULTA", "CONSULTING")
        case .conference: return pick("EM CONFERÊNCIA", "CONFERENCE")
        }
    }

    func ended(_ by: EndedBy) -> String {
        switch by {
        case .agent: return pick("pelo agente", "by the agent")
        case .customer: return pick("pelo cliente", "by the customer")
        case .transfer: return pick("por transferência", "by transfer")
        case .system: return pick("pelo sistema", "by the system")
        }
    }

    /// One line for an event of the agent's calls or day.
    func event(_ e: WorkstationEvent, format: (String) -> String, duration: (Int) -> String) -> String {
        switch e {
        case .ringing(let call, let contact):
            let from = call.phone.map(format) ?? call.from ?? ""
            let who = contact.map { " — \($0.name) (\(pick("contato", "contact")) \($0.number))" } ?? ""
            let service = call.service.map { "\($0) " } ?? (call.type == .internal ? pick("ramal ", "extension ") : "")
            return pick("Chamada tocando: ", "Ringing: ") + service + from + who + pick(". Enter atende.", ". Enter answers.")
        case .dialing(let call, let dialString):
            let to = call.phone.map(format) ?? call.to ?? ""
            return pick("Discando ", "Dialling ") + to + (dialString.map { pick(" (discagem \($0))", " (dial string \($0))") } ?? "") + "."
        case .answered(let call):
            return pick("Atendida: ", "Answered: ") + (call.service.map { "\($0) " } ?? "") + (call.phone.map(format) ?? call.from ?? "") + "."
        case .calledPartyAnswered(let call):
            return pick("Atendeu: ", "Answered by ") + (call.phone.map(format) ?? call.to ?? "") + "."
        case .held: return pick("Cliente em espera.", "Caller on hold.")
        case .retrieved: return pick("Cliente retomado.", "Caller taken back.")
        case .transferred(_, let to): return pick("Chamada transferida para \(to).", "Call transferred to \(to).")
        case .conferenced(let call):
            return pick("Conferência estabelecida (\(call.joined.count + 2) participantes).", "Conference up (\(call.joined.count + 2) parties).")
        case .captured(_, let from): return pick("Chamada capturada do ramal \(from).", "Captured the call ringing at \(from).")
        case .barged(_, let into): return pick("Intercalado na chamada do ramal \(into).", "Barged into the call of \(into).")
        case .ended(let a, let by) where a.type == .internal && by == .customer:
            return pick("Chamada encerrada pelo outro ramal: atendimento \(a.number), ", "Call ended by the other party: attendance \(a.number), ")
                + pick("conversação \(duration(a.talkSeconds)), espera \(duration(a.holdSeconds)).", "talk \(duration(a.talkSeconds)), hold \(duration(a.holdSeconds)).")
        case .ended(let a, let by):
            return pick("Chamada encerrada \(ended(by)): atendimento \(a.number), ", "Call ended \(ended(by)): attendance \(a.number), ")
                + pick("conversação \(duration(a.talkSeconds)), espera \(duration(a.holdSeconds)).", "talk \(duration(a.talkSeconds)), hold \(duration(a.holdSeconds)).")
        case .missed(let call):
            return pick("Chamada perdida: ", "Missed call: ") + (call.service.map { "\($0) " } ?? "") + (call.phone.map(format) ?? call.from ?? "") + "."
        case .qualificationRequired(let a, let seconds):
            let limit = seconds.map { pick(" (pós-atendimento: \($0) s)", " (wrap-up: \($0) s)") } ?? ""
            return pick(
                "Qualifique o atendimento \(a.number): `qualify CÓDIGO [COMENTÁRIO]`\(limit).",
                "Qualify attendance \(a.number): `qualify CODE [COMMENT]`\(limit).")
        case .wrapUpEnded(let n, let qualified):
            return qualified
                ? pick("Pós-atendimento encerrado.", "Wrap-up over.")
                : pick("Pós-atendimento encerrado sem qualificar o atendimento \(n).", "Wrap-up over without qualifying attendance \(n).")
        case .qualified(let a, let code): return pick("Atendimento \(a.number) qualificado: \(code).", "Attendance \(a.number) qualified: \(code).")
        case .queueAlert(let waiting): return pick("Fila de espera: \(waiting) chamada(s).", "Queue: \(waiting) call(s) waiting.")
        case .paused(let reason):
            return pick("Pausa: \(reason.name)", "Paused: \(reason.name)") + (reason.code.map { " (\($0))" } ?? "") + "."
        case .unpaused(let seconds): return pick("Pausa encerrada após \(duration(seconds)).", "Pause over after \(duration(seconds)).")
        case .helpRequested(let on):
            return on ? pick("Apoio solicitado ao supervisor.", "Help requested from the supervisor.") : pick("Pedido de apoio retirado.", "Help request withdrawn.")
        case .recordingStarted(let reason): return pick("Gravação iniciada (\(reason)).", "Recording started (\(reason)).")
        case .recordingStopped(let seconds): return pick("Gravação parada após \(seconds) s.", "Recording stopped after \(seconds) s.")
        case .agendaReminder(let e): return pick("Agenda: começa \"\(e.name)\" (evento \(e.number)).", "Agenda: \"\(e.name)\" starts now (event \(e.number)).")
        case .lossRecorded(let call, let reason):
            let place = reason == .abandonedAtAgent ? pick("abandonada na P.A.", "abandoned at the agent") : pick("abandonada na fila", "abandoned in queue")
            return pick("Perda registrada: ", "Lost call recorded: ") + "\(call.service ?? "") \(format(call.phone ?? "")) (\(place))."
        case .linkLost:
            return pick(
                "Conexão com a central perdida: reconectando. Agenda, notas, contatos e histórico seguem funcionando.",
                "Link to the call center lost: reconnecting. Agenda, notes, contacts and history keep working.")
        case .linkRestored:
            return pick("Conexão com a central restabelecida.", "Link to the call center is back.")
        case .loggedOutBySwitch(let ext):
            return pick(
                "A central desconectou o ramal \(ext) (supervisor ou conexão perdida por muito tempo): faça login de novo para receber chamadas.",
                "The call center logged extension \(ext) out (a supervisor, or the link was lost too long): log in again to take calls.")
        case .seatNotTaken(let ext): return seatNotTaken(ext)
        case .registryUpdated(let version, let ownChanged): return registryUpdated(version, ownChanged: ownChanged)
        case .syncProgress(let p):
            let width = 20
            let filled = p.total == 0 ? width : min(width, p.received * width / p.total)
            return pick("Sincronizando ", "Syncing ") + "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] \(p.received)/\(p.total)"
        case .chatReceived(let m):
            return pick("Chat de \(m.from): \(m.body)  (responda: chat \(m.from) MENSAGEM)", "Chat from \(m.from): \(m.body)  (reply: chat \(m.from) MESSAGE)")
        case .workingOffline(let server):
            return pick(
                "Central \(server) inacessível: trabalhando offline (agenda, notas, contatos, histórico). A telefonia precisa da central.",
                "Call center \(server) unreachable: working offline (agenda, notes, contacts, history). Telephony needs the server.")
        case .ringTimedOut(let call):
            return pick("Chamada não atendida a tempo: ", "Not answered in time: ") + (call.service.map { "\($0) " } ?? "")
                + (call.phone.map(format) ?? "") + pick("; passou para o próximo agente.", "; it moved on to the next agent.")
        case .declined(let call, let back):
            let who = (call.service.map { "\($0) " } ?? "") + (call.phone.map(format) ?? call.from ?? "")
            return back
                ? pick("Chamada recusada: \(who); voltou para a fila.", "Call refused: \(who); it went back to the queue.")
                : pick("Chamada recusada: \(who).", "Call refused: \(who).")
        case .left: return pick("Você saiu da chamada; os demais continuam nela.", "You left the call; the others stay on it.")
        case .attendanceNotSaved(let number, let phone, let reason):
            let which = number.map { pick("Atendimento \($0) (\(format(phone)))", "Attendance \($0) (\(format(phone)))") }
                ?? pick("Atendimento de \(format(phone))", "Attendance of \(format(phone))")
            return which + pick(" ainda não salvo: \(reason); tentando de novo.", " not saved yet: \(reason); retrying.")
        case .attendanceSaved(let a): return pick("Atendimento \(a.number) salvo.", "Attendance \(a.number) saved.")
        case .loggedIn(let s, _, _): return text(.loggedIn(name: s.agent.name, group: s.group.title))
        case .loggedOut(let s): return text(.loggedOut(agent: s.agent.nickname))
        }
    }
}

extension WorkstationEvent {
    /// The ring signal sounds for it (CC-18): a call ringing here, calls waiting while paused.
    var rings: Bool {
        switch self {
        case .ringing, .queueAlert: return true
        default: return false
        }
    }
}

extension REPL {
    static func eventOutputs(_ e: WorkstationEvent, catalogue: Catalogue, format: DisplayFormat) -> [Output] {
        Presenter(catalogue: catalogue, format: format).eventOutputs(e)
    }

    var presenter: Presenter { Presenter(catalogue: catalogue, format: format) }

    func callFields(_ call: SwitchCall) -> [(String, JSONValue)] { presenter.callFields(call) }
}

/// How records and events read, for people and for `--json`: shared by the REPL's commands and
/// its event printer.
struct Presenter: Sendable {
    let catalogue: Catalogue
    let format: DisplayFormat

    /// An event as lines for people and objects for `--json`.
    func eventOutputs(_ e: WorkstationEvent) -> [Output] {
        if case .loggedIn(let s, let created, let applied) = e {
            var outputs: [Output] = []
            if created { outputs.append(.message(catalogue.text(.passwordCreated), nil)) }
            if applied { outputs.append(.message(catalogue.text(.defaultConfigurationApplied), nil)) }
            outputs.append(.message(catalogue.text(.loggedIn(name: s.agent.name, group: s.group.title)), ResultItem(kind: "session", fields: [
                ("agent", .string(s.agent.nickname)), ("group", .string(s.group.name)),
                ("extension", .string(s.extension)), ("role", .string(s.agent.role.rawValue)),
            ])))
            return outputs
        }
        if case .loggedOut(let s) = e {
            return [.message(catalogue.text(.loggedOut(agent: s.agent.nickname)), nil)]
        }
        return [eventOutput(e)]
    }

    /// An event as a line for people and an object for `--json`.
    func eventOutput(_ e: WorkstationEvent) -> Output {
        let text = catalogue.event(e, format: Self.displayPhone, duration: format.duration)
        return .message(text, eventItem(e))
    }

    /// A canonical phone as the agent dials it: national digits for Brazil (`0800…` for a
    /// nationwide number, `190` for a service one), E.164 otherwise.
    static func displayPhone(_ e164: String) -> String {
        guard let n = try? PhoneNumber.parse(e164, areaCode: "") else { return e164 }
        if n.isNationwide { return "0" + n.subscriber }
        return n.countryCode == "55" ? n.national : n.e164
    }

    func agendaItem(_ e: AgendaEvent) -> ResultItem {
        ResultItem(kind: "agenda_event", fields: [
            ("number", .int(e.number)), ("name", .string(e.name)), ("phone", .optional(e.phone)),
            ("start", .string(format.iso(e.startsAt))), ("end", .string(format.iso(e.endsAt))), ("all_day", .bool(e.allDay)),
            ("done", .bool(e.isDone)), ("done_at", format.isoOrNull(e.doneAt)), ("agent", .string(e.agent)),
            ("group", .string(e.group)), ("contact_id", .optional(e.contactID?.uuidString)), ("obs", .optional(e.observation)),
        ])
    }

    func attendanceItem(_ a: Attendance) -> ResultItem {
        ResultItem(kind: "attendance", fields: [
            ("number", .int(a.number)), ("call_type", .string(a.type.rawValue)), ("service", .optional(a.service)),
            ("phone", .string(a.phone)), ("contact", .optional(a.contactName)), ("agent", .string(a.agent)),
            ("group", .string(a.group)), ("extension", .string(a.extension)), ("queued_at", format.isoOrNull(a.queuedAt)),
            ("answered_at", format.isoOrNull(a.answeredAt)), ("ended_at", format.isoOrNull(a.endedAt)),
            ("talk_seconds", .int(a.talkSeconds)), ("wait_seconds", .int(a.waitSeconds)), ("hold_seconds", .int(a.holdSeconds)),
            ("ended_by", .optional(a.endedBy?.rawValue)), ("transfer_target", .optional(a.transferTarget)),
            ("qualification", .optional(a.qualification)), ("call_id", .optional(a.callID?.uuidString)),
            ("consult_of", .optional(a.consultOf?.uuidString)), ("customer", .bool(a.isCustomerAttendance)),
        ])
    }

    func callFields(_ call: SwitchCall) -> [(String, JSONValue)] {
        [
            ("call", .string(call.id.uuidString)), ("call_type", .string(call.type.rawValue)), ("service", .optional(call.service)),
            ("phone", .optional(call.phone)), ("from", .optional(call.from)), ("to", .optional(call.to)),
        ]
    }

    func eventItem(_ e: WorkstationEvent) -> ResultItem {
        var fields: [(String, JSONValue)]
        switch e {
        case .ringing(let call, let contact):
            fields = [("event", .string("ringing"))] + callFields(call) + [("contact", .optional(contact?.name))]
        case .dialing(let call, let dialString):
            fields = [("event", .string("dialing"))] + callFields(call) + [("dial_string", .optional(dialString))]
        case .answered(let call): fields = [("event", .string("answered"))] + callFields(call)
        case .calledPartyAnswered(let call): fields = [("event", .string("called-party-answered"))] + callFields(call)
        case .held(let call): fields = [("event", .string("held"))] + callFields(call)
        case .retrieved(let call): fields = [("event", .string("retrieved"))] + callFields(call)
        case .transferred(let call, let to): fields = [("event", .string("transferred"))] + callFields(call) + [("target", .string(to))]
        case .conferenced(let call): fields = [("event", .string("conference"))] + callFields(call)
        case .captured(let call, let from): fields = [("event", .string("captured"))] + callFields(call) + [("from_extension", .string(from))]
        case .barged(let call, let into): fields = [("event", .string("barged"))] + callFields(call) + [("into", .string(into))]
        case .ended(let a, let by): fields = [("event", .string("ended")), ("ended_by", .string(by.rawValue)), ("attendance", .object(attendanceItem(a).fields))]
        case .missed(let call): fields = [("event", .string("missed"))] + callFields(call)
        case .qualificationRequired(let a, let s):
            fields = [("event", .string("qualification-required")), ("attendance", .int(a.number)), ("wrap_up_seconds", s.map(JSONValue.int) ?? .null)]
        case .wrapUpEnded(let n, let q): fields = [("event", .string("wrap-up-ended")), ("attendance", .int(n)), ("qualified", .bool(q))]
        case .qualified(let a, let code): fields = [("event", .string("qualified")), ("attendance", .int(a.number)), ("code", .string(code))]
        case .queueAlert(let w): fields = [("event", .string("queue-alert")), ("waiting", .int(w))]
        case .paused(let r): fields = [("event", .string("paused")), ("reason", .string(r.name)), ("code", .optional(r.code))]
        case .unpaused(let s): fields = [("event", .string("unpaused")), ("seconds", .int(s))]
        case .helpRequested(let on): fields = [("event", .string("help")), ("on", .bool(on))]
        case .recordingStarted(let r): fields = [("event", .string("recording-started")), ("reason", .string(r))]
        case .recordingStopped(let s): fields = [("event", .string("recording-stopped")), ("seconds", .int(s))]
        case .agendaReminder(let ev): fields = [("event", .string("agenda-reminder")), ("agenda_event", .object(agendaItem(ev).fields))]
        case .lossRecorded(let call, let reason):
            fields = [("event", .string("loss"))] + callFields(call) + [("reason", .string(reason.rawValue))]
        case .ringTimedOut(let call): fields = [("event", .string("ring-timeout"))] + callFields(call)
        case .linkLost: fields = [("event", .string("link-lost"))]
        case .linkRestored: fields = [("event", .string("link-restored"))]
        case .syncProgress(let p): fields = [("event", .string("sync-progress")), ("received", .int(p.received)), ("total", .int(p.total))]
        case .chatReceived(let m):
            fields = [("event", .string("chat")), ("from", .string(m.from)), ("to", .array(m.to.map(JSONValue.string))), ("text", .string(m.body))]
        case .workingOffline(let server): fields = [("event", .string("offline")), ("server", .string(server))]
        case .loggedOutBySwitch(let ext): fields = [("event", .string("logged-out-by-switch")), ("extension", .string(ext))]
        case .seatNotTaken(let ext): fields = [("event", .string("seat-not-taken")), ("extension", .string(ext))]
        case .registryUpdated(let version, let ownChanged):
            fields = [("event", .string("registry-updated")), ("version", .int(version)), ("own_changed", .bool(ownChanged))]
        case .declined(let call, let back): fields = [("event", .string("declined"))] + callFields(call) + [("back_to_queue", .bool(back))]
        case .left(let call): fields = [("event", .string("left"))] + callFields(call)
        case .attendanceNotSaved(let number, let phone, let reason):
            fields = [
                ("event", .string("attendance-not-saved")), ("attendance", number.map(JSONValue.int) ?? .null),
                ("phone", .string(phone)), ("reason", .string(reason)),
            ]
        case .attendanceSaved(let a): fields = [("event", .string("attendance-saved")), ("attendance", .object(attendanceItem(a).fields))]
        case .loggedIn(let s, _, _): fields = [("event", .string("logged-in")), ("agent", .string(s.agent.nickname))]
        case .loggedOut(let s): fields = [("event", .string("logged-out")), ("agent", .string(s.agent.nickname))]
        }
        return ResultItem(kind: "event", fields: fields)
    }
}

// MARK: The seat and the registry on a live server

extension Catalogue {
    /// The link came back but the seat could not be taken again.
    func seatNotTaken(_ ext: String) -> String {
        pick(
            "A central não devolveu o ramal \(ext) após a reconexão: faça logout e login de novo para receber chamadas.",
            "The call center did not give extension \(ext) back after the reconnection: log out and in again to take calls.")
    }

    /// An admin changed the registry on the server; it is in force here now.
    func registryUpdated(_ version: Int, ownChanged: Bool) -> String {
        pick("Cadastro da central atualizado (versão \(version)).", "The call center's registry was updated (version \(version)).")
            + (ownChanged
                ? pick(
                    " Seus grupos ou ramal mudaram na central: faça logout e login de novo para trabalhar com eles aqui.",
                    " Your groups or extension changed on the server: log out and in again to work with them here.")
                : "")
    }
}
