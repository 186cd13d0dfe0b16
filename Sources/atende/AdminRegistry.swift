import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeRemote
import Foundation

// `atende admin agents|groups|services|pause-reasons|codes|recording-reasons ACTION [KEY] [options]`
// and `atende admin audit`: the registry on the running server (SV-2), as an admin. Every change
// is checked by the server with the registry's rules, saved as a new version and audited; a
// refused one is one line on standard error, exit status 1, and nothing changed.

extension ServerOptions {
    /// Logs in, runs `body` with the session's token, logs out; a refusal is one line and exit 1.
    func session(_ command: String, about target: String? = nil, _ body: (ServerClient, String) async throws -> Void) async throws {
        try await signedIn(command, about: target) { client, login in try await body(client, login.token) }
    }

    /// ``session(_:about:_:)`` with the whole login: who the server says the user is.
    func signedIn(_ command: String, about target: String? = nil, _ body: (ServerClient, ServerLogin) async throws -> Void) async throws {
        let (client, login) = try await login(command: command)
        do {
            try await body(client, login)
        } catch {
            try? await client.logout(token: login.token)
            switch error {
            case let problem as ServerProblem: throw fail(problem, about: target)
            case let refusal as AdminRefusal: throw refuse(refusal.message)
            default: throw error
            }
        }
        try? await client.logout(token: login.token)
    }
}

/// A command line's bad input, before anything is sent.
private func bad(_ m: AdminMessage) -> AdminRefusal { AdminRefusal(message: m) }

/// `a,b` as a list; the empty text is the empty list.
private func list(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// One kind of catalogue item managed with `list`, `show`, `add`, `edit`, `remove`.
protocol CatalogueCommand: AsyncParsableCommand {
    static var kind: RegistryKind { get }
    var server: ServerOptions { get }
    var action: String { get }
    var key: String? { get }
    static func items(_ registry: Registry) -> [RegistryItem]
    static func describe(_ item: RegistryItem) -> AdminMessage
    /// The item `add` (existing nil) or `edit` sends, from the options given.
    func item(key: String, existing: RegistryItem?) throws -> RegistryItem
}

extension CatalogueCommand {
    func run() async throws {
        let command = "\(Self.configuration.commandName ?? Self.kind.rawValue) \(action)"
        let actions = ["list", "show", "add", "edit", "remove"]
        guard actions.contains(action) else { throw server.refuse(.actionNotOneOf(actions: actions, given: action)) }
        guard action == "list" || !(key ?? "").isEmpty else { throw server.refuse(.needsKey(command: command, kind: Self.kind.rawValue)) }
        try await server.session(command) { client, token in
            let registry = try await client.adminRegistry(token: token).registry
            let items = Self.items(registry)
            let key = self.key ?? ""
            let existing = items.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }
            switch action {
            case "list":
                for item in items { server.print(Self.describe(item)) }
            case "show":
                guard let existing else { throw bad(.noSuchItem(kind: Self.kind.rawValue, key: key)) }
                server.print(Self.describe(existing))
            case "remove":
                let receipt = try await client.change(.remove(Self.kind, key: key), token: token)
                server.print(.itemRemoved(kind: Self.kind.rawValue, key: key, version: receipt.version))
            default:
                let adding = action == "add"
                if !adding && existing == nil { throw bad(.noSuchItem(kind: Self.kind.rawValue, key: key)) }
                let made = try self.item(key: existing?.key ?? key, existing: adding ? nil : existing)
                let receipt = try await client.change(adding ? .add(made) : .edit(made), token: token)
                server.print(
                    adding
                        ? .itemAdded(kind: Self.kind.rawValue, key: made.key, version: receipt.version)
                        : .itemChanged(kind: Self.kind.rawValue, key: made.key, version: receipt.version))
            }
        }
    }
}

