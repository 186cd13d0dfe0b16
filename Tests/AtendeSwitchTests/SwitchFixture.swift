import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

/// The small call center of the seed manual: two groups, two services, three agents.
let registry = Registry(
    groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")],
    services: [
        Service(number: "40009938", name: "Suporte", group: "receptivas"),
        Service(number: "40009939", name: "Cobranca", group: "ativas"),
    ],
    agents: [
        Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas", "ativas"]),
        Agent(nickname: "luan", name: "Luan", extension: "2071", groups: ["receptivas"]),
        Agent(
            nickname: "intelbras", name: "Intelbras", extension: "2048", groups: ["receptivas", "ativas"],
            role: .admin),
    ],
    pauseReasons: [], qualificationCodes: [], recordingReasons: [])

let fabio = "2050"
let luan = "2071"
let intelbras = "2048"
let customer = "+5548999990001"
let otherCustomer = "+554833334444"

/// 6 Oct 2016, 07:00:00 UTC: the day of the manual's report.
let start = Date(timeIntervalSince1970: 1_475_737_200)

/// `seconds` after the start.
func at(_ seconds: TimeInterval) -> Date {
    start.addingTimeInterval(seconds)
}

/// A switch with the given extensions logged in, one second apart in that order (so the first is the longest idle).
func makeSwitch(
    loggedIn extensions: [String] = [], ringTimeout: TimeInterval = 30, adapter: (any TelephonyAdapter)? = nil
) throws -> CallSwitch {
    let pabx = CallSwitch(registry: registry, configuration: .init(ringTimeout: ringTimeout), adapter: adapter, now: start)
    for (offset, ext) in extensions.enumerated() {
        _ = try pabx.login(extension: ext, now: at(Double(offset)))
    }
    return pabx
}

/// Everything a refusal must leave untouched.
struct Snapshot: Equatable {
    var lines: [AgentLine]
    var calls: [SwitchCall]
    var queues: [QueueFigures]

    init(_ pabx: CallSwitch) {
        lines = pabx.lines
        calls = pabx.activeCalls
        queues = [pabx.queue("receptivas"), pabx.queue("ativas")]
    }
}

extension CallSwitch {
    func state(_ ext: String) -> ExtensionState? {
        line(ext)?.state
    }
}

/// A one-line reading of an event, so expectations can compare whole sequences.
func describe(_ event: SwitchEvent) -> String {
    switch event {
    case .agentChanged(let line): "agent \(line.extension) \(line.state.rawValue)"
    case .queued(let call): "queued #\(call.ordinal)"
    case .ringing(let call): "ringing #\(call.ordinal) at \(call.agent ?? "-")"
    case .ringNoAnswer(let call, let ext): "no-answer #\(call.ordinal) at \(ext)"
    case .dialing(let call): "dialing #\(call.ordinal) from \(call.from ?? "-")"
    case .connected(let call): "connected #\(call.ordinal) at \(call.agent ?? "-")"
    case .held(let call): "held #\(call.ordinal)"
    case .retrieved(let call): "retrieved #\(call.ordinal)"
    case .transferred(let call, let from, let to): "transferred #\(call.ordinal) \(from)->\(to)"
    case .conferenced(let call): "conference #\(call.ordinal)"
    case .captured(let call, let from, let by): "captured #\(call.ordinal) \(from)->\(by)"
    case .barged(let call, let by): "barged #\(call.ordinal) by \(by)"
    case .ended(let call, let reason, _): "ended #\(call.ordinal) \(reason.rawValue)"
    case .declined(let call, let ext): "declined #\(call.ordinal) at \(ext)"
    case .left(let call, let ext): "left #\(call.ordinal) by \(ext)"
    case .queueChanged(let figures): "queue \(figures.group) \(figures.waiting)"
    }
}

func describe(_ events: [SwitchEvent]) -> [String] {
    events.map(describe)
}

/// The reason of the first `.ended` event for call `id`.
func endReason(_ events: [SwitchEvent], call id: Int) -> CallEnd? {
    for case .ended(let call, let reason, _) in events where call.ordinal == id { return reason }
    return nil
}
