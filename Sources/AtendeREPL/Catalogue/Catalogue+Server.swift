public import AtendeCore
import Foundation

// The call-center server's lines: its TLS, and `atende server` / `atende admin …` (SV-1, SV-2, SV-6).
extension Catalogue {
    func describeServerTLS(_ e: AtendeError) -> String {
        switch e {
        case .tlsFileUnreadable(let option, let path):
            return pick(
                "\(option) \(path): o arquivo não existe ou não é PEM. Dê o caminho de um arquivo PEM legível; nada foi iniciado.",
                "\(option) \(path): the file does not exist or is not PEM. Give the path of a readable PEM file; nothing was started.")
        case .tlsKeyMismatch(let certificate, let key):
            return pick(
                "a chave \(key) não é a do certificado \(certificate). Dê o par certo em --tls-cert e --tls-key; nada foi iniciado.",
                "the key \(key) is not the one of the certificate \(certificate). Give the matching pair with --tls-cert and --tls-key; nothing was started.")
        case .tlsPairIncomplete:
            return pick(
                "TLS precisa de --tls-cert e --tls-key juntos (certificado e chave em PEM); nada foi iniciado.",
                "TLS needs both --tls-cert and --tls-key (the PEM certificate and key); nothing was started.")
        case .serverCertificateUntrusted(let server):
            return pick(
                "o certificado do servidor \(server) não é de uma CA confiável (ou não é deste endereço). Dê a CA com --ca-cert ARQUIVO (ou `config server.ca-cert ARQUIVO`).",
                "the certificate of the server \(server) is not signed by a trusted CA (or is not for this address). Give its CA with --ca-cert FILE (or `config server.ca-cert FILE`).")
        case .serverTLSMismatch(let server):
            return pick(
                "o servidor \(server) não respondeu neste protocolo: se ele usa TLS, dê o endereço como https://HOST:PORTA; se não, sem https://.",
                "the server \(server) did not answer in this protocol: if it serves TLS, give its address as https://HOST:PORT; if not, without https://.")
        default:
            return describe(e)
        }
    }
}

