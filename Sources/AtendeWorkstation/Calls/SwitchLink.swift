public import AtendeSwitch
public import Foundation

/// The workstation's line to the switch: in-process for the standalone mode, remote later.
public protocol SwitchLink: AnyObject {
    func perform(_ request: SwitchRequest, now: Date) throws(SwitchRefusal) -> [SwitchEvent]
    /// Lets time pass in the switch (ring timeouts).
    func advance(to now: Date) -> [SwitchEvent]
    func line(_ extension: String) -> AgentLine?
    var lines: [AgentLine] { get }
    func calls(at extension: String) -> (current: SwitchCall?, held: SwitchCall?)
    func queue(_ group: String) -> QueueFigures
    /// Standalone: the other registered agents are simulated colleagues, seated and paused until
    /// `sim agent NAME free`, so queue calls come to the agent at the keyboard first.
    var simulatesColleagues: Bool { get }
}

/// The standalone mode: the switch runs inside the workstation's process.
public final class InProcessSwitchLink: SwitchLink {
    public let callSwitch: CallSwitch

    public let simulatesColleagues: Bool

    public init(_ callSwitch: CallSwitch, simulatesColleagues: Bool = true) {
        self.callSwitch = callSwitch
        self.simulatesColleagues = simulatesColleagues
    }

    public func perform(_ request: SwitchRequest, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        try callSwitch.perform(request, now: now)
    }

    public func advance(to now: Date) -> [SwitchEvent] { callSwitch.advance(to: now) }
    public func line(_ extension: String) -> AgentLine? { callSwitch.line(`extension`) }
    public var lines: [AgentLine] { callSwitch.lines }
    public func calls(at extension: String) -> (current: SwitchCall?, held: SwitchCall?) { callSwitch.calls(at: `extension`) }
    public func queue(_ group: String) -> QueueFigures { callSwitch.queue(group) }
}
