public import AtendeCore
import AtendeStore
import Foundation

/// Who may run the commands that work outside the REPL: `atende export`, `atende import
/// contacts`, `atende admin registry load` (LG-8, SV-6). Each asks for the user and password,
/// checked like a login (failures counted, LG-6), then for the right.
extension Workstation {
    /// The registered agent `nickname`, once `password` is theirs; no session is started.
    public func authenticate(nickname: String, password: String) throws -> Agent {
        guard let agent = registry.agent(nickname) else { throw AtendeError.unknownAgent(nickname) }
        try verifyPassword(password, of: agent)
        return agent
    }

    /// The export `agent` may make of `request` (RP-6): an agent only their own history (the
    /// default); supervisors and admins one agent's or all of their groups'.
    public func authorizeExport(_ request: ExportRequest, by agent: Agent) throws -> ExportRequest {
        var r = request
        if let requested = r.agent, requested.caseInsensitiveCompare(agent.nickname) != .orderedSame {
            guard agent.role != .agent else { throw AtendeError.supervisorOnly }
            guard let other = registry.agent(requested) else { throw AtendeError.unknownAgent(requested) }
            r.agent = other.nickname
        } else if agent.role == .agent || r.agent != nil {
            r.agent = agent.nickname
        }
        r.visibility = AttendanceVisibility(for: agent)
        return r
    }

    /// Refuses an import of contacts by someone without the contact-edit permission (CT-1).
    public func authorizeImport(by agent: Agent) throws {
        guard agent.may(.contactEdit) else { throw AtendeError.permissionDenied(.contactEdit) }
    }

    /// Installs `registry` as the one in force from the next start on: an admin act (SV-6).
    public func installRegistry(_ registry: Registry, by agent: Agent) throws {
        guard agent.role == .admin else { throw AtendeError.registryAdminOnly }
        try store.catalog.install(registry, by: agent.nickname, at: clock.now())
    }
}
