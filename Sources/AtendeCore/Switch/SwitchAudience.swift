import Foundation

/// Who a subscription is for: a workstation sees its own extension's calls and its groups' queues.
public enum SwitchAudience: Sendable, Equatable, Codable {
    /// Every event (the host's recorder, a supervisor's monitor, the simulator).
    case everything
    /// The agent at `extension`, working in `groups`, alone with its switch (standalone).
    case workstation(extension: String, groups: [String])
    /// The agent at `extension` on a shared floor (the server): what the agent works with, not the
    /// whole floor — their own calls, the lines of the agents of their groups, the calls of their
    /// groups' queues and those queues' figures.
    case team(extension: String, groups: [String])

    /// Whether `event` concerns this audience.
    ///
    /// A standalone workstation gets every line and every call (the extension list shows the whole
    /// floor with the other party of each call) and the queues of its groups only; a team member
    /// gets what ``sees(_:)-(AgentLine)`` and ``sees(_:)-(SwitchCall)`` allow.
    public func concerns(_ event: SwitchEvent) -> Bool {
        switch (self, event) {
        case (.everything, _):
            return true
        case (.workstation(_, let groups), .queueChanged(let figures)), (.team(_, let groups), .queueChanged(let figures)):
            return Self.contains(groups, figures.group)
        case (.workstation, _):
            return true
        case (.team, .agentChanged(let line)):
            return sees(line)
        case (.team(let mine, _), _):
            guard let call = event.call else { return false }
            return sees(call) || event.extensions.contains(mine)
        }
    }

    /// Whether a line is in view: a team member sees their own and their groups' agents.
    public func sees(_ line: AgentLine) -> Bool {
        guard case .team(let mine, let groups) = self else { return true }
        return line.extension == mine || line.groups.contains { Self.contains(groups, $0) }
    }

    /// Whether a call is in view: a team member sees the calls they are on and their groups' queue calls.
    public func sees(_ call: SwitchCall) -> Bool {
        guard case .team(let mine, let groups) = self else { return true }
        return call.agent == mine || call.from == mine || call.to == mine || call.joined.contains(mine)
            || call.group.map { Self.contains(groups, $0) } == true
    }

    /// The groups whose queues this audience follows; nil for every group.
    public var groups: [String]? {
        switch self {
        case .everything: nil
        case .workstation(_, let groups), .team(_, let groups): groups
        }
    }

    static func contains(_ groups: [String], _ group: String) -> Bool {
        groups.contains { Registry.sameName($0, group) }
    }
}

extension SwitchEvent {
    /// The call the event is about, if it is about one.
    public var call: SwitchCall? {
        switch self {
        case .agentChanged, .queueChanged: nil
        case .queued(let c), .ringing(let c), .dialing(let c), .connected(let c), .held(let c), .retrieved(let c),
            .conferenced(let c), .ringNoAnswer(let c, _), .declined(let c, _), .left(let c, _), .transferred(let c, _, _),
            .captured(let c, _, _), .barged(let c, _), .ended(let c, _, _):
            c
        }
    }

    /// The extensions the event names besides its call's parties (who left, who handed over to whom …).
    public var extensions: [String] {
        switch self {
        case .ringNoAnswer(_, let e), .declined(_, let e), .left(_, let e), .barged(_, let e): [e]
        case .transferred(_, let from, let to): [from, to]
        case .captured(_, let from, let by): [from, by]
        case .ended(_, _, let by): by.map { [$0] } ?? []
        default: []
        }
    }
}
