import Foundation
public import AtendeCore
public import AtendeWorkstation

/// A line the REPL could not turn into a command.
public enum CommandError: Error, Equatable, Sendable {
    case unknownCommand(String, suggestion: String?)
    /// The first word of several commands (`sim`, `note`) followed by none of theirs.
    case unknownSubcommand(String, family: String, commands: [String])
    case missingArgument(command: String, argument: String)
    case tooManyArguments(command: String, extra: String)
    case unknownOption(command: String, option: String)
    case optionNeedsValue(command: String, option: String)
    case invalidNumber(command: String, argument: String, value: String)
    case unterminatedQuote
    case invalidValue(command: String, argument: String, value: String, expected: String)
    case inputEnded(expected: String)
    /// Words after `login USER GROUP` or `passwd`: most likely a password, never echoed.
    case passwordOnCommandLine(command: String)
}

extension Catalogue {
    /// What every error line starts with: `erro: ` in Portuguese, `error: ` in English.
    public var errorPrefix: String { pick("erro: ", "error: ") }

    /// `error: <what>. <what to do>` for a broken rule.
    public func error(_ e: AtendeError) -> String {
        errorPrefix + describe(e)
    }

    public func error(_ e: CommandError) -> String {
        errorPrefix + describe(e)
    }

    public func error(_ e: StoreError) -> String {
        switch e {
        case .tooNew(let path, _):
            return errorPrefix
                + pick(
                    "o banco \(path) foi gravado por uma versão mais nova do Atende. Atualize o Atende; o arquivo não foi alterado.",
                    "the database \(path) was written by a newer version of Atende. Upgrade Atende; the file was not changed.")
        case .sqlite(let path, let code, let message):
            return errorPrefix
                + pick(
                    "o banco \(path) recusou a operação (SQLite \(code): \(message)). Nada foi alterado; verifique o disco e as permissões.",
                    "the database \(path) refused the operation (SQLite \(code): \(message)). Nothing was changed; check the disk and permissions.")
        case .io(let path, _):
            // The message is the underlying error's own text: not for the user.
            return errorPrefix
                + pick(
                    "falha ao acessar \(path). Nada foi alterado; verifique o disco e as permissões.",
                    "could not access \(path). Nothing was changed; check the disk and permissions.")
        case .locked(let path):
            return errorPrefix
                + pick(
                    "outro programa está usando o banco \(path) e não o liberou a tempo. Nada foi alterado; repita quando ele terminar.",
                    "another program is using the database \(path) and did not let go in time. Nothing was changed; try again when it is done.")
        case .moved(let path):
            return errorPrefix
                + pick(
                    "o arquivo do banco \(path) foi apagado ou substituído com o Atende aberto: nada mais é salvo. Saia, restaure o arquivo e abra de novo.",
                    "the database file \(path) was deleted or replaced while Atende was running: nothing more is saved. Exit, restore the file and start again.")
        case .journalWithoutDatabase(let path):
            return errorPrefix
                + pick(
                    "\(path)-wal existe, mas o banco \(path) sumiu ou está vazio. Nada foi alterado; restaure o banco ou, para começar do zero, mova os dois para outro lugar.",
                    "\(path)-wal is there but the database \(path) is missing or empty. Nothing was changed; restore the database, or move both away to start afresh.")
        case .foreignJournal(let path):
            return errorPrefix
                + pick(
                    "\(path)-wal é de outro banco, não de \(path). Nada foi alterado; mova o -wal para outro lugar e abra de novo.",
                    "\(path)-wal belongs to another database, not to \(path). Nothing was changed; move the -wal away and start again.")
        case .corrupt(let path, let reason):
            return errorPrefix
                + pick(
                    "o banco \(path) está danificado (\(reason)). Nada foi alterado; restaure-o de uma cópia de segurança.",
                    "the database \(path) is damaged (\(reason)). Nothing was changed; restore it from a backup.")
        }
    }

