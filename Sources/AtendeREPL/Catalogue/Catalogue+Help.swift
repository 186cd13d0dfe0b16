import Foundation

extension Catalogue {
    /// One line on what a command does, for `help`.
    public func summary(_ id: CommandID) -> String {
        switch id {
        case .help: return pick("lista os comandos, ou detalha um", "list the commands, or detail one")
        case .login: return pick("entra como agente em um grupo (pede a senha)", "log in as an agent of a group (asks for the password)")
        case .logout: return pick("sai da sessão do agente", "end the agent's session")
        case .exit: return pick("sai do Atende (faz logout antes)", "leave Atende (logging out first)")
        case .passwd: return pick("altera a senha: atual, nova e confirmação", "change the password: current, new, confirmation")
        case .sync:
            return pick(
                "sincroniza agora com o servidor: envia o outbox, traz as mudanças, diz o que aguarda",
                "syncs with the server now: sends the outbox, brings the changes, says what waits")
        case .syncConflicts: return pick("valores perdidos para outra edição, com origem", "values that lost to another edit, with where they came from")
        case .syncRestore: return pick("repõe o valor perdido do conflito N, como nova edição", "puts the lost value of conflict N back, as a new edit")
        case .chat:
            return pick(
                "chat AGENTE[,AGENTE…] MENSAGEM envia; chat [AGENTE] mostra a conversa",
                "chat AGENT[,AGENT…] MESSAGE sends; chat [AGENT] shows the conversation")
        case .status: return pick("estado completo: grupo, agente, data e hora, agenda, perdas, sync", "full status: group, agent, date and time, agenda, losses, sync")
        case .notes: return pick("mostra o quadro de avisos", "show the notice board")
        case .noteAdd: return pick("cria um aviso", "add a note")
        case .noteEdit: return pick("troca o texto do aviso N", "replace the text of note N")
        case .noteRemove: return pick("remove o aviso N", "remove note N")
        case .contacts: return pick("busca contatos por nome, número ou iniciais", "find contacts by name, number or initials")
        case .contactAdd: return pick("cadastra um contato (--phone repetível)", "add a contact (--phone may repeat)")
        case .contactShow: return pick("mostra o contato N", "show contact N")
        case .contactEdit:
            return pick(
                "altera campos do contato N; --phone acrescenta um telefone, --remove-phone tira",
                "change fields of contact N; --phone adds a phone, --remove-phone takes one off")
        case .agenda: return pick("agenda de hoje (ou de DATA); --pending e --done filtram", "today's agenda (or DATE's); --pending and --done filter")
        case .agendaDay: return pick("agenda de um dia", "the agenda of one day")
        case .agendaWeek: return pick("agenda da semana", "this week's agenda")
        case .agendaMonth: return pick("agenda do mês", "this month's agenda")
        case .agendaNew:
            return pick(
                "novo evento: nome, --start e --end (dd/mm/aaaa HH:MM) ou --all-day, --phone, --contact, --obs",
                "new event: name, --start and --end (dd/mm/yyyy HH:MM) or --all-day, --phone, --contact, --obs")
        case .agendaEdit: return pick("altera campos do evento N", "change fields of event N")
        case .agendaDone: return pick("finaliza o evento N", "mark event N done")
        case .agendaReopen: return pick("reabre o evento N", "reopen event N")
        case .agendaDial: return pick("liga para o telefone do evento N", "call the phone of event N")
        case .config: return pick("mostra a configuração, ou altera CHAVE para VALOR", "show the configuration, or set KEY to VALUE")
        case .calls: return pick("relatório de atendimentos (padrão: hoje, você)", "attendances report (default: today, you)")
        case .attendance: return pick("um atendimento com o histórico de qualificações", "one attendance with its qualification history")
        case .losses: return pick("perdas: today, yesterday, month, last-month ou DE ATÉ", "lost calls: today, yesterday, month, last-month or FROM TO")
        case .search: return pick("busca atendimentos e contatos por nome, número ou iniciais", "search attendances and contacts by name, number or initials")
        case .stats: return pick("chamadas por hora e totais do dia", "calls per hour and the day's totals")
        case .answer: return pick("atende a chamada que toca (ou linha vazia)", "answer the ringing call (or an empty line)")
        case .hangup: return pick("encerra a chamada atual", "end the current call")
        case .dial: return pick("liga para um número externo (ou o atendimento N do relatório)", "call an external number (or attendance N of a report)")
        case .call: return pick("liga para um ramal ou agente", "call an extension or agent")
        case .redial: return pick("rediscar o último número externo", "redial the last external number")
        case .hold: return pick("coloca o cliente em espera, ou retoma", "put the caller on hold, or take them back")
        case .transfer: return pick("transfere (sem alvo: conclui a consulta)", "transfer (no target: complete the consult)")
        case .consult: return pick("consulta um terceiro com o cliente em espera", "consult a third party with the caller on hold")
        case .returnCall: return pick("encerra a consulta e volta ao cliente", "end the consult and go back to the caller")
        case .conference: return pick("conferência: cliente em espera + consulta", "conference: held caller + consult")
        case .record: return pick("inicia ou para a gravação (motivo, comentário)", "start or stop recording (reason, comment)")
        case .support: return pick("pede apoio ao supervisor (liga/desliga)", "ask the supervisor for help (toggle)")
        case .pause: return pick("entra em pausa com um motivo (nome ou código)", "pause with a reason (name or code)")
        case .unpause: return pick("sai da pausa", "end the pause")
        case .capture: return pick("captura a chamada que toca há mais tempo no grupo", "capture the longest-ringing call of the group")
        case .barge: return pick("intercala a chamada de um ramal (administradores)", "barge into an extension's call (admins)")
        case .qualify: return pick("qualifica um atendimento (o pendente, ou o N)", "qualify an attendance (the pending one, or N)")
        case .sound: return pick("liga ou desliga a sinalização sonora", "turn the ring signal on or off")
        case .extensions: return pick("lista de ramais: agentes, estado, pausa", "extension list: agents, state, pause")
        case .simIncoming: return pick("simula: cliente liga para um serviço", "simulate: a customer calls a service")
        case .simRing: return pick("simula: cliente liga direto para este ramal", "simulate: a customer calls this extension")
        case .simAnswer: return pick("simula: o chamado atende", "simulate: the called party answers")
        case .simHangup: return pick("simula: o outro lado desliga", "simulate: the other party hangs up")
        case .simAbandon: return pick("simula: o cliente mais antigo da fila desiste", "simulate: the oldest queued caller gives up")
        case .simAgent:
            return pick(
                "simula um colega: login, logout, pause, free, answer, hangup, call RAMAL",
                "simulate a colleague: login, logout, pause, free, answer, hangup, call EXT")
        case .simAdvance: return pick("avança o relógio manual (--clock manual)", "move the manual clock on (--clock manual)")
        case .simTraffic: return pick("chamadas aleatórias por minuto (0 para)", "random inbound calls per minute (0 stops)")
        }
    }

