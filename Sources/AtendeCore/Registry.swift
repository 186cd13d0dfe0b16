import Foundation
/// What an agent may do beyond the basics (LG-8).
public enum Permission: String, Codable, CaseIterable, Sendable {
    case chat, recording, conference
    case productivePause = "productive-pause"
    case capture
    case campaignEdit = "campaign-edit"
    case contactEdit = "contact-edit"
    case bargeIn = "barge-in"
}

/// An agent's role on the call-center floor.
public enum Role: String, Codable, Sendable {
    case agent, supervisor, admin
}

/// A registered agent, as the supervisor set them up.
public struct Agent: Codable, Hashable, Sendable {
    public var nickname: String
    public var name: String
    public var email: String?
    public var `extension`: String
    public var groups: [String]
    public var sector: String?
    public var role: Role
    public var permissions: Set<Permission>
    /// A disabled agent cannot log in; their records stay.
    public var disabled: Bool

    public init(
        nickname: String, name: String, email: String? = nil, extension: String, groups: [String],
        sector: String? = nil, role: Role = .agent, permissions: Set<Permission> = [], disabled: Bool = false
    ) {
        self.nickname = nickname
        self.name = name
        self.email = email
        self.extension = `extension`
        self.groups = groups
        self.sector = sector
        self.role = role
        self.permissions = permissions
        self.disabled = disabled
    }

    /// Admins hold every permission; others what the registry grants them.
    public func may(_ permission: Permission) -> Bool {
        role == .admin || permissions.contains(permission)
    }
}

/// A team of agents sharing queues.
public struct Group: Codable, Hashable, Sendable {
    public var name: String
    public var title: String
    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }
}

/// An inbound number routed to a group's queue.
public struct Service: Codable, Hashable, Sendable {
    public var number: String
    public var name: String
    public var group: String
    public init(number: String, name: String, group: String) {
        self.number = number
        self.name = name
        self.group = group
    }
}

/// A reason for a pause: eventual (no code), or productive with its code.
public struct PauseReason: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case eventual, productive }
    public var name: String
    public var kind: Kind
    public var code: String?
    public init(name: String, kind: Kind, code: String? = nil) {
        self.name = name
        self.kind = kind
        self.code = code
    }
}

/// A disposition code of the qualification catalogue.
public struct QualificationCode: Codable, Hashable, Sendable {
    public var code: String
    public var label: String
    public var tags: [String]
    public init(code: String, label: String, tags: [String] = []) {
        self.code = code
        self.label = label
        self.tags = tags
    }
}

/// A reason for an on-demand recording.
public struct RecordingReason: Codable, Hashable, Sendable {
    public var code: String
    public var label: String
    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// The call center's catalogue: who works where, and the codes they use.
public struct Registry: Codable, Hashable, Sendable {
    public var groups: [Group]
    public var services: [Service]
    public var agents: [Agent]
    public var pauseReasons: [PauseReason]
    public var qualificationCodes: [QualificationCode]
    public var recordingReasons: [RecordingReason]

    public init(
        groups: [Group], services: [Service], agents: [Agent], pauseReasons: [PauseReason],
        qualificationCodes: [QualificationCode], recordingReasons: [RecordingReason]
    ) {
        self.groups = groups
        self.services = services
        self.agents = agents
        self.pauseReasons = pauseReasons
        self.qualificationCodes = qualificationCodes
        self.recordingReasons = recordingReasons
    }

    public func agent(_ nickname: String) -> Agent? {
        agents.first { Self.sameName($0.nickname, nickname) }
    }

    public func group(_ name: String) -> Group? {
        groups.first { Self.sameName($0.name, name) }
    }
}

extension QualificationCode {
    enum CodingKeys: String, CodingKey { case code, label, tags }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try c.decode(String.self, forKey: .code), label: try c.decode(String.self, forKey: .label),
            tags: try c.decodeIfPresent([String].self, forKey: .tags) ?? [])
    }
}

extension Agent {
    enum CodingKeys: String, CodingKey { case nickname, name, email, `extension`, groups, sector, role, permissions, disabled }

    /// Reads an agent where only nickname, name, extension and groups are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            nickname: try c.decode(String.self, forKey: .nickname), name: try c.decode(String.self, forKey: .name),
            email: try c.decodeIfPresent(String.self, forKey: .email), extension: try c.decode(String.self, forKey: .extension),
            groups: try c.decode([String].self, forKey: .groups), sector: try c.decodeIfPresent(String.self, forKey: .sector),
            role: try c.decodeIfPresent(Role.self, forKey: .role) ?? .agent,
            permissions: try c.decodeIfPresent(Set<Permission>.self, forKey: .permissions) ?? [],
            disabled: try c.decodeIfPresent(Bool.self, forKey: .disabled) ?? false)
    }

    /// Writes the permissions in a fixed order, so the same registry always encodes the same
    /// (a store compares the fingerprint of its registry at every start).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nickname, forKey: .nickname)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encode(`extension`, forKey: .extension)
        try c.encode(groups, forKey: .groups)
        try c.encodeIfPresent(sector, forKey: .sector)
        try c.encode(role, forKey: .role)
        try c.encode(permissions.map(\.rawValue).sorted(), forKey: .permissions)
        if disabled { try c.encode(disabled, forKey: .disabled) }
    }
}

extension Registry {
    /// A service by name (case-insensitive) or by number.
    ///
    /// ```swift
    /// registry.service("SUPORTE")?.number   // "40009938"
    /// registry.service("40009938")?.name    // "Suporte"
    /// ```
    public func service(_ nameOrNumber: String) -> Service? {
        services.first { Self.sameName($0.name, nameOrNumber) }
            ?? services.first { $0.number == nameOrNumber }
    }

    /// The pause reason named (case- and accent-insensitive) or coded `text`; the first eventual
    /// reason when `text` is empty or nil (CC-11).
    public func pauseReason(_ text: String?) throws(AtendeError) -> PauseReason {
        guard let text, !text.isEmpty else {
            guard let first = pauseReasons.first(where: { $0.kind == .eventual }) else { throw .unknownPauseReason("") }
            return first
        }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard let r = pauseReasons.first(where: {
            $0.name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded || $0.code == text
        }) else { throw .unknownPauseReason(text) }
        return r
    }
}

extension Registry {
    /// Whether two names of the registry (agents, groups, services) are the same, whatever their
    /// case: ASCII names (the usual case) folded byte by byte, others as Foundation compares them.
    /// The switch compares group names on every command, so this stays off Foundation when it can.
    public static func sameName(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = a.utf8, y = b.utf8
        guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return a.caseInsensitiveCompare(b) == .orderedSame }
        func lower(_ c: UInt8) -> UInt8 { (65...90).contains(c) ? c + 32 : c }
        return x.count == y.count && zip(x, y).allSatisfy { lower($0) == lower($1) }
    }

    /// The key under which names that are ``sameName(_:_:)`` fall together: what the switch
    /// indexes its queues and its free agents by.
    public static func nameKey(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return name.folding(options: .caseInsensitive, locale: nil) }
        guard name.utf8.contains(where: { (65...90).contains($0) }) else { return name }
        return String(decoding: name.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