    /// A file that could not be opened, read or written.
    public func error(_ e: FileIOError) -> String {
        let problem = describe(SystemProblem(errno: e.code))
        switch e.operation {
        case .open:
            return errorPrefix + pick(
                "não foi possível abrir \(e.path): \(problem). Confira o caminho e as permissões.",
                "cannot open \(e.path): \(problem). Check the path and the permissions.")
        case .read:
            return errorPrefix + pick("falha ao ler \(e.path): \(problem).", "reading \(e.path) failed: \(problem).")
        case .write, .sync, .close:
            return errorPrefix + pick(
                "falha ao gravar \(e.path): \(problem); o arquivo está incompleto. Libere espaço ou escolha outro caminho e repita.",
                "writing \(e.path) failed: \(problem); the file is incomplete. Free some space or choose another path and run again.")
        case .rename:
            return errorPrefix + pick(
                "não foi possível pôr \(e.path) no lugar: \(problem); o arquivo não foi alterado. Confira a pasta e as permissões e repita.",
                "could not put \(e.path) in place: \(problem); the file was not changed. Check the folder and the permissions and run again.")
        }
    }

    /// Any error, rendered as one line; an error of no known kind is named by what the system says of it, never by its own text.
    public func error(_ e: any Error) -> String {
        switch e {
        case let e as AtendeError: return error(e)
        case let e as CommandError: return error(e)
        case let e as StoreError: return error(e)
        case let e as FileIOError: return error(e)
        case let e as CSVError:
            return errorPrefix + pick("linha \(e.line) do arquivo: ", "line \(e.line) of the file: ") + describe(ImportProblem.syntax(e.kind))
        default:
            return errorPrefix + pick(
                "falha inesperada (\(describe(SystemProblem(e)))). Nada foi alterado.",
                "unexpected failure (\(describe(SystemProblem(e)))). Nothing was changed.")
        }
    }

    /// What the system said, as a reason.
    public func describe(_ p: SystemProblem) -> String {
        switch p {
        case .notFound: return pick("não existe", "it does not exist")
        case .permissionDenied: return pick("sem permissão", "permission denied")
        case .alreadyExists: return pick("já existe", "it already exists")
        case .notADirectory: return pick("uma parte do caminho não é uma pasta", "part of the path is not a folder")
        case .isADirectory: return pick("é uma pasta", "it is a folder")
        case .noSpace: return pick("o disco está cheio", "the disk is full")
        case .readOnly: return pick("o disco é somente leitura", "the disk is read-only")
        case .tooManyOpenFiles: return pick("arquivos abertos demais", "too many open files")
        case .symlinkLoop: return pick("links simbólicos em laço", "symbolic links in a loop")
        case .nameTooLong: return pick("nome longo demais", "the name is too long")
        case .addressInUse: return pick("a porta já está em uso por outro programa", "the port is in use by another program")
        case .addressNotAvailable: return pick("o endereço não é desta máquina", "the address is not one of this machine's")
        case .unknownHost: return pick("nome de máquina desconhecido", "unknown host name")
        case .ioFailure: return pick("erro de leitura ou gravação no disco", "a disk read or write error")
        case .other(let code) where code == 0: return pick("falha do sistema", "a system failure")
        case .other(let code): return pick("erro do sistema \(code)", "system error \(code)")
        }
    }

    func describe(_ e: CommandError) -> String {
        switch e {
        case .unknownCommand(let c, let suggestion):
            let hint = suggestion.map { " " + text(.didYouMean($0)) } ?? pick(" Digite `help` para a lista.", " Type `help` for the list.")
            return pick("comando desconhecido \"\(c)\".", "unknown command \"\(c)\".") + hint
        case .unknownSubcommand(let c, let family, let commands):
            let list = commands.map { "`\($0)`" }.joined(separator: ", ")
            return pick(
                "comando desconhecido \"\(c)\". Os comandos de \(family): \(list) (veja `help \(family)`).",
                "unknown command \"\(c)\". The \(family) commands: \(list) (see `help \(family)`).")
        case .missingArgument(let c, let a):
            return pick("falta \(placeholders(a)) em `\(c)`. Veja `help \(c)`.", "`\(c)` needs \(a). See `help \(c)`.")
        case .tooManyArguments(let c, let extra):
            return pick(
                "argumento a mais em `\(c)`: \"\(extra)\". Use aspas em textos com espaços; veja `help \(c)`.",
                "too many arguments for `\(c)`: \"\(extra)\". Quote text with spaces; see `help \(c)`.")
        case .unknownOption(let c, let o):
            return pick("opção desconhecida \(o) em `\(c)`. Veja `help \(c)`.", "unknown option \(o) for `\(c)`. See `help \(c)`.")
        case .optionNeedsValue(let c, let o):
            return pick("a opção \(o) de `\(c)` precisa de um valor.", "option \(o) of `\(c)` needs a value.")
        case .invalidNumber(let c, let a, let v):
            return pick(
                "\(placeholders(a)) de `\(c)` deve ser um número, não \"\(v)\".", "\(a) of `\(c)` must be a number, not \"\(v)\".")
        case .unterminatedQuote:
            return pick("aspas sem fechamento. Feche as aspas e repita o comando.", "unterminated quote. Close the quote and try again.")
        case .invalidValue(let c, let a, let v, let expected):
            return pick("\(a) de `\(c)` inválido: \"\(v)\". Use \(expected).", "invalid \(a) for `\(c)`: \"\(v)\". Use \(expected).")
        case .inputEnded(let expected):
            return pick("a entrada terminou antes de \(expected).", "input ended before \(expected).")
        case .passwordOnCommandLine(let c):
            return pick(
                "`\(c)` não recebe senha na linha (ela não foi mostrada nem guardada): digite só `\(CommandSpec.spec(c == "passwd" ? .passwd : .login).usage)` e a senha quando for pedida.",
                "`\(c)` takes no password on its line (it was neither shown nor kept): type just `\(CommandSpec.spec(c == "passwd" ? .passwd : .login).usage)` and the password when asked.")
        }
    }