    /// The placeholders of a usage (`login USER GROUP`) in the catalogue's language: each word in
    /// capitals is translated, the rest kept.
    public func placeholders(_ text: String) -> String {
        guard language == .pt else { return text }
        let pt = [
            "ACTION": "AÇÃO", "AGENT": "AGENTE", "ATTENDANCE": "ATENDIMENTO", "CARRIER": "OPERADORA", "CODE": "CÓDIGO",
            "COMMAND": "COMANDO", "COMMENT": "COMENTÁRIO", "COMPANY": "EMPRESA", "CONTACT": "CONTATO", "DATE": "DATA",
            "EMAIL": "E-MAIL", "END": "FIM", "EXT": "RAMAL", "GROUP": "GRUPO", "KEY": "CHAVE", "NAME": "NOME", "NOTES": "OBSERVAÇÕES",
            "NUMBER": "NÚMERO", "OPTION": "OPÇÃO", "PERIOD": "PERÍODO", "PHONE": "TELEFONE", "RATE": "TAXA", "REASON": "MOTIVO",
            "SECONDS": "SEGUNDOS", "SERVICE": "SERVIÇO", "START": "INÍCIO", "TARGET": "DESTINO", "TEXT": "TEXTO", "TIME": "HORÁRIO",
            "TO": "ATÉ", "USER": "USUÁRIO", "VALUE": "VALOR",
        ]
        var out = ""
        var word = ""
        func flush() {
            out += pt[word] ?? word
            word = ""
        }
        for c in text {
            if c.isUppercase && c.isASCII { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// Column headers and field labels.
    public func header(_ key: String) -> String {
        (language == .pt ? Self.headersPT : Self.headersEN)[key] ?? key
    }

    private static let headersPT: [String: String] = [
        "number": "Nº", "text": "Texto", "updated": "Alterado", "name": "Nome", "company": "Empresa", "phones": "Telefones",
        "email": "E-mail", "notes": "Observação", "start": "Início", "end": "Fim", "phone": "Telefone", "done": "Feito",
        "agent": "Agente", "group": "Grupo", "contact": "Contato", "obs": "Observação", "type": "Tipo",
        "qualification": "Qualificação", "date": "Data", "in": "Entrada", "out": "Saída", "duration": "Tempo",
        "extension": "Ramal", "service": "Serviço", "in_queue": "Aband. fila", "at_agent": "Aband. PA", "time": "Hora",
        "callback": "Retorno", "key": "Chave", "value": "Valor", "kind": "Tipo", "hour": "Hora", "calls": "Chamadas",
        "rank": "Relevância", "recording": "Gravação", "state": "Estado", "pause": "Pausa", "sector": "Setor", "what": "O quê", "detail": "Detalhe", "comment": "Comentário", "when": "Quando",
    ]
    private static let headersEN: [String: String] = [
        "number": "No.", "text": "Text", "updated": "Changed", "name": "Name", "company": "Company", "phones": "Phones",
        "email": "E-mail", "notes": "Notes", "start": "Start", "end": "End", "phone": "Phone", "done": "Done",
        "agent": "Agent", "group": "Group", "contact": "Contact", "obs": "Observation", "type": "Type",
        "qualification": "Qualification", "date": "Date", "in": "In", "out": "Out", "duration": "Duration",
        "extension": "Ext.", "service": "Service", "in_queue": "Aband. queue", "at_agent": "Aband. agent", "time": "Time",
        "callback": "Call-back", "key": "Key", "value": "Value", "kind": "Kind", "hour": "Hour", "calls": "Calls",
        "rank": "Rank", "recording": "Recording", "state": "State", "pause": "Pause", "sector": "Sector", "what": "What", "detail": "Detail", "comment": "Comment", "when": "When",
    ]

    /// Words for values: call types, call-back states, yes/no.
    public func word(_ key: String) -> String {
        (language == .pt ? Self.wordsPT : Self.wordsEN)[key] ?? key
    }

    private static let wordsPT: [String: String] = [
        "inbound": "RECEPTIVA", "outbound": "ATIVA", "internal": "INTERNA", "pending": "pendente", "done": "feito",
        "contact": "contato", "attendance": "atendimento", "agent": "agente", "customer": "cliente",
        "transfer": "transferência", "system": "sistema", "help": "apoio", "wrap-up": "pós-atendimento",
        "consult": "CONSULTA", "unanswered": "NÃO ATENDIDA",
        "deleted": "(apagado)", "restored": "reposto", "concurrent": "simultâneo", "mismatch": "divergente",
    ]
    private static let wordsEN: [String: String] = [
        "inbound": "INBOUND", "outbound": "OUTBOUND", "internal": "INTERNAL", "pending": "pending", "done": "done",
        "contact": "contact", "attendance": "attendance", "agent": "agent", "customer": "customer",
        "transfer": "transfer", "system": "system", "help": "help", "wrap-up": "wrap-up",
        "consult": "CONSULT", "unanswered": "UNANSWERED",
        "deleted": "(deleted)", "restored": "restored", "concurrent": "concurrent", "mismatch": "mismatch",
    ]
}