extension Catalogue {
    /// A line of `atende server` or `atende admin …`.
    public func text(_ m: AdminMessage) -> String {
        switch m {
        case .serverListening(let address, let dir):
            return pick("Servidor Atende escutando em \(address) (dados em \(dir))", "Atende server listening on \(address) (data in \(dir))")
        case .serverStopped: return pick("Servidor Atende parado.", "Atende server stopped.")
        case .serverCannotListen(let address):
            return pick(
                "o servidor não pode escutar em \(address): o endereço está em uso ou não é deste computador. Escolha outro com --host/--port.",
                "the server cannot listen on \(address): the address is in use or not this computer's. Choose another with --host/--port.")
        case .serverStoreUnusable(let path):
            return pick(
                "o servidor não pode abrir seus registros em \(path). Verifique o disco e as permissões (ou escolha outra pasta com --data-dir).",
                "the server cannot open its records in \(path). Check the disk and permissions (or choose another folder with --data-dir).")
        case .serverOptionRange(let option, let from, let to, let unit):
            let units: String
            switch unit {
            case .none: units = ""
            case .seconds: units = pick(" segundos", " seconds")
            case .callsPerMinute: units = pick(" chamadas por minuto", " calls a minute")
            }
            return pick("\(option) deve ser de \(from) a \(to)\(units).", "\(option) must be \(from) to \(to)\(units).")
        case .serverLogLevel(let given):
            return pick(
                "--log-level deve ser trace, debug, info, notice, warning, error ou critical, não \"\(given)\".",
                "--log-level must be trace, debug, info, notice, warning, error or critical, not \"\(given)\".")
        case .serverAddressInvalid(let option, let value):
            return pick(
                "\(option) \"\(value)\" não é um endereço: use HOST, HOST:PORTA ou https://HOST:PORTA.",
                "\(option) \"\(value)\" is not an address: use HOST, HOST:PORT or https://HOST:PORT.")
        case .needsUser(let command):
            return pick(
                "`atende admin \(command)` precisa de --user APELIDO (um administrador ou supervisor).",
                "`atende admin \(command)` needs --user NICKNAME (an admin or supervisor).")
        case .noPassword(let user):
            return pick("nenhuma senha foi dada para \(user).", "no password was given for \(user).")
        case .serverRefused(let code, let detail):
            switch code {
            case .forbidden: return pick("sem permissão: \(detail).", "\(detail).")
            case .unauthorized: return pick("a sessão não vale mais (\(detail)); entre de novo.", "the session is not valid (\(detail)); log in again.")
            case .notFound: return pick("não encontrado: \(detail). Nada foi alterado.", "not found: \(detail). Nothing was changed.")
            case .badRequest: return pick("pedido recusado: \(detail). Nada foi alterado.", "refused: \(detail). Nothing was changed.")
            default: return pick("o servidor recusou: \(detail). Nada foi alterado.", "the server refused: \(detail). Nothing was changed.")
            }
        case .callPlaced(let phone, let service, let through):
            return pick(
                "Chamada de \(phone) para \(service) feita (evento \(through) da central).",
                "Call from \(phone) to \(service) placed (switch event \(through)).")
        case .extensionDigits: return pick("RAMAL deve ter só dígitos, como 2050.", "EXTENSION must be digits, like 2050.")
        case .agentPaused(let ext, let reason): return pick("Ramal \(ext) em pausa (\(reason)).", "Extension \(ext) paused (\(reason)).")
        case .agentLoggedOut(let ext): return pick("Ramal \(ext) desconectado.", "Extension \(ext) logged out.")
        case .monitorForSupervisors:
            return pick("o monitor é para supervisores e administradores.", "the monitor is for supervisors and admins.")
        case .switchUnreachable:
            return pick("a central do servidor não responde; tente de novo quando ela voltar.", "the server's switch cannot be reached; try again when it is back.")
        case .serverUnreachable(let address):
            return pick(
                "o servidor \(address) não responde: confira o endereço (--server) e se o `atende server` está rodando lá.",
                "the server \(address) cannot be reached: check the address (--server) and that `atende server` runs there.")
        case .linkLost: return pick("Conexão com o servidor perdida: reconectando.", "Link to the server lost: reconnecting.")
        case .linkBack: return pick("A conexão com o servidor voltou.", "Link to the server is back.")
        case .floorAgentsTitle: return pick("Agentes", "Agents")
        case .floorQueuesTitle: return pick("Filas", "Queues")
        case .floorTodayTitle(let t):
            return pick("Hoje (nível de serviço: atendidas em até \(t) s sobre atendidas)", "Today (service level: answered within \(t) s over answered)")
        case .floorAgent(let ext, let nickname, let loggedIn, let state, let since, let pause, let wrapUp, let help, let call):
            guard loggedIn else { return "\(ext) \(nickname) " + pick("DESLOGADO", "LOGGED OUT") }
            var text = "\(ext) \(nickname) " + (language == .pt ? self.state(state) : state.rawValue.uppercased()) + " \(since)"
            if let pause { text += pick(" em pausa (\(pause))", " paused (\(pause))") }
            if wrapUp { text += pick(" pós-atendimento", " wrap-up") }
            if help { text += pick(" PEDIU AJUDA", " HELP REQUESTED") }
            if let call { text += pick(" chamada ", " call ") + call }
            return text
        case .floorQueue(let group, let waiting, let longest):
            return pick("fila \(group): \(waiting) esperando, a mais antiga há \(longest)", "queue \(group): \(waiting) waiting, longest \(longest)")
        case .floorKPI(let queue, let offered, let answered, let abandoned, let rate, let sl, let asa, let aht):
            return pick(
                "kpi \(queue): oferecidas \(offered), atendidas \(answered), abandonadas \(abandoned) (\(rate)), NS \(sl), TMA-espera \(asa), TMA \(aht)",
                "kpi \(queue): offered \(offered), answered \(answered), abandoned \(abandoned) (\(rate)), SL \(sl), ASA \(asa), AHT \(aht)")
        case .actionNotOneOf(let actions, let given):
            return pick(
                "a ação deve ser uma de \(actions.joined(separator: ", ")), não \"\(given)\".",
                "the action must be one of \(actions.joined(separator: ", ")), not \"\(given)\".")
        case .needsKey(let command, let kind):
            return pick("`atende admin \(command)` precisa da chave do item (\(kindName(kind))).", "`atende admin \(command)` needs the \(kind)'s key.")
        case .noSuchItem(let kind, let key): return pick("não há \(kindName(kind)) \"\(key)\".", "no \(kind) \"\(key)\".")
        case .itemAdded(let kind, let key, let v):
            return pick("\(kindName(kind)) \(key) criado (versão \(v) do cadastro).", "\(kind) \(key) added (registry version \(v)).")
        case .itemChanged(let kind, let key, let v):
            return pick("\(kindName(kind)) \(key) alterado (versão \(v) do cadastro).", "\(kind) \(key) changed (registry version \(v)).")
        case .itemRemoved(let kind, let key, let v):
            return pick("\(kindName(kind)) \(key) removido (versão \(v) do cadastro).", "\(kind) \(key) removed (registry version \(v)).")
        case .agentNeeds(let command, let options):
            return pick("`atende admin \(command)` precisa de \(options).", "`atende admin \(command)` needs \(options).")
        case .agentAdded(let n, let v): return pick("Agente \(n) criado (versão \(v) do cadastro).", "Agent \(n) added (registry version \(v)).")
        case .agentChanged(let n, let v): return pick("Agente \(n) alterado (versão \(v) do cadastro).", "Agent \(n) changed (registry version \(v)).")
        case .agentDisabled(let n, let v):
            return pick(
                "Agente \(n) desativado: não entra mais; sessões encerradas (versão \(v) do cadastro).",
                "Agent \(n) disabled: cannot log in; sessions ended (registry version \(v)).")
        case .agentEnabled(let n, let v): return pick("Agente \(n) reativado (versão \(v) do cadastro).", "Agent \(n) enabled (registry version \(v)).")
        case .passwordReset(let n):
            return pick(
                "Senha de \(n) apagada: no próximo login ele cadastra uma nova.",
                "Password of \(n) reset: they create a new one at their next login.")
        case .agentRow(let nickname, let ext, let name, let groups, let role, let disabled):
            return "\(nickname)  \(ext)  \(name)  " + pick("grupos", "groups") + " \(groups)  \(role)" + (disabled ? pick("  DESATIVADO", "  DISABLED") : "")
        case .agentContact(let email, let sector):
            return pick("  email \(email), setor \(sector)", "  email \(email), sector \(sector)")
        case .agentPermissions(let list): return pick("  permissões \(list)", "  permissions \(list)")
        case .choiceRefused(let option, let choices, let given):
            return pick("\(option) deve ser \(choices), não \"\(given)\".", "\(option) must be \(choices), not \"\(given)\".")
        case .unknownPermission(let p, let known):
            return pick("permissão desconhecida \"\(p)\" (\(known)).", "unknown permission \"\(p)\" (\(known)).")
        case .serviceRow(let name, let number, let group): return "\(name)  \(number)  " + pick("grupo", "group") + " \(group)"
        case .pauseReasonRow(let name, let kind, let code):
            return "\(name)  \(kind)" + (code.map { "  " + pick("código", "code") + " \($0)" } ?? "")
        case .codeRow(let code, let label, let tags):
            return "\(code)  \(label)" + (tags.isEmpty ? "" : "  tags \(tags)")
        case .groupRow(let name, let title): return "\(name)  \(title)"
        case .recordingReasonRow(let code, let label): return "\(code)  \(label)"
        case .auditRow(let at, let actor, let action, let detail): return "\(at)  \(actor)  \(action)  \(detail)"
        case .exportInterrupted(let rows, let path?):
            return pick(
                "Exportação interrompida depois de \(rows) atendimento(s): o servidor parou de responder. \(path) não foi escrito; exporte de novo.",
                "Export interrupted after \(rows) attendance(s): the server stopped answering. \(path) was not written; run the export again.")
        case .exportInterrupted(let rows, nil):
            return pick(
                "Exportação interrompida depois de \(rows) atendimento(s): o servidor parou de responder. A saída está incompleta; exporte de novo.",
                "Export interrupted after \(rows) attendance(s): the server stopped answering. The output is incomplete; run the export again.")
        case .row(let text): return text
        case .simIncoming(let phone, let service, let through):
            return pick(
                "Rede: \(phone) liga para \(service) (evento \(through) da central).",
                "Network: \(phone) calls \(service) (switch event \(through)).")
        case .simRing(let phone, let ext, let through):
            return pick(
                "Rede: \(phone) liga direto para o ramal \(ext) (evento \(through) da central).",
                "Network: \(phone) calls extension \(ext) directly (switch event \(through)).")
        case .simAbandon(let queue, let through):
            return pick(
                "Rede: quem esperava há mais tempo na fila \(queue) desligou — uma perda (evento \(through) da central).",
                "Network: the caller waiting longest in queue \(queue) hung up — a loss (switch event \(through)).")
        case .simHangup(let ext, let through):
            return pick(
                "Rede: o cliente da chamada do ramal \(ext) desligou (evento \(through) da central).",
                "Network: the customer on extension \(ext)'s call hung up (switch event \(through)).")
        case .simAnswer(let ext, let through):
            return pick(
                "Rede: quem o ramal \(ext) chamava atendeu (evento \(through) da central).",
                "Network: the party extension \(ext) called answered (switch event \(through)).")
        case .simTraffic(let rate):
            return pick("Tráfego simulado no servidor: \(rate) chamada(s) por minuto.", "Simulated traffic on the server: \(rate) call(s) per minute.")
        case .simTrafficRange(let given):
            return pick(
                "TAXA \"\(given)\" deve ser de 0 a \(Int(NetworkAct.maximumTraffic)) chamadas por minuto (0 para o tráfego). Nada foi alterado.",
                "RATE \"\(given)\" must be 0 to \(Int(NetworkAct.maximumTraffic)) calls a minute (0 stops the traffic). Nothing was changed.")
        case .simNothingWaiting(let queue):
            return queue.map {
                pick("ninguém espera na fila \($0). Nada foi alterado.", "no caller is waiting in queue \($0). Nothing was changed.")
            } ?? pick("ninguém espera em fila. Nada foi alterado.", "no caller is waiting in any queue. Nothing was changed.")
        case .simNoSuchCall(let target):
            return pick(
                "não há chamada de cliente em \(target) (uma chamada ou um ramal). Nada foi alterado.",
                "there is no customer call at \(target) (a call or an extension). Nothing was changed.")
        case .simUnknownService(let name):
            return pick(
                "não há serviço nem grupo \"\(name)\". Veja `atende admin services list`. Nada foi alterado.",
                "there is no service or group \"\(name)\". See `atende admin services list`. Nothing was changed.")
        }
    }

