import Foundation

/// Who a subscription is for: a workstation sees its own extension's calls and its groups' queues.
public enum SwitchAudience: Sendable, Equatable, Codable {
    /// Every event (the host's recorder, a supervisor's monitor, the simulator).
    case everything
    /// The agent at `extension`, working in `groups`.
    case workstation(extension: String, groups: [String])

    /// Whether `event` concerns this audience.
    ///
    /// A workstation gets every line and every call (the extension list shows the whole floor
    /// with the other party of each call) and the queues of its groups only.
    public func concerns(_ event: SwitchEvent) -> Bool {
        guard case .workstation(_, let groups) = self else { return true }
        switch event {
        case .queueChanged(let figures):
            return groups.contains { $0.caseInsensitiveCompare(figures.group) == .orderedSame }
        default:
            return true
        }
    }
}
