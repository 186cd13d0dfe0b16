public import AtendeCore
public import Foundation

/// How the switch behaves where the site may choose.
public struct SwitchConfiguration: Sendable, Equatable {
    /// How long a queue call rings at an agent before it goes back to the head of its queue.
    public var ringTimeout: TimeInterval
    /// How many callers a group's queue holds; a caller beyond gets the switch's busy (`.queueFull`).
    public var queueLimit: Int

    public init(ringTimeout: TimeInterval = 30, queueLimit: Int = 200) {
        self.ringTimeout = ringTimeout
        self.queueLimit = queueLimit
    }
}

/// The ACD/PABX model (SV-3): commands and the time in, the events they caused out.
///
/// Deterministic: no I/O, no wall clock, no threads. Every command takes `now` and returns its
/// events in causal order, or throws a ``SwitchRefusal`` and changes nothing. Not thread-safe:
/// the caller serialises access.
/// ```swift
/// let pabx = CallSwitch(registry: registry, now: start)
/// _ = try pabx.login(extension: "2050", now: start)
/// let events = try pabx.incoming(phone: "+5548999990000", service: "Suporte", now: start)
/// // .queued, .queueChanged(1 waiting), .ringing(at 2050), .agentChanged(2050 ringing), .queueChanged(0 waiting)
/// ```
public final class CallSwitch {
    var model: SwitchModel
    let adapter: (any TelephonyAdapter)?

    /// A switch where every registered agent has a line at their extension, logged out.
    ///
    /// ```swift
    /// let network = SimulatedNetwork()
    /// let pabx = CallSwitch(registry: registry, configuration: .init(ringTimeout: 20), adapter: network, now: start)
    /// ```
    public init(
        registry: Registry, configuration: SwitchConfiguration = .init(), adapter: (any TelephonyAdapter)? = nil,
        now: Date
    ) {
        model = SwitchModel(registry: registry, configuration: configuration, now: now)
        self.adapter = adapter
    }

    /// The line at an extension, if an agent is registered there.
    public func line(_ ext: String) -> AgentLine? {
        model.seats[ext]?.line
    }

    /// Every line, sorted by extension.
    public var lines: [AgentLine] {
        model.seats.keys.sorted().compactMap { model.seats[$0]?.line }
    }

    /// The line of the agent with this nickname (case-insensitive).
    public func line(nickname: String) -> AgentLine? {
        model.extensionOf(nickname: nickname).flatMap { model.seats[$0]?.line }
    }

    /// The agent's current call (ringing, dialling, connected or in conference) and the call it holds, if any.
    public func calls(at ext: String) -> (current: SwitchCall?, held: SwitchCall?) {
        guard let seat = model.seats[ext] else { return (nil, nil) }
        return (seat.current.flatMap { model.calls[$0] }, seat.held.flatMap { model.calls[$0] })
    }

    /// The calls not ended, by id.
    public var activeCalls: [SwitchCall] {
        model.calls.values.sorted { $0.ordinal < $1.ordinal }
    }

    /// The queue figures of a group (SL-1): how many wait and since when the oldest does.
    public func queue(_ group: String) -> QueueFigures {
        model.figures(group)
    }

    /// When the next timed transition is due (a queue call ringing out), if any.
    public var nextDeadline: Date? {
        model.nextRingDeadline(timeout: max(model.configuration.ringTimeout, 1))
    }

    /// The switch's time: the instant of the last command or advance.
    public var now: Date { model.now }

    /// A service by name (case-insensitive) or by number.
    public func service(named nameOrNumber: String) -> Service? {
        model.service(nameOrNumber)
    }

    /// Runs `body` on the model, then distributes and publishes; when `body` throws, what it
    /// changed is put back and the refusal thrown.
    func apply(
        at now: Date, _ body: (inout SwitchModel) throws(SwitchRefusal) -> Void
    ) throws(SwitchRefusal) -> [SwitchEvent] {
        let before = model.begin()
        model.now = now
        do {
            try body(&model)
        } catch {
            model.rollback(to: before)
            throw error
        }
        model.distribute()
        model.publishAll()
        return commit()
    }

    /// Keeps the model's changes, hands the adapter its requests and returns the events.
    func commit() -> [SwitchEvent] {
        model.seats.commit()
        model.calls.commit()
        let events = model.events
        let requests = model.requests
        model.events.removeAll()
        model.requests.removeAll()
        for request in requests {
            switch request {
            case .place(let call): adapter?.place(call: call)
            case .hangUp(let call): adapter?.hangUp(call: call)
            }
        }
        return events
    }
}