extension Atende.Admin {
    /// `atende admin agents ACTION [NICKNAME] [options]`.
    struct Agents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The server's agents (admins): list, show, add, edit, disable, enable, reset-password.",
            discussion: "A disabled agent cannot log in and their sessions end; reset-password lets them create a new password at their next login.")

        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit, disable, enable or reset-password.") var action: String
        @Argument(help: "The agent's nickname.") var nickname: String?
        @Option(help: "The agent's full name.") var name: String?
        @Option(name: .customLong("extension"), help: "The agent's extension (unique).") var ext: String?
        @Option(help: "The agent's groups, comma-separated (at least one).") var groups: String?
        @Option(help: "agent, supervisor or admin.") var role: String?
        @Option(help: "Permissions, comma-separated (\(Permission.allCases.map(\.rawValue).joined(separator: ", "))); empty for none.")
        var permissions: String?
        @Option(help: "The agent's email (empty to clear).") var email: String?
        @Option(help: "The agent's sector (empty to clear).") var sector: String?

        func run() async throws {
            let actions = ["list", "show", "add", "edit", "disable", "enable", "reset-password"]
            guard actions.contains(action) else { throw server.refuse(.actionNotOneOf(actions: actions, given: action)) }
            guard action == "list" || !(nickname ?? "").isEmpty else {
                throw server.refuse(.needsKey(command: "agents \(action)", kind: "agent"))
            }
            try await server.session("agents \(action)") { client, token in
                let registry = try await client.adminRegistry(token: token).registry
                let nickname = self.nickname ?? ""
                let existing = registry.agent(nickname)
                switch action {
                case "list":
                    for agent in registry.agents { server.print(Self.describe(agent)) }
                case "show":
                    guard let existing else { throw bad(.noSuchItem(kind: "agent", key: nickname)) }
                    server.print(Self.describe(existing))
                    server.print(.agentContact(email: existing.email ?? "-", sector: existing.sector ?? "-"))
                    server.print(.agentPermissions(existing.permissions.map(\.rawValue).sorted().joined(separator: ",").ifEmpty("-")))
                case "add":
                    guard let name, let ext, let groups else {
                        throw bad(.agentNeeds(command: "agents add", options: "--name, --extension and --groups"))
                    }
                    var agent = Agent(nickname: nickname, name: name, extension: ext, groups: list(groups))
                    try fill(&agent)
                    let receipt = try await client.change(.add(.agent(agent)), token: token)
                    server.print(.agentAdded(agent.nickname, version: receipt.version))
                case "edit":
                    guard var agent = existing else { throw bad(.noSuchItem(kind: "agent", key: nickname)) }
                    try fill(&agent)
                    let receipt = try await client.change(.edit(.agent(agent)), token: token)
                    server.print(.agentChanged(agent.nickname, version: receipt.version))
                case "disable":
                    let receipt = try await client.change(.disableAgent(nickname), token: token)
                    server.print(.agentDisabled(nickname, version: receipt.version))
                case "enable":
                    let receipt = try await client.change(.enableAgent(nickname), token: token)
                    server.print(.agentEnabled(nickname, version: receipt.version))
                default:
                    try await client.change(.resetPassword(nickname), token: token)
                    server.print(.passwordReset(nickname))
                }
            }
        }

        /// The options given, over `agent`.
        func fill(_ agent: inout Agent) throws {
            if let name { agent.name = name }
            if let ext { agent.extension = ext }
            if let groups { agent.groups = list(groups) }
            if let role {
                guard let r = Role(rawValue: role.lowercased()) else {
                    throw bad(.choiceRefused(option: "--role", choices: "agent, supervisor or admin", given: role))
                }
                agent.role = r
            }
            if let permissions {
                var set = Set<Permission>()
                for p in list(permissions) {
                    guard let permission = Permission(rawValue: p.lowercased()) else {
                        throw bad(.unknownPermission(p, known: Permission.allCases.map(\.rawValue).joined(separator: ", ")))
                    }
                    set.insert(permission)
                }
                agent.permissions = set
            }
            if let email { agent.email = email.isEmpty ? nil : email }
            if let sector { agent.sector = sector.isEmpty ? nil : sector }
        }

        static func describe(_ a: Agent) -> AdminMessage {
            .agentRow(
                nickname: a.nickname, extension: a.extension, name: a.name, groups: a.groups.joined(separator: ","), role: a.role.rawValue,
                disabled: a.disabled)
        }
    }

    /// `atende admin groups ACTION [NAME] [--title T]`.
    struct Groups: CatalogueCommand {
        static let configuration = CommandConfiguration(abstract: "The server's groups (admins): list, show, add, edit, remove.")
        static let kind = RegistryKind.group
        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit or remove.") var action: String
        @Argument(help: "The group's name.") var key: String?
        @Option(help: "The group's title.") var title: String?

        static func items(_ r: Registry) -> [RegistryItem] { r.groups.map { .group($0) } }
        static func describe(_ item: RegistryItem) -> AdminMessage {
            guard case .group(let g) = item else { return .row(item.key) }
            return .groupRow(name: g.name, title: g.title)
        }
        func item(key: String, existing: RegistryItem?) throws -> RegistryItem {
            var g = Group(name: key, title: key)
            if case .group(let old)? = existing { g = old }
            if let title { g.title = title }
            return .group(g)
        }
    }

    /// `atende admin services ACTION [NAME] [--number N] [--group G]`.
    struct Services: CatalogueCommand {
        static let configuration = CommandConfiguration(abstract: "The server's services (admins): list, show, add, edit, remove.")
        static let kind = RegistryKind.service
        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit or remove.") var action: String
        @Argument(help: "The service's name.") var key: String?
        @Option(help: "The inbound number (unique).") var number: String?
        @Option(help: "The group whose queue takes its calls.") var group: String?

        static func items(_ r: Registry) -> [RegistryItem] { r.services.map { .service($0) } }
        static func describe(_ item: RegistryItem) -> AdminMessage {
            guard case .service(let s) = item else { return .row(item.key) }
            return .serviceRow(name: s.name, number: s.number, group: s.group)
        }
        func item(key: String, existing: RegistryItem?) throws -> RegistryItem {
            guard case .service(var s)? = existing else {
                guard let number, let group else { throw bad(.agentNeeds(command: "services add", options: "--number and --group")) }
                return .service(Service(number: number, name: key, group: group))
            }
            if let number { s.number = number }
            if let group { s.group = group }
            return .service(s)
        }
    }

    /// `atende admin pause-reasons ACTION [NAME] [--kind eventual|productive] [--code C]`.
    struct PauseReasons: CatalogueCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause-reasons", abstract: "The server's pause reasons (admins): list, show, add, edit, remove.")
        static let kind = RegistryKind.pauseReason
        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit or remove.") var action: String
        @Argument(help: "The reason's name.") var key: String?
        @Option(name: .customLong("kind"), help: "eventual or productive (a productive pause needs --code).") var pauseKind: String?
        @Option(help: "The productive pause's code (empty to clear).") var code: String?

        static func items(_ r: Registry) -> [RegistryItem] { r.pauseReasons.map { .pauseReason($0) } }
        static func describe(_ item: RegistryItem) -> AdminMessage {
            guard case .pauseReason(let p) = item else { return .row(item.key) }
            return .pauseReasonRow(name: p.name, kind: p.kind.rawValue, code: p.code)
        }
        func item(key: String, existing: RegistryItem?) throws -> RegistryItem {
            var p = PauseReason(name: key, kind: .eventual)
            if case .pauseReason(let old)? = existing { p = old }
            if let pauseKind {
                guard let k = PauseReason.Kind(rawValue: pauseKind.lowercased()) else {
                    throw bad(.choiceRefused(option: "--kind", choices: "eventual or productive", given: pauseKind))
                }
                p.kind = k
            }
            if let code { p.code = code.isEmpty ? nil : code }
            return .pauseReason(p)
        }
    }

    /// `atende admin codes ACTION [CODE] [--label L] [--tags a,b]`: the qualification codes.
    struct Codes: CatalogueCommand {
        static let configuration = CommandConfiguration(abstract: "The server's qualification codes (admins): list, show, add, edit, remove.")
        static let kind = RegistryKind.code
        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit or remove.") var action: String
        @Argument(help: "The code.") var key: String?
        @Option(help: "What the code means.") var label: String?
        @Option(help: "Tags, comma-separated (empty for none).") var tags: String?

        static func items(_ r: Registry) -> [RegistryItem] { r.qualificationCodes.map { .code($0) } }
        static func describe(_ item: RegistryItem) -> AdminMessage {
            guard case .code(let c) = item else { return .row(item.key) }
            return .codeRow(code: c.code, label: c.label, tags: c.tags.joined(separator: ","))
        }
        func item(key: String, existing: RegistryItem?) throws -> RegistryItem {
            guard case .code(var c)? = existing else {
                guard let label else { throw bad(.agentNeeds(command: "codes add", options: "--label")) }
                return .code(QualificationCode(code: key, label: label, tags: list(tags ?? "")))
            }
            if let label { c.label = label }
            if let tags { c.tags = list(tags) }
            return .code(c)
        }
    }

    /// `atende admin recording-reasons ACTION [CODE] [--label L]`.
    struct RecordingReasons: CatalogueCommand {
        static let configuration = CommandConfiguration(
            commandName: "recording-reasons", abstract: "The server's recording reasons (admins): list, show, add, edit, remove.")
        static let kind = RegistryKind.recordingReason
        @OptionGroup var server: ServerOptions
        @Argument(help: "list, show, add, edit or remove.") var action: String
        @Argument(help: "The reason's code.") var key: String?
        @Option(help: "What the reason means.") var label: String?

        static func items(_ r: Registry) -> [RegistryItem] { r.recordingReasons.map { .recordingReason($0) } }
        static func describe(_ item: RegistryItem) -> AdminMessage {
            guard case .recordingReason(let r) = item else { return .row(item.key) }
            return .recordingReasonRow(code: r.code, label: r.label)
        }
        func item(key: String, existing: RegistryItem?) throws -> RegistryItem {
            guard case .recordingReason(var r)? = existing else {
                guard let label else { throw bad(.agentNeeds(command: "recording-reasons add", options: "--label")) }
                return .recordingReason(RecordingReason(code: key, label: label))
            }
            if let label { r.label = label }
            return .recordingReason(r)
        }
    }

    /// `atende admin audit [--limit N]`: who changed what in the registry, and when, newest first.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The server's audit trail: who changed what, and when (admins).")
        @OptionGroup var server: ServerOptions
        @Option(help: "How many rows, newest first.") var limit = 50

        func run() async throws {
            try await server.session("audit") { client, token in
                for line in try await client.audit(limit: limit, token: token) {
                    let at = line.at.formatted(.iso8601)
                    server.print(.auditRow(at: at, actor: line.actor, action: line.action, detail: line.detail))
                }
            }
        }
    }
}

extension String {
    fileprivate func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
