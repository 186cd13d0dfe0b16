import Foundation
/// Every command of the REPL.
public enum CommandID: String, CaseIterable, Sendable {
    case help, login, logout, exit, passwd, status, sync, syncConflicts, syncRestore, chat
    case notes, noteAdd, noteEdit, noteRemove
    case contacts, contactAdd, contactShow, contactEdit
    case agenda, agendaDay, agendaWeek, agendaMonth, agendaNew, agendaEdit, agendaDone, agendaReopen, agendaDial
    case config
    case calls, attendance, losses, search, stats
    case answer, hangup, dial, call, redial, hold, transfer, consult, returnCall, conference, record, support
    case pause, unpause, capture, barge, qualify, sound, extensions
    case simIncoming, simRing, simAnswer, simHangup, simAbandon, simAgent, simAdvance, simTraffic
}

/// An option of a command: `--name VALUE` or a `--flag`.
public struct OptionSpec: Sendable {
    public let name: String
    public let alias: String?
    public let takesValue: Bool
    public let repeatable: Bool

    static func value(_ name: String, _ alias: String? = nil, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, alias: alias, takesValue: true, repeatable: repeatable)
    }

    static func flag(_ name: String, _ alias: String? = nil) -> OptionSpec {
        OptionSpec(name: name, alias: alias, takesValue: false, repeatable: false)
    }
}

/// A positional argument; the last one may take the rest of the line.
public struct ArgumentSpec: Sendable {
    public let name: String
    public let required: Bool
    public let rest: Bool

    static func required(_ name: String) -> ArgumentSpec { ArgumentSpec(name: name, required: true, rest: false) }
    static func optional(_ name: String) -> ArgumentSpec { ArgumentSpec(name: name, required: false, rest: false) }
    static func text(_ name: String, required: Bool = true) -> ArgumentSpec {
        ArgumentSpec(name: name, required: required, rest: true)
    }
}

/// One command: English name, Portuguese aliases, shortcut, arguments and options.
///
/// The table ``CommandSpec/all`` is what parsing, `help`, completion, aliases and shortcuts read.
public struct CommandSpec: Sendable {
    public let id: CommandID
    /// One or two words: `notes`, `note add`.
    public let name: String
    public let aliases: [String]
    public let shortcut: String?
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let needsSession: Bool

