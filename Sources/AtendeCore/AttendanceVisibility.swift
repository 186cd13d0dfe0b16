import Foundation

/// Whose attendances a user may see and change (SV-6): an agent only their own; supervisors and
/// admins those of the groups the registry gives them.
///
/// The one rule `attendance N`, `calls`, `search`, `qualify N` and `atende export` follow. For example:
/// ```swift
/// let v = AttendanceVisibility(for: fabio)   // an agent
/// v.allows(luansAttendance)                  // false
/// ```
public struct AttendanceVisibility: Sendable, Equatable {
    /// When set, only this agent's attendances.
    public let agent: String?
    /// When set, only attendances taken in these groups.
    public let groups: [String]?

    public init(for viewer: Agent) {
        switch viewer.role {
        case .agent:
            agent = viewer.nickname
            groups = nil
        case .supervisor, .admin:
            agent = nil
            groups = viewer.groups
        }
    }

    /// Whether `attendance` is one the viewer may see.
    public func allows(_ attendance: Attendance) -> Bool {
        if let agent, attendance.agent.caseInsensitiveCompare(agent) != .orderedSame { return false }
        if let groups, !groups.contains(where: { $0.caseInsensitiveCompare(attendance.group) == .orderedSame }) {
            return false
        }
        return true
    }
}