    func describe(_ e: AtendeError) -> String {
        switch e {
        case .notLoggedIn:
            return pick("ninguém conectado. Entre com `login USUÁRIO GRUPO`.", "not logged in. Log in with `login USER GROUP`.")
        case .alreadyLoggedIn(let agent):
            return pick("\(agent) já está conectado. Use `logout` antes.", "\(agent) is already logged in. Use `logout` first.")
        case .unknownAgent(let a):
            return pick(
                "agente \"\(a)\" não cadastrado. Confira o apelido com o supervisor.",
                "agent \"\(a)\" is not registered. Check the nickname with your supervisor.")
        case .unknownGroup(let g):
            return pick("grupo \"\(g)\" não existe. Confira o nome do grupo.", "group \"\(g)\" does not exist. Check the group name.")
        case .agentNotInGroup(let a, let g):
            return pick(
                "\(a) não pertence ao grupo \(g). Entre em um grupo seu.", "\(a) does not belong to group \(g). Log in to one of your groups.")
        case .wrongPassword(let left):
            return pick(
                "senha incorreta (\(max(left, 0)) tentativa(s) antes do bloqueio). Tente de novo.",
                "wrong password (\(max(left, 0)) attempt(s) left before lock-out). Try again.")
        case .loginThrottled(let s):
            return pick(
                "muitas tentativas erradas: aguarde \(s) s antes de tentar de novo.",
                "too many failed attempts: wait \(s) s before trying again.")
        case .accountLocked(let s):
            return pick(
                "conta bloqueada por tentativas erradas: tente em \((s + 59) / 60) min ou peça ajuda ao supervisor.",
                "account locked after failed attempts: try again in \((s + 59) / 60) min or ask your supervisor.")
        case .passwordsDiffer:
            return pick("a confirmação não confere com a nova senha. Digite as duas iguais.", "the confirmation does not match the new password. Type the same twice.")
        case .passwordTooShort(let min):
            return pick("senha curta demais. Use ao menos \(min) caracteres.", "password too short. Use at least \(min) characters.")
        case .passwordMissing:
            return pick("agente sem senha cadastrada. Faça o primeiro login para criá-la.", "this agent has no password yet. Log in once to create it.")
        case .passwordUnchanged:
            return pick("a nova senha é igual à atual. Escolha outra.", "the new password is the current one. Choose another.")
        case .signInNeeded(let command):
            return pick(
                "`atende \(command)` precisa de login: informe --user APELIDO (a senha é pedida, ou lida da primeira linha da entrada).",
                "`atende \(command)` needs a login: give --user NICKNAME (the password is asked for, or read from the first line of standard input).")
        case .registryAdminOnly:
            return pick(
                "só administradores instalam um cadastro (registry). Peça a um administrador.",
                "only admins install a registry. Ask an admin to do it.")
        case .transferHostNotLoopback(let host):
            return pick(
                "só administradores abrem a porta do CRM para a rede (transfer.host \"\(host)\"). Use 127.0.0.1 ou peça a um administrador.",
                "only admins open the CRM port to the network (transfer.host \"\(host)\"). Use 127.0.0.1 or ask an admin.")
        case .refusedSymlink(let path):
            return pick(
                "\(path) é um link simbólico; o Atende não grava através de links. Escolha outro caminho.",
                "\(path) is a symbolic link; Atende does not write through links. Choose another path.")
        case .transferFolderMissing(let path):
            return pick(
                "a pasta \(path) não existe. Crie-a (o Atende cria só as pastas dos ramais dentro dela) e repita.",
                "the folder \(path) does not exist. Create it (Atende creates only the extensions' folders inside it) and try again.")
        case .tlsFileUnreadable, .tlsKeyMismatch, .tlsPairIncomplete, .serverCertificateUntrusted, .serverTLSMismatch:
            return describeServerTLS(e)
        case .secretKeyInvalid(let path):
            return pick(
                "\(path) não é uma chave de 32 bytes. Restaure-a de uma cópia de segurança; sem ela, o pabx.password guardado não pode ser aberto e deve ser definido de novo.",
                "\(path) is not a key of 32 bytes. Restore it from a backup; without it the stored pabx.password cannot be opened and must be set again.")
        case .invalidDate(let d):
            return pick(
                "data inválida \"\(d)\". Use dd/mm/aaaa HH:MM ou aaaa-mm-dd HH:MM.",
                "invalid date \"\(d)\". Use dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM.")
        case .timeInGap(let d, let zone):
            return pick(
                "\"\(d)\" não existe no fuso \(zone): os relógios pulam essa hora quando começa o horário de verão. Use um horário antes ou depois do salto.",
                "\"\(d)\" does not exist in time zone \(zone): the clocks skip that hour when daylight saving time starts. Use a time before or after the gap.")
        case .invalidTimeRange(let t):
            return pick("faixa de horário inválida \"\(t)\". Use HH:MM-HH:MM.", "invalid time range \"\(t)\". Use HH:MM-HH:MM.")
        case .endBeforeStart:
            return pick("o fim é anterior ao início. Informe um fim igual ou posterior.", "the end is before the start. Give an end at or after the start.")
        case .invalidPhone(let p, let reason):
            return pick("telefone inválido \"\(p)\": ", "invalid phone \"\(p)\": ") + describe(reason)
        case .emptyField(let f):
            return pick("\(field(f)) é obrigatório. Informe um valor.", "\(field(f)) is required. Give a value.")
        case .fieldTooLong(let f, let max):
            return pick("\(field(f)) passa de \(max) caracteres. Encurte o texto.", "\(field(f)) is longer than \(max) characters. Shorten it.")
        case .invalidNumber(let n):
            return pick("número \"\(n)\" não encontrado. Confira na listagem.", "number \"\(n)\" not found. Check the listing.")
        case .noSuchNote(let n):
            return pick("não há aviso \(n). Veja `notes`.", "there is no note \(n). See `notes`.")
        case .noSuchAgendaEvent(let n):
            return pick("não há evento \(n) na sua agenda. Veja `agenda`.", "there is no agenda event \(n) of yours. See `agenda`.")
        case .noSuchContact(let t):
            return pick("nenhum contato encontrado para \"\(t)\". Veja `contacts TEXTO`.", "no contact found for \"\(t)\". See `contacts TEXT`.")
        case .ambiguousContact(let t, let n):
            return pick(
                "\"\(t)\" encontra \(n)+ contatos. Use o número do contato.", "\"\(t)\" finds \(n)+ contacts. Use the contact's number.")
        case .phoneNotOnContact(let n, let p):
            return pick(
                "o contato \(n) não tem o telefone \"\(p)\". Veja os telefones com `contacts show \(n)`.",
                "contact \(n) has no phone \"\(p)\". See its phones with `contacts show \(n)`.")
        case .agendaEventAlreadyDone(let n):
            return pick("o evento \(n) já está finalizado. Use `agenda reopen \(n)` para reabrir.", "event \(n) is already done. Use `agenda reopen \(n)` to reopen it.")
        case .agendaEventNotDone(let n):
            return pick("o evento \(n) não está finalizado.", "event \(n) is not done.")
        case .unknownAgentForAgenda(let a):
            return pick("agente \"\(a)\" não cadastrado.", "agent \"\(a)\" is not registered.")
        case .unknownConfigKey(let k):
            return pick("chave de configuração desconhecida \"\(k)\". Veja `config`.", "unknown configuration key \"\(k)\". See `config`.")
        case .invalidConfigValue(let k, let v, let expected):
            return pick("valor inválido para \(k): \"\(v)\". Use ", "invalid value for \(k): \"\(v)\". Use ") + describe(expected) + "."
        case .lossReportDisabled:
            return pick(
                "o relatório de perdas está desligado. Ligue com `config loss-report on`.",
                "the loss report is off. Turn it on with `config loss-report on`.")
        case .permissionDenied(let p):
            return pick(
                "sem permissão de \(p.rawValue). Peça ao supervisor.", "you lack the \(p.rawValue) permission. Ask your supervisor.")
        case .supervisorOnly:
            return pick(
                "só supervisores e administradores agem por outros agentes.", "only supervisors and admins can act for other agents.")
        case .noCallEngine:
            return pick("não há central conectada a esta estação.", "no call center is connected to this workstation.")
        case .switchForbidden(let reason):
            return pick(
                "a central recusou o pedido para esta sessão (\(reason)).", "the call center refused the request for this session (\(reason)).")
        case .serverUnreachable:
            return pick(
                "sem conexão com a central: a telefonia volta quando a conexão voltar; agenda, notas, contatos e histórico seguem funcionando.",
                "no connection to the call center: telephony resumes when the link is back; agenda, notes, contacts and history keep working.")
        case .syncFailed(let reason):
            return pick(
                "a sincronização não terminou (\(reason)); nada saiu do outbox sem resposta do servidor: tente sync de novo.",
                "sync did not complete (\(reason)); nothing left the outbox without the server's answer: try sync again.")
        case .noSuchConflict(let n):
            return pick("não há conflito \(n). Veja `sync conflicts`.", "there is no conflict \(n). See `sync conflicts`.")
        case .conflictNotRestorable(let n):
            return pick(
                "o valor do conflito \(n) não pode ser reposto aqui (o registro não existe mais nesta estação ou não é editável no REPL).",
                "the value of conflict \(n) cannot be put back here (its record is gone from this workstation or is not one the REPL edits).")
        case .noChatRecipient:
            return pick("diga para quem: `chat luan MENSAGEM` (vários separados por vírgula).", "say to whom: `chat luan MESSAGE` (several separated by commas).")
        case .unknownChatAgent(let a):
            return pick(
                "agente \"\(a)\" não cadastrado. Separe vários por vírgula: `chat luan,maria MENSAGEM`.",
                "agent \"\(a)\" is not registered. Separate several with commas: `chat luan,maria MESSAGE`.")
        case .nothingRinging:
            return pick("nenhuma chamada tocando neste ramal.", "no call is ringing on this extension.")
        case .noCall:
            return pick("não há chamada em andamento. Use `dial NÚMERO` ou aguarde uma chamada.", "there is no call in progress. Use `dial NUMBER` or wait for a call.")
        case .callInProgress:
            return pick("já há uma chamada em andamento. Encerre-a (`hangup`) ou use `consult`.", "a call is already in progress. End it (`hangup`) or use `consult`.")
        case .consultInProgress:
            return pick(
                "há uma consulta em andamento com o cliente em espera. Use `return` para voltar ao cliente ou `transfer` para completá-la.",
                "a consult is in progress with the caller on hold. Use `return` to go back to the caller or `transfer` to complete it.")
        case .consultRinging:
            return pick(
                "a consulta ainda está chamando. Aguarde o atendimento ou use `return` para voltar ao cliente.",
                "the consult is still ringing. Wait for an answer or use `return` to go back to the caller.")
        case .extensionTaken(let e):
            return pick(
                "o ramal \(e) já está em uso por outro agente (ou você já está logado nele). Use `config extension` para outro ramal.",
                "extension \(e) is already in use by another agent (or you are logged in there). Use `config extension` for another one.")
        case .queueFull(let group):
            return pick(
                "a fila do grupo \(group) está cheia: o cliente recebe ocupado. Atenda ou deixe as chamadas saírem da fila.",
                "the queue of group \(group) is full: the caller gets busy. Answer calls or let them leave the queue.")
        case .advanceTooLong(let maximum):
            return pick(
                "não é possível avançar mais de \(maximum) segundos de uma vez. Use um número menor.",
                "the clock cannot move more than \(maximum) seconds at once. Use a smaller number.")
        case .notOnHold:
            return pick("a chamada não está em espera.", "the call is not on hold.")
        case .noHeldCall:
            return pick(
                "não há cliente em espera. Use `consult ALVO` para pôr o cliente em espera e ligar para alguém.",
                "there is no caller on hold. Use `consult TARGET` to put the caller on hold and call someone.")
        case .notConsulting:
            return pick("não há consulta em andamento. Use `consult ALVO` antes.", "there is no consult in progress. Use `consult TARGET` first.")
        case .targetBusy(let t):
            return pick("o ramal \(t) está ocupado. Tente mais tarde.", "extension \(t) is busy. Try again later.")
        case .targetLoggedOut(let t):
            return pick("ninguém está logado no ramal \(t).", "nobody is logged in at extension \(t).")
        case .unknownExtension(let t):
            return pick("ramal ou agente \"\(t)\" desconhecido. Veja `extensions`.", "unknown extension or agent \"\(t)\". See `extensions`.")
        case .nothingToCapture:
            return pick("nenhuma chamada tocando em colegas do grupo.", "no call is ringing on a colleague of the group.")
        case .captureBlocked:
            return pick(
                "a captura está bloqueada nesta estação. Libere com `config block-capture off`.",
                "capture is blocked on this workstation. Allow it with `config block-capture off`.")
        case .nothingToBarge(let t):
            return pick("o ramal \(t) não está em chamada.", "extension \(t) is not on a call.")
        case .unknownService(let sv):
            return pick("serviço \"\(sv)\" desconhecido. Use o nome ou o número de um serviço.", "unknown service \"\(sv)\". Use a service's name or number.")
        case .noQueuedCall:
            return pick("não há chamada na fila.", "no call is waiting in the queue.")
        case .notPaused:
            return pick("o agente não está em pausa.", "the agent is not paused.")
        case .alreadyPaused:
            return pick("o agente já está em pausa. Use `unpause` antes de trocar o motivo.", "the agent is already paused. Use `unpause` before changing the reason.")
        case .unknownPauseReason(let r):
            return pick("motivo de pausa \"\(r)\" desconhecido. Use o nome ou o código de um motivo.", "unknown pause reason \"\(r)\". Use a reason's name or code.")
        case .unknownQualificationCode(let c):
            return pick("código de qualificação \"\(c)\" desconhecido. Veja `help qualify`.", "unknown qualification code \"\(c)\". See `help qualify`.")
        case .unknownRecordingReason(let r):
            return pick("motivo de gravação \"\(r)\" desconhecido.", "unknown recording reason \"\(r)\".")
        case .alreadyRecording:
            return pick(
                "a gravação já está em andamento. Digite `record` sozinho para pará-la.",
                "a recording is already running. Type `record` alone to stop it.")
        case .qualificationPending(let n):
            return pick(
                "qualifique o atendimento \(n) antes da próxima chamada: `qualify CÓDIGO`.",
                "qualify attendance \(n) before the next call: `qualify CODE`.")
        case .nothingToQualify:
            return pick("não há atendimento para qualificar. Informe o número: `qualify N CÓDIGO`.", "there is no attendance to qualify. Give its number: `qualify N CODE`.")
        case .nothingToRedial:
            return pick("nenhum número discado ainda. Use `dial NÚMERO`.", "nothing dialled yet. Use `dial NUMBER`.")
        case .logoutDuringCall:
            return pick("há uma chamada em andamento. Encerre-a ou use `logout --force`.", "a call is in progress. End it or use `logout --force`.")
        case .adminOnly:
            return pick("só administradores podem intercalar.", "only admins can barge in.")
        case .clockNotManual:
            return pick("`sim advance` só move o relógio manual. Rode com `--clock manual`.", "`sim advance` moves only the manual clock. Run with `--clock manual`.")
        case .transferCannotListen(let address, let problem):
            return pick(
                "a transferência de tela não pode escutar em \(address): \(describe(problem)). Escolha outra porta (`config transfer tcp PORTA`) ou outro endereço (`config transfer.host`).",
                "the screen transfer cannot listen on \(address): \(describe(problem)). Choose another port (`config transfer tcp PORT`) or address (`config transfer.host`).")
        case .transferFolderUnusable(let path, let problem):
            return pick(
                "a transferência de tela não pode usar a pasta \(path): \(describe(problem)). Escolha outra pasta com `config transfer txt PASTA`.",
                "the screen transfer cannot use the folder \(path): \(describe(problem)). Choose another folder with `config transfer txt DIR`.")
        case .fileNotFound(let p):
            return pick("arquivo não encontrado: \(p). Confira o caminho.", "file not found: \(p). Check the path.")
        case .fileUnreadable(let p, let problem):
            return pick(
                "não foi possível ler \(p): \(describe(problem)). Confira o caminho e as permissões.",
                "cannot read \(p): \(describe(problem)). Check the path and the permissions.")
        case .fileNotUTF8(let p):
            return pick(
                "o arquivo \(p) não está em UTF-8 (parece UTF-16 ou Latin-1). Salve-o como UTF-8 (\"CSV UTF-8\" na planilha) e repita.",
                "the file \(p) is not UTF-8 text (it looks like UTF-16 or Latin-1). Save it as UTF-8 (\"CSV UTF-8\" in a spreadsheet) and try again.")
        case .csvMissingColumn(let c):
            return pick(
                "o CSV não tem a coluna \"\(c)\" no cabeçalho. A primeira linha deve nomear as colunas (name, phone, company, email, notes).",
                "the CSV has no \"\(c)\" column in its header. The first line must name the columns (name, phone, company, email, notes).")
        case .invalidFormat(let f):
            return pick("formato desconhecido \"\(f)\". Use csv ou jsonl.", "unknown format \"\(f)\". Use csv or jsonl.")
        }
    }

