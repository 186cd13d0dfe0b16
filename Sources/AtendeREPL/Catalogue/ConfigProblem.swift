public import AtendeCore

/// Why a configuration file, or a start-up option, was refused: said by the catalogue in each language.
///
/// The decoder's and the system's own texts are not for the user; each becomes one of these.
public enum ConfigProblem: Equatable, Sendable {
    case unknownKey
    case invalidValue(String)
    /// The value is none of `choices` (`--clock`, `--lang`).
    case notAChoice([String])
    case dateTimeFormat
    /// A date and time the zone's clocks skip (the start of daylight saving time).
    case timeInGap(String, timeZone: String)
    /// A number of seconds outside `from`…`to` (as written in the file).
    case secondsOutOfRange(from: String, to: String)
    /// A `transfer.host` other than loopback in a file given per run: only an admin opens the CRM port.
    case loopbackOnly
    /// A server address that is not `HOST` or `HOST:PORT`.
    case serverAddress
    case loginPolicy
    case noGroup
    case appearsTwice(String)
    case unknownGroup(String)
    case productivePauseWithoutCode
    case unreadable(SystemProblem)
    case cannotCreateFolder(SystemProblem)
    case invalidJSON
    case missing
    case missingValue
    /// A JSON value of the wrong kind where `expected` was wanted.
    case wrongType(expected: JSONKind)

    public enum JSONKind: Equatable, Sendable {
        case text, number, onOff, list, object
    }
}

extension Catalogue {
    public func describe(_ p: ConfigProblem) -> String {
        func or(_ choices: [String]) -> String {
            choices.count < 2 ? choices.joined() : choices.dropLast().joined(separator: ", ") + pick(" ou ", " or ") + choices.last!
        }
        switch p {
        case .unknownKey: return pick("chave desconhecida", "unknown key")
        case .invalidValue(let v): return pick("valor inválido \"\(v)\"", "invalid value \"\(v)\"")
        case .notAChoice(let choices): return pick("use ", "use ") + or(choices)
        case .dateTimeFormat: return pick("use aaaa-mm-dd HH:MM ou dd/mm/aaaa HH:MM", "use yyyy-mm-dd HH:MM or dd/mm/yyyy HH:MM")
        case .timeInGap(let text, let zone):
            // The rule's own sentence, ended by the line it goes into.
            let line = describe(AtendeError.timeInGap(text, timeZone: zone))
            return line.hasSuffix(".") ? String(line.dropLast()) : line
        case .secondsOutOfRange(let from, let to): return pick("use de \(from) a \(to) segundos", "use \(from) to \(to) seconds")
        case .loopbackOnly:
            return pick(
                "aqui só loopback; um administrador abre a porta do CRM com `config transfer.host`",
                "only loopback here; an admin opens the CRM port with `config transfer.host`")
        case .loginPolicy:
            return pick(
                "precisa de minimumPasswordLength ≥ 4, attemptsBeforeLock > attemptsBeforeDelay ≥ 1, lockMinutes ≥ 1",
                "needs minimumPasswordLength ≥ 4, attemptsBeforeLock > attemptsBeforeDelay ≥ 1, lockMinutes ≥ 1")
        case .serverAddress: return pick("use HOST ou HOST:PORTA", "use HOST or HOST:PORT")
        case .noGroup: return pick("nenhum grupo definido", "no group is defined")
        case .appearsTwice(let name): return pick("\"\(name)\" aparece duas vezes", "\"\(name)\" appears twice")
        case .unknownGroup(let g): return pick("grupo desconhecido \"\(g)\"", "unknown group \"\(g)\"")
        case .productivePauseWithoutCode: return pick("uma pausa produtiva precisa de um código", "a productive pause needs a code")
        case .unreadable(let problem): return pick("não pode ser lido (\(describe(problem)))", "cannot be read (\(describe(problem)))")
        case .cannotCreateFolder(let problem):
            return pick("não foi possível criar a pasta (\(describe(problem)))", "cannot create the folder (\(describe(problem)))")
        case .invalidJSON: return pick("não é JSON válido", "not valid JSON")
        case .missing: return pick("falta", "missing")
        case .missingValue: return pick("sem valor", "missing value")
        case .wrongType(let kind):
            switch kind {
            case .text: return pick("deve ser um texto entre aspas", "should be a text in quotes")
            case .number: return pick("deve ser um número", "should be a number")
            case .onOff: return pick("deve ser true ou false", "should be true or false")
            case .list: return pick("deve ser uma lista [ … ]", "should be a list [ … ]")
            case .object: return pick("deve ser um objeto { … }", "should be an object { … }")
            }
        }
    }
}
