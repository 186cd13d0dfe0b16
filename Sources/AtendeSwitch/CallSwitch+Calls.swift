public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Answers the call ringing at the extension (CC-1).
    ///
    /// ```swift
    /// let events = try pabx.answer(extension: "2050", now: now)   // .connected(call), .agentChanged(2050 talking)
    /// ```
    public func answer(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.answer(ext) }
    }

    /// Ends the agent's current call (CC-2), reason `.agent`.
    ///
    /// With a consult up only the consult ends and the held call stays held; an extension that
    /// joined a call (barge-in, conference) leaves it and the others stay; otherwise the call ends
    /// for everyone; with only a held call, that call ends. A call ringing at the agent is refused:
    /// a queue call goes back to its queue for the next agent (never offered here again), a direct
    /// or internal call ends.
    /// ```swift
    /// let events = try pabx.hangup(extension: "2050", now: now)   // .ended(call, reason: .agent), .agentChanged(2050 free)
    /// ```
    public func hangup(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.hangup(ext) }
    }

    /// Places an outbound call from an idle extension (CC-3); the adapter is asked to place it.
    ///
    /// ```swift
    /// let events = try pabx.dial(extension: "2050", phone: "+554833334444", now: now)
    /// // .dialing(call), .agentChanged(2050 dialing); later remoteAnswer(extension: "2050", …) connects it
    /// ```
    public func dial(extension ext: String, phone: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.dial(ext, phone: phone) }
    }

    /// Calls another extension (CC-4), given by number or by its agent's nickname; it must be logged in and free.
    ///
    /// ```swift
    /// let events = try pabx.call(extension: "2050", target: "2071", now: now)
    /// // .dialing(call), .ringing(call), .agentChanged(2050 dialing), .agentChanged(2071 ringing)
    /// ```
    public func call(extension ext: String, target: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.call(ext, target: target) }
    }

    /// Puts the connected call on hold, or retrieves the held one (CC-6).
    ///
    /// ```swift
    /// _ = try pabx.hold(extension: "2050", now: now)   // .held(call), .agentChanged(2050 on-hold)
    /// _ = try pabx.hold(extension: "2050", now: now)   // .retrieved(call), .agentChanged(2050 talking)
    /// ```
    public func hold(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.hold(ext) }
    }

    /// A customer calls a service (by name or number): the call queues in the service's group, then is offered.
    ///
    /// ```swift
    /// let events = try pabx.incoming(phone: "+5548999990000", service: "40009938", now: now)
    /// ```
    public func incoming(phone: String, service: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.incoming(phone: phone, service: service) }
    }

    /// A customer calls an extension directly: it rings there when logged in and free.
    ///
    /// ```swift
    /// let events = try pabx.directIncoming(phone: "+554833334444", extension: "2071", now: now)
    /// ```
    public func directIncoming(phone: String, extension ext: String, now: Date) throws(SwitchRefusal)
        -> [SwitchEvent]
    {
        try apply(at: now) { model throws(SwitchRefusal) in try model.directIncoming(phone: phone, ext) }
    }

    /// The party the extension is dialling (customer, or colleague for an internal call) answers.
    ///
    /// ```swift
    /// let events = try pabx.remoteAnswer(extension: "2050", now: now)   // .connected(call), …
    /// ```
    public func remoteAnswer(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.remoteAnswer(ext) }
    }

    /// The other party of the extension's current call hangs up.
    ///
    /// A connected or dialled call ends with `.customer`; a call still ringing at the agent ends
    /// with `.abandonedAtAgent` (a service call) or `.customer`. In a consult the consulted party
    /// leaves and the held call stays held; with only a held call, the held customer hangs up.
    /// ```swift
    /// let events = try pabx.remoteHangup(extension: "2050", now: now)   // .ended(call, reason: .customer), …
    /// ```
    public func remoteHangup(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.remoteHangup(ext) }
    }

    /// The caller waiting longest in any queue gives up (`.abandonedInQueue`).
    ///
    /// ```swift
    /// let events = try pabx.abandonOldest(now: now)   // .ended(call, reason: .abandonedInQueue), .queueChanged
    /// ```
    public func abandonOldest(now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.abandonOldest() }
    }

    /// The caller of the queued call `id` gives up; a call no longer queued is refused.
    public func abandon(call id: CallID, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.abandon(id) }
    }
}

extension SwitchModel {
    mutating func answer(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard let id = ringingCall(at: seat) else { throw .nothingRinging }
        connect(id)
    }

    mutating func hangup(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        if let id = ringingCall(at: seat) {
            decline(id, at: ext)
        } else if let id = seat.current, calls[id]?.joined.contains(ext) == true {
            leave(id, ext)
        } else if let id = seat.current {
            guard isConference(id) || calls[id]?.phase == .connected || seat.dialsOut else { throw .noCall }
            end(id, .agent, by: ext)
        } else if let id = seat.held {
            end(id, .agent, by: ext)
        } else {
            throw .noCall
        }
    }

