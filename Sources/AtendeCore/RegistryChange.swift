public import Foundation

/// What an admin changes in the registry (SV-2): one item added, edited or removed, or an agent
/// disabled, enabled or their password reset. For example:
/// ```swift
/// let next = try registry.applying(.add(.group(Group(name: "vip", title: "VIP"))))
/// try next.validate()
/// ```
public enum RegistryChange: Codable, Hashable, Sendable {
    case add(RegistryItem)
    /// Replaces the item with the same key (an agent's nickname, a group's name …).
    case edit(RegistryItem)
    case remove(RegistryKind, key: String)
    case disableAgent(String)
    case enableAgent(String)
    /// The registry stays as it is; the server forgets the agent's password.
    case resetPassword(String)

    /// The key of the item changed: a nickname, a name or a code.
    public var key: String {
        switch self {
        case .add(let item), .edit(let item): return item.key
        case .remove(_, let key): return key
        case .disableAgent(let n), .enableAgent(let n), .resetPassword(let n): return n
        }
    }

    /// What the audit trail says of the change: the key, and the item as it now is, in JSON.
    public var detail: String {
        switch self {
        case .add(let item), .edit(let item): return "\(item.key) \(item.json)"
        default: return key
        }
    }

    /// The audit trail's name for the change, e.g. "agent.add".
    public var action: String {
        switch self {
        case .add(let item): return "\(item.kind.rawValue).add"
        case .edit(let item): return "\(item.kind.rawValue).edit"
        case .remove(let kind, _): return "\(kind.rawValue).remove"
        case .disableAgent: return "agent.disable"
        case .enableAgent: return "agent.enable"
        case .resetPassword: return "agent.reset-password"
        }
    }
}

/// The kinds of items in the registry, as the admin commands name them.
public enum RegistryKind: String, Codable, Hashable, Sendable {
    case agent, group, service
    case pauseReason = "pause-reason"
    case code
    case recordingReason = "recording-reason"
}

/// One item of the registry.
public enum RegistryItem: Codable, Hashable, Sendable {
    case agent(Agent)
    case group(Group)
    case service(Service)
    case pauseReason(PauseReason)
    case code(QualificationCode)
    case recordingReason(RecordingReason)

    public var kind: RegistryKind {
        switch self {
        case .agent: return .agent
        case .group: return .group
        case .service: return .service
        case .pauseReason: return .pauseReason
        case .code: return .code
        case .recordingReason: return .recordingReason
        }
    }

    /// The item alone, in JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data?
        switch self {
        case .agent(let a): data = try? encoder.encode(a)
        case .group(let g): data = try? encoder.encode(g)
        case .service(let s): data = try? encoder.encode(s)
        case .pauseReason(let p): data = try? encoder.encode(p)
        case .code(let c): data = try? encoder.encode(c)
        case .recordingReason(let r): data = try? encoder.encode(r)
        }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// What identifies the item in its list: nickname, name or code.
    public var key: String {
        switch self {
        case .agent(let a): return a.nickname
        case .group(let g): return g.name
        case .service(let s): return s.name
        case .pauseReason(let p): return p.name
        case .code(let c): return c.code
        case .recordingReason(let r): return r.code
        }
    }
}

/// Why a registry (or a change to it) is refused: where, and what is wrong, in one line.
public struct RegistryProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: String
    public var reason: String
    public init(_ location: String, _ reason: String) {
        self.location = location
        self.reason = reason
    }
    public var description: String { "\(location): \(reason)" }
}

extension Registry {
    /// The registry after `change`, not yet validated (see ``validate()``). Adding a key that is
    /// there, or editing / removing one that is not, is refused; agents are disabled, not removed
    /// (their records stay); the last enabled admin stays one.
    public func applying(_ change: RegistryChange) throws(RegistryProblem) -> Registry {
        var next = self
        switch change {
        case .add(let item):
            guard index(of: item.kind, key: item.key) == nil else {
                throw RegistryProblem("\(item.kind.rawValue) \(item.key)", "already exists; use edit to change it")
            }
            next.insert(item)
        case .edit(let item):
            guard let i = index(of: item.kind, key: item.key) else { throw Self.unknown(item.kind, item.key) }
            next.replace(item, at: i)
        case .remove(let kind, let key):
            guard kind != .agent else { throw RegistryProblem("agent \(key)", "agents are disabled, not removed (their records stay)") }
            guard let i = index(of: kind, key: key) else { throw Self.unknown(kind, key) }
            next.remove(kind, at: i)
        case .disableAgent(let nickname), .enableAgent(let nickname), .resetPassword(let nickname):
            guard let i = index(of: .agent, key: nickname) else { throw Self.unknown(.agent, nickname) }
            if case .disableAgent = change { next.agents[i].disabled = true }
            if case .enableAgent = change { next.agents[i].disabled = false }
        }
        func hasAdmin(_ r: Registry) -> Bool { r.agents.contains { $0.role == .admin && !$0.disabled } }
        if hasAdmin(self) && !hasAdmin(next) {
            throw RegistryProblem("agent \(change.key)", "the last enabled admin cannot be disabled nor lose the admin role")
        }
        return next
    }