    func describe(_ e: PhoneError) -> String {
        switch e {
        case .empty: return pick("vazio.", "empty.")
        case .invalidCharacter(let c): return pick("caractere \"\(c)\" não é permitido.", "character \"\(c)\" is not allowed.")
        case .tooShort: return pick("poucos dígitos.", "too few digits.")
        case .tooLong: return pick("dígitos demais.", "too many digits.")
        case .invalidAreaCode(let a): return pick("DDD \(a) inválido.", "area code \(a) is not valid.")
        }
    }

    func describe(_ e: ConfigExpectation) -> String {
        switch e {
        case .onOff: return pick("on ou off", "on or off")
        case .port: return pick("uma porta de 1 a 65535", "a port from 1 to 65535")
        case .digits(let r):
            return r.lowerBound == r.upperBound
                ? pick("\(r.lowerBound) dígito(s)", "\(r.lowerBound) digit(s)")
                : pick("de \(r.lowerBound) a \(r.upperBound) dígitos", "\(r.lowerBound) to \(r.upperBound) digits")
        case .areaCode: return pick("um DDD de 2 dígitos (11 a 99)", "a 2-digit area code (11 to 99)")
        case .transfer: return pick("tcp PORTA, txt PASTA ou off", "tcp PORT, txt DIR or off")
        case .sound: return pick("bell ou wav ARQUIVO.wav", "bell or wav FILE.wav")
        case .seconds(let r): return pick("segundos de \(r.lowerBound) a \(r.upperBound)", "seconds from \(r.lowerBound) to \(r.upperBound)")
        case .url: return pick("um endereço http:// ou https://", "an http:// or https:// address")
        case .language: return pick("pt ou en", "pt or en")
        }
    }

    /// An import row's problem as a reason.
    public func describe(_ p: ImportProblem) -> String {
        switch p {
        case .rule(let e): return describe(e)
        case .syntax(let kind):
            switch kind {
            case .unterminatedQuote: return pick("aspas sem fechamento.", "unterminated quote.")
            case .quoteInUnquotedField: return pick("aspas no meio de um campo sem aspas.", "quote inside an unquoted field.")
            case .invalidUTF8: return pick("texto não está em UTF-8.", "text is not UTF-8.")
            }
        case .tooManyFields(let expected, let found):
            return pick("\(found) campos, o cabeçalho tem \(expected).", "\(found) fields, the header has \(expected).")
        }
    }

    /// The name of a field, as people call it.
    func field(_ f: String) -> String {
        let names: [String: (String, String)] = [
            "name": ("o nome", "the name"), "text": ("o texto", "the text"), "start": ("o início", "the start"),
            "end": ("o fim", "the end"), "phone": ("o telefone", "the phone"),
            "message": ("a mensagem", "the message"),
        ]
        guard let n = names[f] else { return f }
        return pick(n.0, n.1)
    }
}
