public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Holds the connected call and calls a third party (CC-7): an extension, or a phone through the adapter.
    ///
    /// ```swift
    /// let events = try pabx.consult(extension: "2050", target: .agent(extension: "2071"), now: now)
    /// // .held(customer), .dialing(consult), .ringing(consult), .agentChanged(2050 consulting), .agentChanged(2071 ringing)
    /// ```
    public func consult(extension ext: String, target: Party, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.consult(ext, target: target) }
    }

    /// Blind transfer (CC-7): the connected call goes to `target` and the agent is free.
    ///
    /// To an extension the call rings there as a new leg with the same id, service and phone;
    /// to a phone the adapter is asked to place the call (same id, `phone` = the target) and the
    /// call leaves the switch (`.ended(call, reason: .transfer)`).
    /// ```swift
    /// let events = try pabx.transfer(extension: "2050", target: .agent(extension: "2071"), now: now)
    /// // .transferred(call, from: "2050", to: "2071"), .ringing(call), …
    /// ```
    public func transfer(extension ext: String, target: Party, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.transfer(ext, target: target) }
    }

    /// Completes an answered consult as a transfer: the held caller is connected to the consulted party.
    ///
    /// ```swift
    /// let events = try pabx.completeTransfer(extension: "2050", now: now)
    /// // .transferred(customer, from: "2050", to: "2071"), .ended(consult, reason: .transfer), …
    /// ```
    public func completeTransfer(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.completeTransfer(ext) }
    }

    /// Ends the consult, if one is up, and retrieves the held call (CC-7 `return`).
    ///
    /// ```swift
    /// let events = try pabx.returnToHeld(extension: "2050", now: now)
    /// // .ended(consult, reason: .agent), .retrieved(customer), …
    /// ```
    public func returnToHeld(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.returnToHeld(ext) }
    }

    /// Merges the held call and the answered consult into one conference (CC-8).
    ///
    /// The consulted extension joins the held call (`joined`); the consult call ends (`.agent`)
    /// without its network leg being dropped.
    /// ```swift
    /// let events = try pabx.conference(extension: "2050", now: now)
    /// // .conferenced(customer), .ended(consult, reason: .agent), .agentChanged(… conference)
    /// ```
    public func conference(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.conference(ext) }
    }

    /// Picks up the longest-ringing call on another agent of the capturer's groups (CC-12).
    ///
    /// A service call is capturable by members of its group; a direct or internal call by agents
    /// sharing a group with the agent it rings at.
    /// ```swift
    /// let events = try pabx.capture(extension: "2048", now: now)
    /// // .captured(call, from: "2050", by: "2048"), .agentChanged(2050 free), .connected(call), …
    /// ```
    public func capture(extension ext: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.capture(ext) }
    }

    /// Joins a free agent to the connected call of `target` (CC-13); everyone on it is then in conference.
    ///
    /// ```swift
    /// let events = try pabx.barge(extension: "2048", target: "2050", now: now)   // .barged(call, by: "2048"), …
    /// ```
    public func barge(extension ext: String, target: String, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try apply(at: now) { model throws(SwitchRefusal) in try model.barge(ext, target: target) }
    }
}

extension SwitchModel {
    /// The connected, non-conference call of an extension with nothing on hold.
    func soleConnectedCall(_ seat: Seat) throws(SwitchRefusal) -> CallID {
        guard seat.held == nil else { throw .consultInProgress }
        guard let id = seat.current, calls[id]?.phase == .connected else { throw .noCall }
        guard !isConference(id) else { throw .callInProgress }
        return id
    }