    /// A kind of registry item (`RegistryKind`'s raw value) in Portuguese.
    func kindName(_ kind: String) -> String {
        switch kind {
        case "agent": return "agente"
        case "group": return "grupo"
        case "service": return "serviço"
        case "pause-reason": return "motivo de pausa"
        case "code": return "código"
        case "recording-reason": return "motivo de gravação"
        default: return kind
        }
    }

    /// `erro: …` / `error: …` for an admin line that refuses.
    public func error(_ m: AdminMessage) -> String { errorPrefix + text(m) }

    /// The switch's refusal of a network act, in the admin's words.
    /// `target`: what the act was about (the queue, the call or extension), when the admin named it.
    public func error(_ r: SwitchRefusal, about target: String?) -> String {
        switch r {
        case .unknownService(let s): return error(.simUnknownService(s))
        case .noQueuedCall: return error(.simNothingWaiting(queue: target))
        case .unknownCall, .noCall, .nothingRinging: return error(.simNoSuchCall(target ?? "-"))
        case .unknownExtension(let e): return error(.unknownExtension(e))
        case .notLoggedIn(let e): return error(.serverRefused(code: .refused, detail: pick("o ramal \(e) não está conectado", "extension \(e) is not logged in")))
        case .invalidPhone(let p): return error(.invalidPhone(p, .empty))
        case .queueFull(let g): return error(.queueFull(g))
        case .targetBusy(let t): return error(.targetBusy(t))
        case .targetLoggedOut(let t): return error(.targetLoggedOut(t))
        case .forbidden(let reason): return error(.serverRefused(code: .forbidden, detail: reason))
        case .unreachable: return error(.serverUnreachable)
        default: return error(.serverRefused(code: .refused, detail: pick("a central recusou no estado atual", "the switch refused it in its current state")))
        }
    }
}