    init(
        _ id: CommandID, _ name: String, aliases: [String] = [], shortcut: String? = nil, arguments: [ArgumentSpec] = [],
        options: [OptionSpec] = [], needsSession: Bool = true
    ) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.shortcut = shortcut
        self.arguments = arguments
        self.options = options
        self.needsSession = needsSession
    }

    /// The commands of two words or more whose first word is `word` (`sim` → `sim incoming` …),
    /// by name or Portuguese alias, when `word` is not a command itself.
    public static func family(_ word: String) -> [CommandSpec] {
        let w = fold(word)
        guard !w.isEmpty, !all.contains(where: { fold($0.name) == w || $0.aliases.contains { fold($0) == w } }) else { return [] }
        return all.filter { spec in
            ([spec.name] + spec.aliases).contains { name in
                let parts = name.split(separator: " ")
                return parts.count > 1 && fold(parts[0]) == w
            }
        }
    }

    /// `name ARG [OPT] [--option VALUE…]`, short enough for the list of commands: the full usage, or
    /// without the options when that is long.
    public var shortUsage: String {
        let full = usage
        guard full.count > 36, !options.isEmpty else { return full }
        var parts = [name]
        for a in arguments {
            let n = a.rest ? a.name + "…" : a.name
            parts.append(a.required ? n : "[\(n)]")
        }
        return (parts + ["[--OPTION…]"]).joined(separator: " ")
    }

    /// `name ARG [OPT] [--option VALUE]`, as help shows it.
    public var usage: String {
        var parts = [name]
        for a in arguments {
            let n = a.rest ? a.name + "…" : a.name
            parts.append(a.required ? n : "[\(n)]")
        }
        for o in options {
            // The value is named after the option's last word: `--remove-phone PHONE`.
            parts.append(o.takesValue ? "[--\(o.name) \(o.name.split(separator: "-").last!.uppercased())]" : "[--\(o.name)]")
        }
        return parts.joined(separator: " ")
    }

    static let contactFields: [OptionSpec] = [
        .value("name", "nome"), .value("phone", "telefone", repeatable: true), .value("company", "empresa"),
        .value("email"), .value("notes", "obs"),
    ]

    static let agendaFields: [OptionSpec] = [
        .value("name", "nome"), .value("phone", "telefone"), .value("start", "inicio"), .value("end", "fim"),
        .flag("all-day", "dia-todo"), .value("group", "grupo"), .value("agent", "agente"), .value("contact", "contato"),
        .value("obs", "observacao"),
    ]

    static let agendaFilters: [OptionSpec] = [.flag("pending", "pendentes"), .flag("done", "finalizadas")]

    public static let all: [CommandSpec] = [
        CommandSpec(.help, "help", aliases: ["ajuda"], shortcut: "?", arguments: [.text("COMMAND", required: false)], needsSession: false),
        CommandSpec(.login, "login", aliases: ["entrar"], arguments: [.required("USER"), .required("GROUP")], needsSession: false),
        CommandSpec(.logout, "logout", aliases: ["deslogar"], options: [.flag("force", "forcar")]),
        CommandSpec(.exit, "exit", aliases: ["sair", "quit"], options: [.flag("force", "forcar")], needsSession: false),
        CommandSpec(.passwd, "passwd", aliases: ["senha"]),
        CommandSpec(.status, "status", aliases: ["estado"]),
        CommandSpec(.sync, "sync", aliases: ["sincronizar"]),
        CommandSpec(.syncConflicts, "sync conflicts", aliases: ["sincronizar conflitos"]),
        CommandSpec(.syncRestore, "sync conflicts restore", aliases: ["sincronizar conflitos repor"], arguments: [.required("N")]),
        CommandSpec(.chat, "chat", arguments: [.optional("AGENT"), .text("MESSAGE", required: false)]),
        CommandSpec(.notes, "notes", aliases: ["avisos", "note list"]),
        CommandSpec(.noteAdd, "note add", aliases: ["aviso novo", "note new"], arguments: [.text("TEXT")]),
        CommandSpec(.noteEdit, "note edit", aliases: ["aviso editar"], arguments: [.required("N"), .text("TEXT")]),
        CommandSpec(.noteRemove, "note rm", aliases: ["aviso remover", "note remove"], arguments: [.required("N")]),
        CommandSpec(.contacts, "contacts", aliases: ["contatos", "contact", "contato"], arguments: [.text("TEXT", required: false)]),
        CommandSpec(.contactAdd, "contacts add", aliases: ["contatos novo", "contact add"], arguments: [.text("NAME", required: false)], options: contactFields),
        CommandSpec(.contactShow, "contacts show", aliases: ["contatos ver", "contact show"], arguments: [.required("N")]),
        CommandSpec(
            .contactEdit, "contacts edit", aliases: ["contatos editar", "contact edit"], arguments: [.required("N")],
            options: contactFields + [.value("remove-phone", "remover-telefone", repeatable: true)]),
        CommandSpec(.agenda, "agenda", arguments: [.optional("DATE")], options: agendaFilters),
        CommandSpec(.agendaDay, "agenda day", aliases: ["agenda dia"], arguments: [.required("DATE")], options: agendaFilters),
        CommandSpec(.agendaWeek, "agenda week", aliases: ["agenda semana"], options: agendaFilters),
        CommandSpec(.agendaMonth, "agenda month", aliases: ["agenda mes", "agenda mês"], options: agendaFilters),
        CommandSpec(.agendaNew, "agenda new", aliases: ["agenda novo"], arguments: [.text("NAME", required: false)], options: agendaFields),
        CommandSpec(.agendaEdit, "agenda edit", aliases: ["agenda editar"], arguments: [.required("N")], options: agendaFields),
        CommandSpec(.agendaDone, "agenda done", aliases: ["agenda finalizar", "agenda concluir"], arguments: [.required("N")]),
        CommandSpec(.agendaReopen, "agenda reopen", aliases: ["agenda reabrir"], arguments: [.required("N")]),
        CommandSpec(.agendaDial, "agenda dial", aliases: ["agenda discar"], arguments: [.required("N")]),
        CommandSpec(.config, "config", aliases: ["configuracao", "configuração"], arguments: [.optional("KEY"), .text("VALUE", required: false)]),
        CommandSpec(
            .calls, "calls", aliases: ["atendimentos", "chamadas"], shortcut: ",", arguments: [.text("DATE [TO] [TEXT]", required: false)],
            options: [.value("time", "hora"), .value("agent", "agente"), .value("group", "grupo")]),
        CommandSpec(.attendance, "attendance", aliases: ["atendimento"], arguments: [.required("N")]),
        CommandSpec(.losses, "losses", aliases: ["perdas"], arguments: [.text("PERIOD", required: false)]),
        CommandSpec(.search, "search", aliases: ["buscar", "pesquisar"], arguments: [.text("TEXT")]),
        CommandSpec(.stats, "stats", aliases: ["estatisticas", "estatísticas"], arguments: [.optional("DATE")]),
        CommandSpec(.answer, "answer", aliases: ["atender"]),
        CommandSpec(.hangup, "hangup", aliases: ["desligar", "esc"]),
        CommandSpec(.dial, "dial", aliases: ["discar"], shortcut: "+", arguments: [.text("NUMBER")], options: [.value("carrier", "operadora")]),
        CommandSpec(.call, "call", aliases: ["ramal"], shortcut: "-", arguments: [.required("EXT")]),
        CommandSpec(.redial, "redial", aliases: ["rediscar"], shortcut: "."),
        CommandSpec(.hold, "hold", aliases: ["espera"]),
        CommandSpec(.transfer, "transfer", aliases: ["transferir"], arguments: [.text("TARGET", required: false)]),
        CommandSpec(.consult, "consult", aliases: ["consultar"], arguments: [.text("TARGET")]),
        CommandSpec(.returnCall, "return", aliases: ["retornar"]),
        CommandSpec(.conference, "conference", aliases: ["conferencia", "conferência"]),
        CommandSpec(.record, "record", aliases: ["gravar"], arguments: [.optional("REASON"), .text("COMMENT", required: false)]),
        CommandSpec(.support, "support", aliases: ["apoio"]),
        CommandSpec(.pause, "pause", aliases: ["pausa"], arguments: [.text("REASON", required: false)]),
        CommandSpec(.unpause, "unpause", aliases: ["despausar"]),
        CommandSpec(.capture, "capture", aliases: ["capturar"], shortcut: "*"),
        CommandSpec(.barge, "barge", aliases: ["intercalar"], arguments: [.required("EXT")]),
        CommandSpec(.qualify, "qualify", aliases: ["qualificar"], arguments: [.text("[ATTENDANCE] CODE [COMMENT]")]),
        CommandSpec(.sound, "sound", aliases: ["som", "sinalizacao"], arguments: [.optional("ON/OFF")]),
        CommandSpec(.extensions, "extensions", aliases: ["ramais"], shortcut: "/", arguments: [.text("TEXT", required: false)]),
        CommandSpec(.simIncoming, "sim incoming", aliases: ["sim entrada"], arguments: [.required("PHONE"), .text("SERVICE")], needsSession: false),
        CommandSpec(.simRing, "sim ring", aliases: ["sim tocar"], arguments: [.required("PHONE")]),
        CommandSpec(.simAnswer, "sim answer", aliases: ["sim atender"]),
        CommandSpec(.simHangup, "sim hangup", aliases: ["sim desligar"]),
        CommandSpec(.simAbandon, "sim abandon", aliases: ["sim abandonar"], needsSession: false),
        CommandSpec(
            .simAgent, "sim agent", aliases: ["sim agente"], arguments: [.required("NAME"), .required("ACTION"), .optional("EXT")],
            needsSession: false),
        CommandSpec(.simAdvance, "sim advance", aliases: ["sim avancar", "sim avançar"], arguments: [.required("SECONDS")], needsSession: false),
        CommandSpec(.simTraffic, "sim traffic", aliases: ["sim trafego", "sim tráfego"], arguments: [.required("RATE")], needsSession: false),
    ]

    /// Text as command words are compared: case and accents folded (`AVISO` and `avisó` are `aviso`).
    static func fold(_ s: some StringProtocol) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }

    /// The position in ``all`` of the command each folded name and alias names, and of each
    /// shortcut as it is written, folded once (folding is most of the cost of looking a word up).
    /// The first command in the table wins a word two would share.
    static let byFoldedWords: [String: Int] = {
        var table: [String: Int] = [:]
        for (index, spec) in all.enumerated() {
            for word in [spec.name] + spec.aliases { table[fold(word)] = table[fold(word)] ?? index }
            if let shortcut = spec.shortcut { table[shortcut] = table[shortcut] ?? index }
        }
        return table
    }()

    public static func spec(_ id: CommandID) -> CommandSpec {
        all.first { $0.id == id }!
    }

    /// Every word that starts a command: names, aliases and shortcuts, for completion.
    public static var words: [String] {
        Array(Set(all.flatMap { [$0.name] + $0.aliases + ($0.shortcut.map { [$0] } ?? []) })).sorted()
    }
}