/// What the switch asks of the telephone network once a command succeeded.
enum AdapterRequest: Sendable {
    case place(SwitchCall)
    case hangUp(SwitchCall)
}

/// One extension: the agent's line and the calls it has.
struct Seat: Sendable {
    var line: AgentLine
    /// The line as last told in an `.agentChanged` event.
    var published: AgentLine
    var current: CallID?
    var held: CallID?
    /// The seat placed its current call (it is dialling out, not being rung).
    var dialsOut = false

    var isFree: Bool { current == nil && held == nil }
}

/// The switch's whole state: a command changes it in place; a refused one's changes are undone
/// (``begin()`` / ``rollback(to:)``).
struct SwitchModel: Sendable {
    var registry: Registry
    let configuration: SwitchConfiguration
    var seats = Journaled<String, Seat, SeatIndex>()
    var calls = Journaled<CallID, SwitchCall, CallIndex>()
    /// Every extension, sorted: the order lines are published in.
    var extensions: [String] = []
    /// The extensions whose published line has each call as its current or held call.
    var holders: [CallID: Set<String>] = [:]
    /// The conferences as last published.
    var publishedConferences: Set<CallID> = []
    /// Calls merged by `conference` (they stay conferences even without a joined extension).
    var conferences: Set<CallID> = []
    /// How many calls this switch has created: each call's ordinal.
    var created = 0
    var now: Date
    var events: [SwitchEvent] = []
    var requests: [AdapterRequest] = []

    init(registry: Registry, configuration: SwitchConfiguration, now: Date) {
        self.registry = registry
        self.configuration = configuration
        self.now = now
        for agent in registry.agents where seats[agent.extension] == nil {
            let line = AgentLine(nickname: agent.nickname, extension: agent.extension, groups: agent.groups, now: now)
            seats[agent.extension] = Seat(line: line, published: line)
        }
    }

    // MARK: Look-ups

    /// Where the agent is seated, else the extension registered for them.
    func extensionOf(nickname: String) -> String? {
        let theirs = seats.values.filter { $0.line.nickname.caseInsensitiveCompare(nickname) == .orderedSame }
        return (theirs.first { $0.line.loggedIn } ?? theirs.first)?.line.extension
    }

    /// An extension given by number or by the nickname of its agent.
    func resolve(_ target: String) -> String? {
        seats[target] != nil ? target : extensionOf(nickname: target)
    }

    func service(_ nameOrNumber: String) -> Service? {
        registry.service(nameOrNumber)
    }

    func seat(_ ext: String) throws(SwitchRefusal) -> Seat {
        guard let seat = seats[ext] else { throw .unknownExtension(ext) }
        return seat
    }

    func loggedIn(_ ext: String) throws(SwitchRefusal) -> Seat {
        let seat = try seat(ext)
        guard seat.line.loggedIn else { throw .notLoggedIn(ext) }
        return seat
    }

    /// The extension `target` names, when it is logged in, free and not `caller`.
    func freeTarget(_ target: String, caller: String?) throws(SwitchRefusal) -> String {
        guard let ext = resolve(target), let seat = seats[ext] else { throw .unknownExtension(target) }
        guard seat.line.loggedIn else { throw .targetLoggedOut(ext) }
        guard seat.isFree, ext != caller else { throw .targetBusy(ext) }
        return ext
    }

