public import AtendeCore
/// What a telephone network provides to the switch (SV-4).
///
/// The switch tells the adapter when it places an outbound leg (a dial, an outbound consult, a
/// blind transfer to a phone) and when it drops a call that has a network party. What the
/// network does in return comes back through the switch's own entry points (`incoming`,
/// `remoteAnswer`, `remoteHangup`, …). Real PABX adapters plug in behind this protocol.
/// ```swift
/// final class Recorder: TelephonyAdapter {
///     func place(call: SwitchCall) { /* ring call.phone */ }
///     func hangUp(call: SwitchCall) { /* drop the network leg of call.id */ }
/// }
/// ```
public protocol TelephonyAdapter: AnyObject {
    /// The switch placed an outbound call: ring `call.phone` for call `call.id`.
    func place(call: SwitchCall)
    /// The switch's side ended a call that has a network party: drop its network leg.
    func hangUp(call: SwitchCall)
}

/// The shipped adapter: a network that only records what the switch asked of it.
///
/// Tests and the REPL's `sim` commands read `placed` and `hungUp`, and answer for the far end
/// through the switch (`remoteAnswer`, `remoteHangup`).
/// ```swift
/// let network = SimulatedNetwork()
/// let pabx = CallSwitch(registry: registry, adapter: network, now: start)
/// _ = try pabx.dial(extension: "2050", phone: "+554833334444", now: start)
/// network.placed.last?.phone   // "+554833334444"
/// ```
public final class SimulatedNetwork: TelephonyAdapter {
    /// Every call the switch placed, in order.
    public private(set) var placed: [SwitchCall] = []
    /// Every call the switch hung up on its side, in order.
    public private(set) var hungUp: [SwitchCall] = []

    public init() {}

    public func place(call: SwitchCall) {
        placed.append(call)
    }

    public func hangUp(call: SwitchCall) {
        hungUp.append(call)
    }

    /// Forgets what was recorded.
    public func reset() {
        placed.removeAll()
        hungUp.removeAll()
    }
}