    mutating func consult(_ ext: String, target: Party) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        let held = try soleConnectedCall(seat)
        var consult: SwitchCall
        var callee: String?
        switch target {
        case .agent(let name):
            let other = try freeTarget(name, caller: ext)
            consult = newCall(.internal, .dialing)
            consult.to = other
            consult.agent = other
            callee = other
        case .customer(let phone):
            let number = try validPhone(phone)
            consult = newCall(.outbound, .dialing)
            consult.phone = number
            consult.agent = ext
        }
        consult.from = ext
        consult.consultOf = held
        consult.ringingAt = now
        calls[held]?.onHold = true
        calls[consult.id] = consult
        seats[ext]?.held = held
        seats[ext]?.current = consult.id
        seats[ext]?.dialsOut = true
        if let call = calls[held] { events.append(.held(call)) }
        events.append(.dialing(consult))
        if let callee {
            seats[callee]?.current = consult.id
            seats[callee]?.dialsOut = false
            events.append(.ringing(consult))
        } else {
            requests.append(.place(consult))
        }
        (participants(of: held) + participants(of: consult.id)).forEach { publish($0) }
    }

    mutating func transfer(_ ext: String, target: Party) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        let id = try soleConnectedCall(seat)
        switch target {
        case .agent(let name):
            let callee = try freeTarget(name, caller: ext)
            seats[ext]?.current = nil
            seats[ext]?.dialsOut = false
            let staying = participants(of: id)
            for other in staying { seats[other]?.dialsOut = true }
            var call = calls[id]!
            if call.to == ext { call.to = callee }
            call.agent = callee
            call.phase = .ringing
            call.ringingAt = now
            call.answeredAt = nil
            call.onHold = false
            calls[id] = call
            seats[callee]?.current = id
            seats[callee]?.dialsOut = false
            events.append(.transferred(call, from: ext, to: callee))
            events.append(.ringing(call))
            ([ext, callee] + staying).forEach { publish($0) }
        case .customer(let phone):
            let number = try validPhone(phone)
            var leg = calls[id]!
            events.append(.transferred(leg, from: ext, to: number))
            leg.type = .outbound
            leg.phone = number
            leg.from = ext
            leg.agent = nil
            leg.phase = .dialing
            leg.ringingAt = now
            requests.append(.place(leg))
            end(id, .transfer)
        }
    }

    /// The held call and the answered consult of an extension.
    func answeredConsult(_ seat: Seat) throws(SwitchRefusal) -> (held: CallID, consult: CallID) {
        guard let held = seat.held, let consult = seat.current else { throw .notConsulting }
        guard calls[consult]?.phase == .connected else { throw .consultRinging }
        return (held, consult)
    }

    mutating func completeTransfer(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        let (held, consultID) = try answeredConsult(seat)
        let consult = calls[consultID]!
        seats[ext]?.held = nil
        let consulted = participants(of: consultID).filter { $0 != ext }
        if consult.type == .internal, let callee = consult.to {
            var call = calls[held]!
            call.onHold = false
            call.agent = callee
            if call.to == ext { call.to = callee }
            calls[held] = call
            events.append(.transferred(call, from: ext, to: callee))
            end(consultID, .transfer, publishing: false)
            seats[callee]?.current = held
            seats[callee]?.dialsOut = false
        } else {
            if let call = calls[held] { events.append(.transferred(call, from: ext, to: consult.phone ?? "")) }
            end(consultID, .transfer, publishing: false)
            end(held, .transfer, publishing: false)
        }
        ([ext] + consulted + participants(of: held)).forEach { publish($0) }
    }

    mutating func returnToHeld(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard let held = seat.held else { throw .noHeldCall }
        var left: [String] = []
        if let consult = seat.current { left = end(consult, .agent, by: ext, publishing: false) }
        retrieve(held, at: ext)
        left.forEach { publish($0) }
    }

    mutating func conference(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard seat.held != nil else { throw .noHeldCall }
        let (held, consultID) = try answeredConsult(seat)
        let consulted = participants(of: consultID).filter { $0 != ext }
        var call = calls[held]!
        call.onHold = false
        for other in consulted where other != call.agent && !call.joined.contains(other) {
            call.joined.append(other)
        }
        calls[held] = call
        conferences.insert(held)
        events.append(.conferenced(call))
        end(consultID, .agent, publishing: false, dropNetworkLeg: false)
        for other in [ext] + consulted {
            seats[other]?.current = held
            seats[other]?.dialsOut = false
        }
        seats[ext]?.held = nil
        participants(of: held).forEach { publish($0) }
    }

    mutating func capture(_ ext: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard seat.isFree else { throw .callInProgress }
        var best: (ext: String, call: SwitchCall)?
        for other in seats.values where other.line.extension != ext {
            guard let id = ringingCall(at: other), let call = calls[id] else { continue }
            let allowed =
                if let group = call.group {
                    seat.line.groups.contains { Self.same($0, group) }
                } else {
                    seat.line.groups.contains { mine in other.line.groups.contains { Self.same($0, mine) } }
                }
            guard allowed else { continue }
            let key = (call.ringingAt ?? .distantFuture, call.ordinal)
            if let current = best, (current.call.ringingAt ?? .distantFuture, current.call.ordinal) < key { continue }
            best = (other.line.extension, call)
        }
        guard let (victim, ringing) = best else { throw .nothingToCapture }
        seats[victim]?.current = nil
        seats[victim]?.dialsOut = false
        var call = ringing
        call.agent = ext
        if call.to == victim { call.to = ext }
        calls[call.id] = call
        seats[ext]?.current = call.id
        seats[ext]?.dialsOut = false
        events.append(.captured(call, from: victim, by: ext))
        publish(victim)
        connect(call.id)
    }

    mutating func barge(_ ext: String, target: String) throws(SwitchRefusal) {
        let seat = try loggedIn(ext)
        guard seat.isFree else { throw .callInProgress }
        guard let other = resolve(target) else { throw .unknownExtension(target) }
        guard let id = seats[other]?.current, calls[id]?.phase == .connected else { throw .nothingToBarge(other) }
        calls[id]?.joined.append(ext)
        seats[ext]?.current = id
        seats[ext]?.dialsOut = false
        if let call = calls[id] { events.append(.barged(call, by: ext)) }
        participants(of: id).forEach { publish($0) }
    }
}