    /// The agent refuses the call ringing at `ext`.
    mutating func decline(_ id: CallID, at ext: String) {
        guard var call = calls[id] else { return }
        seats[ext]?.current = nil
        seats[ext]?.dialsOut = false
        if call.group != nil {
            call.phase = .queued
            call.agent = nil
            call.ringingAt = nil
            if !call.declinedBy.contains(ext) { call.declinedBy.append(ext) }
            calls[id] = call
            events.append(.declined(call, extension: ext))
            publish(ext)
            if let group = call.group { events.append(.queueChanged(figures(group))) }
        } else {
            events.append(.declined(call, extension: ext))
            end(id, .agent, by: ext)
            publish(ext)
        }
    }

    /// `ext` leaves a call it joined; the call goes on for the others.
    mutating func leave(_ id: CallID, _ ext: String) {
        calls[id]?.joined.removeAll { $0 == ext }
        seats[ext]?.current = nil
        seats[ext]?.dialsOut = false
        if let call = calls[id] { events.append(.left(call, extension: ext)) }
        publish(ext)
        participants(of: id).forEach { publish($0) }
    }

    mutating func dial(_ ext: String, phone: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard seat.isFree else { throw .callInProgress }
        var call = newCall(.outbound, .dialing)
        call.phone = try validPhone(phone)
        call.from = ext
        call.agent = ext
        call.ringingAt = now
        calls[call.id] = call
        seats[ext]?.current = call.id
        seats[ext]?.dialsOut = true
        events.append(.dialing(call))
        requests.append(.place(call))
        publish(ext)
    }

    mutating func call(_ ext: String, target: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard seat.isFree else { throw .callInProgress }
        let callee = try freeTarget(target, caller: ext)
        var call = newCall(.internal, .dialing)
        call.from = ext
        call.to = callee
        call.agent = callee
        call.ringingAt = now
        calls[call.id] = call
        seats[ext]?.current = call.id
        seats[ext]?.dialsOut = true
        seats[callee]?.current = call.id
        seats[callee]?.dialsOut = false
        events.append(.dialing(call))
        events.append(.ringing(call))
        publish(ext)
        publish(callee)
    }

    mutating func hold(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        switch (seat.current, seat.held) {
        case (nil, let held?):
            retrieve(held, at: ext)
        case (let id?, nil):
            guard calls[id]?.phase == .connected else { throw .noCall }
            guard !isConference(id) else { throw .callInProgress }
            calls[id]?.onHold = true
            seats[ext]?.held = id
            seats[ext]?.current = nil
            seats[ext]?.dialsOut = false
            if let call = calls[id] { events.append(.held(call)) }
            participants(of: id).forEach { publish($0) }
        case (_?, _?):
            throw .consultInProgress
        case (nil, nil):
            throw .noCall
        }
    }

    /// Takes the held call off hold and makes it the extension's current call.
    mutating func retrieve(_ id: CallID, at ext: String) {
        calls[id]?.onHold = false
        seats[ext]?.current = id
        seats[ext]?.held = nil
        seats[ext]?.dialsOut = false
        if let call = calls[id] { events.append(.retrieved(call)) }
        participants(of: id).forEach { publish($0) }
    }

    mutating func incoming(phone: String, service name: String) throws(SwitchRefusal) {
        guard let service = service(name) else { throw .unknownService(name) }
        let group = registry.group(service.group)?.name ?? service.group
        guard figures(group).waiting < configuration.queueLimit else { throw .queueFull(group) }
        var call = newCall(.inbound, .queued)
        call.service = service.name
        call.group = group
        call.phone = phone
        call.queuedAt = now
        calls[call.id] = call
        events.append(.queued(call))
        events.append(.queueChanged(figures(group)))
    }

    mutating func directIncoming(phone: String, _ ext: String) throws(SwitchRefusal) {
        let callee = try freeTarget(ext, caller: nil)
        var call = newCall(.inbound, .ringing)
        call.phone = phone
        call.agent = callee
        call.ringingAt = now
        calls[call.id] = call
        seats[callee]?.current = call.id
        seats[callee]?.dialsOut = false
        events.append(.ringing(call))
        publish(callee)
    }

    mutating func remoteAnswer(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard let id = dialingCall(at: seat) else { throw .noCall }
        connect(id)
    }

    mutating func remoteHangup(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        if let id = seat.current, let call = calls[id] {
            if isConference(id) || call.phase == .connected || seat.dialsOut {
                end(id, .customer)
            } else {
                end(id, call.group != nil ? .abandonedAtAgent : .customer)
            }
        } else if let id = seat.held {
            end(id, .customer)
        } else {
            throw .noCall
        }
    }

    mutating func abandonOldest() throws(SwitchRefusal) {
        guard let call = queuedCalls().first else { throw .noQueuedCall }
        try abandon(call.id)
    }

    mutating func abandon(_ id: CallID) throws(SwitchRefusal) {
        guard let call = calls[id], call.phase == .queued else { throw .noQueuedCall }
        end(call.id, .abandonedInQueue)
        if let group = call.group { events.append(.queueChanged(figures(group))) }
    }
}
