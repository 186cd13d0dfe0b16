import Foundation
import AtendeCore

/// The one place user-facing text comes from, in pt-BR and English.
///
/// For example:
/// ```swift
/// let c = Catalogue(language: .en)
/// c.text(.noteAdded(3))          // "Note 3 added."
/// c.error(.endBeforeStart)       // "error: the end is before the start. Give an end at or after the start."
/// ```
public struct Catalogue: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    func pick(_ pt: String, _ en: String) -> String { language == .pt ? pt : en }

    public func text(_ m: Message) -> String {
        switch m {
        case .welcome:
            return pick(
                "Atende — estação de atendimento. Digite `help` para os comandos, `login USUÁRIO GRUPO` para entrar.",
                "Atende — agent workstation. Type `help` for the commands, `login USER GROUP` to start.")
        case .firstLogin(let agent):
            return pick(
                "Primeiro login de \(agent): cadastre uma senha (nova e confirmação).",
                "First login of \(agent): create a password (new, then confirmation).")
        case .passwordPrompt: return pick("Senha: ", "Password: ")
        case .newPasswordPrompt: return pick("Nova senha: ", "New password: ")
        case .confirmPasswordPrompt: return pick("Confirmação: ", "Confirmation: ")
        case .currentPasswordPrompt: return pick("Senha atual: ", "Current password: ")
        case .passwordCreated: return pick("Senha cadastrada.", "Password created.")
        case .passwordChanged: return pick("Senha alterada.", "Password changed.")
        case .loggedIn(let name, let group):
            return pick("Bem-vindo, \(name) (grupo \(group)).", "Welcome, \(name) (group \(group)).")
        case .defaultConfigurationApplied:
            return pick(
                "Estação sem configuração: usando os padrões de Config/ (altere com `config CHAVE VALOR`).",
                "No workstation configuration yet: using the defaults from Config/ (change them with `config KEY VALUE`).")
        case .configurationPrompt:
            return pick(
                "Configuração da P.A. (Enter mantém o valor entre colchetes):",
                "Workstation configuration (Enter keeps the value in brackets):")
        case .loggedOut(let agent): return pick("\(agent) saiu.", "\(agent) logged out.")
        case .goodbye: return pick("Até logo.", "Goodbye.")
        case .callStillUp:
            return pick(
                "Há uma chamada em andamento: encerre-a (`hangup`) antes de sair, ou use `exit --force`.",
                "A call is still up: end it (`hangup`) before leaving, or use `exit --force`.")
        case .endedAtEndOfInput:
            return pick("Fim da entrada com uma chamada em andamento: a chamada é encerrada e registrada.", "End of input with a call up: the call is ended and recorded.")
        case .extensionAtNextLogin(let ext):
            return pick("O ramal \(ext) vale a partir do próximo login.", "Extension \(ext) takes effect at the next login.")
        case .noteAdded(let n): return pick("Aviso \(n) criado.", "Note \(n) added.")
        case .noteEdited(let n): return pick("Aviso \(n) alterado.", "Note \(n) changed.")
        case .noteRemoved(let n): return pick("Aviso \(n) removido.", "Note \(n) removed.")
        case .noNotes: return pick("Nenhum aviso. Crie um com `note add TEXTO`.", "No notes. Add one with `note add TEXT`.")
        case .contactAdded(let n, let name): return pick("Contato \(n) cadastrado: \(name).", "Contact \(n) added: \(name).")
        case .contactEdited(let n): return pick("Contato \(n) alterado.", "Contact \(n) changed.")
        case .noContacts: return pick("Nenhum contato encontrado.", "No contacts found.")
        case .noExtensions: return pick("Nenhum ramal encontrado.", "No extensions found.")
        case .agendaAdded(let n): return pick("Evento \(n) criado na agenda.", "Agenda event \(n) created.")
        case .agendaEdited(let n): return pick("Evento \(n) alterado.", "Agenda event \(n) changed.")
        case .agendaDone(let n): return pick("Evento \(n) finalizado.", "Agenda event \(n) done.")
        case .agendaReopened(let n): return pick("Evento \(n) reaberto.", "Agenda event \(n) reopened.")
        case .noAgenda: return pick("Nenhum evento na agenda.", "No agenda events.")
        case .configSet(let key, let value): return pick("\(key) = \(value)", "\(key) = \(value)")
        case .noCalls: return pick("Nenhum atendimento no período.", "No attendances in this period.")
        case .callsTotal(let count, let legs, let duration):
            let besides = legs == 0 ? "" : pick(" (e \(legs) consulta(s) ou chamada(s) não atendida(s))", " (and \(legs) consult leg(s) or unanswered call(s))")
            return pick("\(count) atendimento(s)\(besides), tempo total \(duration)", "\(count) attendance(s)\(besides), total time \(duration)")
        case .noLosses: return pick("Nenhuma perda no período.", "No lost calls in this period.")
        case .nothingFound(let text): return pick("Nada encontrado para \"\(text)\".", "Nothing found for \"\(text)\".")
        case .statsTitle(let day): return pick("Chamadas por hora em \(day)", "Calls per hour on \(day)")
        case .statsTotals(let calls, let talk, let wait, let hold, let pause):
            return pick(
                "Chamadas \(calls) · conversação \(talk) · espera \(wait) · retenção \(hold) · pausa \(pause)",
                "Calls \(calls) · talk \(talk) · wait \(wait) · hold \(hold) · pause \(pause)")
        case .importDone(let imported, let rejected):
            return pick(
                "\(imported) contato(s) importado(s), \(rejected) linha(s) recusada(s).",
                "\(imported) contact(s) imported, \(rejected) row(s) refused.")
        case .importRow(let line, let reason): return pick("linha \(line): \(reason)", "line \(line): \(reason)")
        case .exportDone(let rows, let path):
            return pick("\(rows) atendimento(s) exportado(s) para \(path).", "\(rows) attendance(s) exported to \(path).")
        case .promptFor(let field): return "\(field): "
        case .helpHeader: return pick("Comandos:", "Commands:")
        case .helpFooter:
            return pick(
                "`help COMANDO` mostra os detalhes. Linhas com # são comentários.",
                "`help COMMAND` shows the details. Lines starting with # are comments.")
        case .helpUsage: return pick("uso", "usage")
        case .helpAliases: return pick("também", "also")
        case .helpShortcut: return pick("atalho", "shortcut")
        case .didYouMean(let s): return pick("Você quis dizer `\(s)`?", "Did you mean `\(s)`?")
        case .statusAgenda(let n): return pick("agenda \(n)", "agenda \(n)")
        case .statusLosses(let n): return pick("perdas \(n)", "losses \(n)")
        case .statusChat(let n): return pick("chat \(n)", "chat \(n)")
        case .statusSync(let n): return pick("sync pendente \(n)", "sync pending \(n)")
        case .syncSent(let sent, let refused, let received, let pending):
            let kept = refused == 0 ? "" : pick(" (\(refused) recusadas pelo servidor, que as guarda)", " (\(refused) refused by the server, which keeps them)")
            return pick(
                "Sync: \(sent) \(sent == 1 ? "operação aceita" : "operações aceitas") pelo servidor\(kept); \(received) \(received == 1 ? "mudança recebida" : "mudanças recebidas"); \(pending) aguardando.",
                "Sync: \(sent) \(sent == 1 ? "operation" : "operations") taken by the server\(kept); \(received) \(received == 1 ? "change" : "changes") received; \(pending) waiting.")
        case .syncWaiting(let lag, let conflicts):
            let oldest = lag.map { pick("A mais antiga aguarda há \($0). ", "The oldest has waited \($0). ") } ?? ""
            return oldest + (conflicts == 0
                ? pick("Nenhum conflito.", "No conflicts.")
                : pick("\(conflicts) \(conflicts == 1 ? "conflito" : "conflitos"): veja `sync conflicts`.", "\(conflicts) \(conflicts == 1 ? "conflict" : "conflicts"): see `sync conflicts`."))
        case .noConflicts: return pick("Nenhum conflito: nenhuma edição perdeu para outra.", "No conflicts: no edit lost to another.")
        case .conflictRestored(let n):
            return pick("Valor do conflito \(n) reposto como nova edição; vai ao servidor na próxima sincronização.", "The value of conflict \(n) is back, as a new edit; it goes to the server at the next sync.")
        case .chatSent(let to):
            return pick("Mensagem para \(to.joined(separator: ", ")) guardada; entregue pela sincronização.", "Message to \(to.joined(separator: ", ")) kept; the sync delivers it.")
        case .noChat: return pick("Nenhuma mensagem. Envie com `chat AGENTE MENSAGEM`.", "No messages. Send one with `chat AGENT MESSAGE`.")
        case .syncOffline(let pending):
            return pick(
                "Sem conexão com o servidor: \(pending) \(pending == 1 ? "operação aguardando, enviada" : "operações aguardando, enviadas") quando a conexão voltar.",
                "The server cannot be reached: \(pending) \(pending == 1 ? "operation waits and goes" : "operations wait and go") when the link is back.")
        case .syncStandalone(let pending):
            return pick(
                "Estação sem servidor (config server.host vazio): nada a sincronizar; \(pending) operações guardadas.",
                "Standalone (config server.host is empty): nothing to sync; \(pending) operations kept.")
        case .syncHeldBack(let why):
            return pick(
                "O servidor reteve uma operação por ora (\(why)); ela e as seguintes voltam na próxima sincronização.",
                "The server held an operation back for now (\(why)); it and the later ones go at the next sync.")
        case .syncLast(let when):
            return when.map { pick("Última sincronização completa: \($0).", "Last complete sync: \($0).") }
                ?? pick("Nenhuma sincronização completa nesta sessão.", "No complete sync this session.")
        case .statusStandalone: return pick("modo local", "standalone")
        case .statusServer(let server, let online):
            return online ? pick("central \(server) conectada", "server \(server) online") : pick("central \(server) OFFLINE", "server \(server) OFFLINE")
        case .statusQueue(let waiting, let longest):
            return pick("Espera \(waiting) Tempo \(longest)", "Waiting \(waiting) Longest \(longest)")
        case .statusPause(let reason): return pick("PAUSA \(reason)", "PAUSED \(reason)")
        case .statusNoPause: return pick("PAUSA DESATIVADA", "NOT PAUSED")
        case .statusQualify(let n): return pick("qualificar \(n)", "qualify \(n)")
        case .statusCall(let attendance, let service, let phone, let contact):
            return pick(
                (attendance.map { "Atendimento: \($0)  " } ?? "") + "Serviço: \(service)  Telefone: \(phone)  Contato: \(contact)",
                (attendance.map { "Attendance: \($0)  " } ?? "") + "Service: \(service)  Phone: \(phone)  Contact: \(contact)")
        case .noPasswordAsked:
            return pick(
                "Nenhuma senha foi pedida: não a digite como comando.", "No password was asked for: do not type it as a command.")
        case .lineSkippedAfterFailure(let command):
            return pick(
                "error: linha ignorada após o `\(command)` que falhou: não é um comando (talvez uma senha); não foi executada, guardada nem mostrada.",
                "error: line skipped after the failed `\(command)`: it is not a command (perhaps a password); it was not run, kept or shown.")
        case .signInPrompt(let user): return pick("Senha de \(user): ", "Password for \(user): ")
        case .registryInstalled(let file, let by, let agents, let groups):
            return pick(
                "Cadastro \(file) instalado por \(by) (ato de administrador: define papéis e permissões de todos): \(agents) agente(s), \(groups) grupo(s). Vale a partir da próxima execução.",
                "Registry \(file) installed by \(by) (an admin act: it sets everyone's role and permissions): \(agents) agent(s), \(groups) group(s). It takes effect from the next run.")
        case .registryPerRunRefused(let source):
            return pick(
                "error: \(source) não é mais lido: um cadastro dado por execução não concede papéis. Um administrador instala o cadastro com `atende admin registry load ARQUIVO`.",
                "error: \(source) is no longer read: a registry given per run grants no role. An admin installs the registry with `atende admin registry load FILE`.")
        case .transferHostOpen(let host):
            return pick(
                "Atenção: a transferência de tela escuta em \(host), fora deste computador; o protocolo TCP (Anexo I) não tem autenticação: qualquer um que alcance a porta atende e disca por este agente.",
                "Warning: the screen transfer listens on \(host), beyond this computer; the TCP protocol (Annex I) has no authentication: anyone who reaches the port can answer and dial as this agent.")
        case .upgradingStore(let from, let to):
            return pick(
                "Atualizando o banco de dados da versão \(from) para a \(to); com anos de histórico leva até um minuto…",
                "Upgrading the store from version \(from) to \(to); with years of history this takes up to a minute…")
        case .clockRepaired(let until, let n):
            return pick(
                "O relógio do banco estava adiantado (até \(until)); \(n) edição(ões) carimbada(s) depois de agora foram recarimbadas com a hora atual.",
                "The store's clock was ahead (up to \(until)); \(n) edit(s) stamped after now were stamped again at the current time.")
        case .configurationRefused(let file, let location, let reason):
            return pick(
                "erro: configuração recusada: \(file): \(location): \(describe(reason)). Corrija e rode de novo.",
                "error: configuration refused: \(file): \(location): \(describe(reason)). Fix it and run again.")
        case .screenTransferStatus(let mode, let clients):
            return pick("Transferência de tela: \(mode) · clientes: \(clients)", "Screen transfer: \(mode) · clients: \(clients)")
        case .crmRefused(let source, let reason):
            return pick("CRM (\(source)) recusado: \(reason)", "CRM (\(source)) refused: \(reason)")
        case .trafficSet(let rate): return pick("Tráfego simulado: \(rate) chamada(s) por minuto.", "Simulated traffic: \(rate) call(s) per minute.")
        }
    }
}
