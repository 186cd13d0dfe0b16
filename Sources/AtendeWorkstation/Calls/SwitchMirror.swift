public import AtendeCore
public import Foundation

/// What a workstation knows of the switch, built only from its snapshots and events, so the same
/// engine works whether the switch is in this process or on the server.
public struct SwitchMirror: Sendable, Equatable {
    /// Every line of the floor, by extension.
    public var lines: [String: AgentLine] = [:]
    /// The calls on the floor, by id.
    public var calls: [CallID: SwitchCall] = [:]
    /// The queues of the agent's groups, by group name (lower-cased).
    public var queues: [String: QueueFigures] = [:]
    /// The view the switch narrowed this mirror to, if it did: a call that leaves it is dropped.
    public var audience: SwitchAudience?

    public init() {}

    public init(_ snapshot: SwitchSnapshot) {
        audience = snapshot.audience
        for line in snapshot.lines { lines[line.extension] = line }
        for call in snapshot.calls { calls[call.id] = call }
        for q in snapshot.queues { queues[q.group.lowercased()] = q }
    }

    /// Applies one event.
    public mutating func apply(_ event: SwitchEvent) {
        switch event {
        case .agentChanged(let line): lines[line.extension] = line
        case .queueChanged(let figures): queues[figures.group.lowercased()] = figures
        case .ended(let call, _, _): calls[call.id] = nil
        case .queued(let call), .ringing(let call), .dialing(let call), .connected(let call), .held(let call),
            .retrieved(let call), .conferenced(let call), .ringNoAnswer(let call, _), .declined(let call, _),
            .left(let call, _), .transferred(let call, _, _), .captured(let call, _, _), .barged(let call, _):
            // Out of a narrowed view (handed over to another group's agent, say): no more news of it will come.
            calls[call.id] = audience.map { $0.sees(call) } == false ? nil : call
        }
    }

    /// The call `ext` has now and the call it holds.
    func calls(at ext: String) -> (current: SwitchCall?, held: SwitchCall?) {
        guard let line = lines[ext] else { return (nil, nil) }
        return (line.currentCall.flatMap { calls[$0] }, line.heldCall.flatMap { calls[$0] })
    }

    func queue(_ group: String) -> QueueFigures {
        queues[group.lowercased()] ?? QueueFigures(group: group, waiting: 0, oldestQueuedAt: nil)
    }
}
