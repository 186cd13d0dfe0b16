public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Puts a new registry in force on the running switch (an admin changed it).
    ///
    /// A new agent gets a line, logged out, at their extension; a new service takes calls at
    /// once; an agent whose groups changed is offered the new groups' calls from now on, seated
    /// or not (the call they have is theirs to finish). A seated agent whose extension changed
    /// keeps the seat they are on until they log out, and logs in at the new one next time; a
    /// line that no agent has any more goes once it is logged out and free. For example:
    /// ```swift
    /// var next = registry
    /// next.agents.append(Agent(nickname: "maria", name: "Maria", extension: "2090", groups: ["receptivas"]))
    /// let events = pabx.adopt(next, now: now)   // .agentChanged(2090 logged out)
    /// _ = try pabx.login(extension: "2090", now: now)
    /// ```
    public func adopt(_ registry: Registry, now: Date) -> [SwitchEvent] {
        model.now = max(now, model.now)
        model.adopt(registry)
        model.distribute()
        model.publishAll()
        return commit()
    }
}

extension SwitchModel {
    mutating func adopt(_ next: Registry) {
        registry = next
        let registered = Set(next.agents.map(\.extension))
        for (ext, seat) in seats.storage where !registered.contains(ext) && !seat.line.loggedIn && seat.isFree {
            seats[ext] = nil
        }
        for agent in next.agents {
            guard var seat = seats[agent.extension] else {
                let line = AgentLine(nickname: agent.nickname, extension: agent.extension, groups: agent.groups, now: now)
                seats[agent.extension] = Seat(line: line, published: line)
                events.append(.agentChanged(line))
                continue
            }
            // Somebody else still seated here (the extension was theirs) keeps it until they go.
            guard !seat.line.loggedIn || seat.line.nickname.caseInsensitiveCompare(agent.nickname) == .orderedSame else { continue }
            seat.line.nickname = agent.nickname
            seat.line.groups = agent.groups
            seats[agent.extension] = seat
        }
        // Lines come and go: the publishing order is made again.
        extensions = []
        // A seated agent takes their new groups wherever they sit.
        for (ext, seat) in seats.storage where seat.line.loggedIn {
            if let agent = next.agent(seat.line.nickname), agent.groups != seat.line.groups { seats[ext]?.line.groups = agent.groups }
        }
    }
}
