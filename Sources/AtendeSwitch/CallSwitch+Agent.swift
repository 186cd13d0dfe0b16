public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Logs the agent in at its extension: free and idle from now, or paused with `reason`.
    ///
    /// ```swift
    /// let events = try pabx.login(extension: "2050", paused: "Almoço", now: now)
    /// // .agentChanged(2050 free, pause "Almoço")
    /// ```
    public func login(extension ext: String, paused reason: String? = nil, agent: String? = nil, now: Date)
        throws(SwitchRefusal) -> [SwitchEvent]
    {
        try apply(at: now) { model throws(SwitchRefusal) in try model.login(ext, paused: reason, agent: agent) }
    }

    /// Logs the agent out; refused with `.callInProgress` while it has any call.
    ///
    /// ```swift
    /// let events = try pabx.logout(extension: "2050", now: now)   // .agentChanged(2050 logged-out)
    /// ```
    public func logout(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.logout(ext) }
    }

    /// Pauses the agent (CC-11): no queue calls until `unpause`; direct and internal calls still come.
    ///
    /// ```swift
    /// let events = try pabx.pause(extension: "2050", reason: "Café", now: now)
    /// ```
    public func pause(extension ext: String, reason: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.pause(ext, reason: reason) }
    }

    /// Ends the agent's pause: it is idle from now and queue calls may ring.
    ///
    /// ```swift
    /// let events = try pabx.unpause(extension: "2050", now: now)
    /// ```
    public func unpause(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.unpause(ext) }
    }

    /// Puts the agent in or out of wrap-up (CC-17); in wrap-up it gets no queue calls.
    ///
    /// Allowed during a call, so the wrap-up holds from the moment the call ends. Setting the
    /// value it already has changes nothing and returns no event.
    /// ```swift
    /// _ = try pabx.setWrapUp(extension: "2050", true, now: now)
    /// ```
    public func setWrapUp(extension ext: String, _ on: Bool, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.setWrapUp(ext, on) }
    }

    /// Raises or lowers the agent's request for supervisor help (CC-10); it does not block calls.
    ///
    /// ```swift
    /// _ = try pabx.setHelp(extension: "2050", true, now: now)
    /// ```
    public func setHelp(extension ext: String, _ on: Bool, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.setHelp(ext, on) }
    }
}

extension SwitchModel {
    mutating func login(_ ext: String, paused reason: String?, agent nickname: String? = nil) throws(SwitchRefusal) {
        var seat = try seat(ext)
        guard !seat.line.loggedIn else { throw .alreadyLoggedIn(ext) }
        // The agent sits at this extension, whoever is registered there (the workstation's extension, CC-0).
        let agent = nickname.flatMap { registry.agent($0) } ?? registry.agents.first { $0.extension == ext }
        if let agent {
            if let elsewhere = seats.values.first(where: {
                $0.line.loggedIn && $0.line.extension != ext && $0.line.nickname.caseInsensitiveCompare(agent.nickname) == .orderedSame
            }) {
                throw .alreadyLoggedIn(elsewhere.line.extension)
            }
            seat.line.nickname = agent.nickname
            seat.line.groups = agent.groups
        }
        seat.line.loggedIn = true
        seat.line.pause = reason
        seat.line.pausedSince = reason == nil ? nil : now
        seat.line.wrapUp = false
        seat.line.helpRequested = false
        seat.line.idleSince = now
        seats[ext] = seat
        publish(ext)
    }

    mutating func logout(_ ext: String) throws(SwitchRefusal) {
        var seat = try loggedIn(ext)
        guard seat.isFree else { throw .callInProgress }
        seat.line.loggedIn = false
        seat.line.pause = nil
        seat.line.pausedSince = nil
        seat.line.wrapUp = false
        seat.line.helpRequested = false
        seats[ext] = seat
        publish(ext)
        // An extension no agent has any more (it changed while they were seated) goes now.
        if !registry.agents.contains(where: { $0.extension == ext }) { seats[ext] = nil }
    }

    mutating func pause(_ ext: String, reason: String) throws(SwitchRefusal) {
        var seat = try loggedIn(ext)
        guard seat.line.pause == nil else { throw .alreadyPaused }
        seat.line.pause = reason
        seat.line.pausedSince = now
        seats[ext] = seat
        publish(ext)
    }

    mutating func unpause(_ ext: String) throws(SwitchRefusal) {
        var seat = try loggedIn(ext)
        guard seat.line.pause != nil else { throw .notPaused }
        seat.line.pause = nil
        seat.line.pausedSince = nil
        seat.line.idleSince = now
        seats[ext] = seat
        publish(ext)
    }

    mutating func setWrapUp(_ ext: String, _ on: Bool) throws(SwitchRefusal) {
        var seat = try loggedIn(ext)
        guard seat.line.wrapUp != on else { return }
        seat.line.wrapUp = on
        if !on { seat.line.idleSince = now }
        seats[ext] = seat
        publish(ext)
    }

    mutating func setHelp(_ ext: String, _ on: Bool) throws(SwitchRefusal) {
        var seat = try loggedIn(ext)
        seat.line.helpRequested = on
        seats[ext] = seat
        publish(ext)
    }
}