    func validPhone(_ phone: String) throws(SwitchRefusal) -> String {
        let trimmed = phone.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidPhone(phone) }
        return trimmed
    }

    /// The call ringing at this seat (it is being called, not calling), if any.
    func ringingCall(at seat: Seat) -> CallID? {
        guard let id = seat.current, !seat.dialsOut, let call = calls[id],
            call.phase == .ringing || call.phase == .dialing
        else { return nil }
        return id
    }

    /// The call this seat is dialling and nobody answered yet, if any.
    func dialingCall(at seat: Seat) -> CallID? {
        guard let id = seat.current, seat.dialsOut, let call = calls[id],
            call.phase == .ringing || call.phase == .dialing
        else { return nil }
        return id
    }

    func isConference(_ id: CallID) -> Bool {
        conferences.contains(id) || !(calls[id]?.joined.isEmpty ?? true)
    }

    /// The extensions that have the call, current or held, sorted.
    func participants(of id: CallID) -> [String] {
        seats.index.onCall[id].map { $0.sorted() } ?? []
    }

    // MARK: Changes

    mutating func newCall(_ type: CallType, _ phase: CallPhase) -> SwitchCall {
        created += 1
        return SwitchCall(id: UUID(), ordinal: created, type: type, phase: phase)
    }

    /// Ends a call for everyone on it; returns the extensions that had it.
    @discardableResult
    mutating func end(
        _ id: CallID, _ reason: CallEnd, by ext: String? = nil, publishing: Bool = true, dropNetworkLeg: Bool = true
    ) -> [String] {
        guard var call = calls.removeValue(forKey: id) else { return [] }
        let parties = participants(of: id)
        for ext in parties {
            if seats[ext]?.current == id {
                seats[ext]?.current = nil
                seats[ext]?.dialsOut = false
            }
            if seats[ext]?.held == id { seats[ext]?.held = nil }
        }
        conferences.remove(id)
        call.phase = .ended
        call.endedAt = now
        events.append(.ended(call, reason: reason, by: ext))
        if reason == .agent, dropNetworkLeg, call.phone != nil { requests.append(.hangUp(call)) }
        if publishing { parties.forEach { publish($0) } }
        return parties
    }

    /// Connects a ringing or dialling call and tells everyone on it.
    mutating func connect(_ id: CallID) {
        calls[id]?.phase = .connected
        calls[id]?.answeredAt = now
        if let call = calls[id] { events.append(.connected(call)) }
        participants(of: id).forEach { publish($0) }
    }

    /// What the seat's calls make of its extension state.
    func state(of seat: Seat) -> ExtensionState {
        guard seat.line.loggedIn else { return .loggedOut }
        if seat.held != nil { return seat.current == nil ? .onHold : .consulting }
        guard let id = seat.current, let call = calls[id] else { return .free }
        if isConference(id) { return .conference }
        switch call.phase {
        case .connected: return .talking
        case .ringing, .dialing: return seat.dialsOut ? .dialing : .ringing
        case .queued, .ended: return .free
        }
    }

    /// Brings the line's state up to date and emits `.agentChanged` when the line changed.
    mutating func publish(_ ext: String) {
        guard var seat = seats[ext] else { return }
        let stored = seat.line
        seat.line.currentCall = seat.current
        seat.line.heldCall = seat.held
        let state = state(of: seat)
        if state != seat.line.state {
            seat.line.state = state
            seat.line.stateSince = now
            if state == .free { seat.line.idleSince = now }
        }
        if stored.currentCall != seat.line.currentCall || stored.heldCall != seat.line.heldCall {
            for id in [stored.currentCall, stored.heldCall].compactMap({ $0 }) {
                holders[id]?.remove(ext)
                if holders[id]?.isEmpty == true { holders[id] = nil }
            }
            for id in [seat.line.currentCall, seat.line.heldCall].compactMap({ $0 }) { holders[id, default: []].insert(ext) }
        }
        guard seat.line != seat.published else {
            if seat.line != stored { seats[ext] = seat }
            return
        }
        events.append(.agentChanged(seat.line))
        seat.published = seat.line
        seats[ext] = seat
    }

    /// Publishes every line a command may have changed: the seats it wrote, and the seats on the
    /// calls it wrote (a line's state follows its calls), in extension order. Lines come and go
    /// (a registry change) or a conference began or ended: every line.
    mutating func publishAll() {
        let touchedSeats = seats.takeTouched()
        let touchedCalls = calls.takeTouched()
        if extensions.count != seats.count || conferences != publishedConferences {
            extensions = seats.keys.sorted()
            publishedConferences = conferences
            extensions.forEach { publish($0) }
            return
        }
        var dirty = touchedSeats
        for id in touchedCalls {
            if let on = holders[id] { dirty.formUnion(on) }
            if let call = calls[id] {
                dirty.formUnion([call.agent, call.from, call.to].compactMap { $0 })
                dirty.formUnion(call.joined)
            }
        }
        dirty.sorted().forEach { publish($0) }
        // What publishing wrote is published.
        _ = seats.takeTouched()
    }

    /// What a command may change besides the seats and the calls, as it was before it.
    struct Before {
        var conferences: Set<CallID>
        var created: Int
        var now: Date
    }

    /// Starts a command: what it changes can be undone.
    mutating func begin() -> Before {
        seats.begin()
        calls.begin()
        return Before(conferences: conferences, created: created, now: now)
    }

    /// Undoes a refused command.
    mutating func rollback(to before: Before) {
        seats.rollback()
        calls.rollback()
        conferences = before.conferences
        created = before.created
        now = before.now
        events.removeAll()
        requests.removeAll()
    }
}