    /// Checks the rules every registry keeps: at least one group; names, nicknames, extensions,
    /// service numbers and codes unique; every agent in at least one known group; every service
    /// on a known group; a productive pause has a code.
    public func validate() throws(RegistryProblem) {
        guard !groups.isEmpty else { throw RegistryProblem("groups", "at least one group is required") }
        try Self.unique(groups.map(\.name), "groups")
        try Self.unique(agents.map(\.nickname), "agents")
        try Self.unique(agents.map(\.extension), "agents' extensions")
        try Self.unique(services.map(\.name), "services")
        try Self.unique(services.map(\.number), "services' numbers")
        try Self.unique(pauseReasons.map(\.name), "pause reasons")
        try Self.unique(qualificationCodes.map(\.code), "qualification codes")
        try Self.unique(recordingReasons.map(\.code), "recording reasons")
        for g in groups where g.name.isEmpty { throw RegistryProblem("groups", "a group needs a name") }
        for a in agents {
            let here = "agent \(a.nickname)"
            guard !a.nickname.isEmpty, !a.name.isEmpty, !a.extension.isEmpty else {
                throw RegistryProblem(here, "an agent needs a nickname, a name and an extension")
            }
            guard !a.groups.isEmpty else { throw RegistryProblem(here, "an agent needs at least one group") }
            for g in a.groups where group(g) == nil { throw RegistryProblem(here, "unknown group \"\(g)\"") }
        }
        for s in services {
            guard !s.name.isEmpty, !s.number.isEmpty else { throw RegistryProblem("services", "a service needs a name and a number") }
            guard group(s.group) != nil else { throw RegistryProblem("service \(s.name)", "unknown group \"\(s.group)\"") }
        }
        for p in pauseReasons {
            guard !p.name.isEmpty else { throw RegistryProblem("pause reasons", "a pause reason needs a name") }
            if p.kind == .productive && (p.code ?? "").isEmpty {
                throw RegistryProblem("pause reason \(p.name)", "a productive pause needs a code")
            }
        }
        for c in qualificationCodes where c.code.isEmpty || c.label.isEmpty {
            throw RegistryProblem("qualification codes", "a code needs a code and a label")
        }
        for r in recordingReasons where r.code.isEmpty || r.label.isEmpty {
            throw RegistryProblem("recording reasons", "a recording reason needs a code and a label")
        }
    }

    private static func unique(_ names: [String], _ location: String) throws(RegistryProblem) {
        var seen = Set<String>()
        for n in names where !seen.insert(n.lowercased()).inserted {
            throw RegistryProblem(location, "\"\(n)\" appears twice")
        }
    }

    private static func unknown(_ kind: RegistryKind, _ key: String) -> RegistryProblem {
        RegistryProblem("\(kind.rawValue) \(key)", "no such \(kind.rawValue.replacingOccurrences(of: "-", with: " "))")
    }

    private func index(of kind: RegistryKind, key: String) -> Int? {
        func same(_ a: String) -> Bool { a.caseInsensitiveCompare(key) == .orderedSame }
        switch kind {
        case .agent: return agents.firstIndex { same($0.nickname) }
        case .group: return groups.firstIndex { same($0.name) }
        case .service: return services.firstIndex { same($0.name) }
        case .pauseReason: return pauseReasons.firstIndex { same($0.name) }
        case .code: return qualificationCodes.firstIndex { same($0.code) }
        case .recordingReason: return recordingReasons.firstIndex { same($0.code) }
        }
    }

    private mutating func insert(_ item: RegistryItem) {
        switch item {
        case .agent(let a): agents.append(a)
        case .group(let g): groups.append(g)
        case .service(let s): services.append(s)
        case .pauseReason(let p): pauseReasons.append(p)
        case .code(let c): qualificationCodes.append(c)
        case .recordingReason(let r): recordingReasons.append(r)
        }
    }

    private mutating func replace(_ item: RegistryItem, at i: Int) {
        switch item {
        case .agent(let a): agents[i] = a
        case .group(let g): groups[i] = g
        case .service(let s): services[i] = s
        case .pauseReason(let p): pauseReasons[i] = p
        case .code(let c): qualificationCodes[i] = c
        case .recordingReason(let r): recordingReasons[i] = r
        }
    }

    private mutating func remove(_ kind: RegistryKind, at i: Int) {
        switch kind {
        case .agent: agents.remove(at: i)
        case .group: groups.remove(at: i)
        case .service: services.remove(at: i)
        case .pauseReason: pauseReasons.remove(at: i)
        case .code: qualificationCodes.remove(at: i)
        case .recordingReason: recordingReasons.remove(at: i)
        }
    }
}

/// `GET /api/v1/admin/registry`: the registry in force and its version.
public struct VersionedRegistry: Codable, Sendable {
    public var version: Int
    public var registry: Registry
    public init(version: Int, registry: Registry) {
        self.version = version
        self.registry = registry
    }
}

/// The server's answer to a registry change.
public struct RegistryChangeReceipt: Codable, Sendable {
    public var version: Int
    public var detail: String
    public init(version: Int, detail: String) {
        self.version = version
        self.detail = detail
    }
}

/// One row of the server's audit trail, as `GET /api/v1/admin/audit` gives it.
public struct AuditLine: Codable, Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String
    public init(at: Date, actor: String, action: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}
