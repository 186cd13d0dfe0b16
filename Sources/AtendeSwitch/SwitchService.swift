public import AtendeCore
public import Foundation
import Synchronization

/// What the host of a switch keeps of what it did: told of every event, in order, before any
/// subscriber sees it (standalone, the workstation's store records the losses; the server, next,
/// its own log).
public protocol SwitchRecorder: Sendable {
    /// `events` are numbered from `first` on, in order.
    func record(_ events: [SwitchEvent], at now: Date, first: UInt64)
}

/// Hosts one switch: owns its model and its time, carries out requests, publishes every event.
///
/// Requests come from workstations (in process, or through the server) and from the telephone
/// network or its simulator; each is applied in turn and its events go to every subscriber in
/// one ``SwitchBatch``, numbered. Ring timeouts fire from the injected clock: on a real clock
/// ``run()`` sleeps until the next one; on a ``ManualClock`` whoever moves the clock calls
/// ``advance()``. For example:
/// ```swift
/// let service = SwitchService(registry: registry, clock: clock)
/// let events = await service.subscribe(.workstation(extension: "2050", groups: ["receptivas"]))
/// let receipt = try await service.send(.login(extension: "2050", paused: nil))
/// // events yields a SwitchBatch with .agentChanged(2050 free), through receipt.through
/// ```
public actor SwitchService {
    /// The registry in force (``adopt(_:version:)`` replaces it).
    public nonisolated var registry: Registry { registryInForce.withLock { $0.registry } }
    /// The version of the registry in force (0 until one is adopted).
    public nonisolated var registryVersion: Int { registryInForce.withLock { $0.version } }
    private nonisolated let registryInForce: Mutex<(registry: Registry, version: Int)>
    public nonisolated let clock: any AtendeClock
    let callSwitch: CallSwitch
    let recorder: (any SwitchRecorder)?
    /// The number of the last event published.
    public private(set) var sequence: UInt64 = 0
    private var subscribers: [UUID: (audience: SwitchAudience, continuation: AsyncStream<SwitchBatch>.Continuation)] = [:]
    /// Wakes the timer loop of ``run()`` when the next deadline may have changed.
    private let wakeup = Wakeup()

    public init(
        registry: Registry, configuration: SwitchConfiguration = .init(), clock: any AtendeClock,
        recorder: (any SwitchRecorder)? = nil, startingAt sequence: UInt64 = 0, registryVersion version: Int = 0
    ) {
        self.sequence = sequence
        registryInForce = Mutex((registry, version))
        self.clock = clock
        self.recorder = recorder
        callSwitch = CallSwitch(registry: registry, configuration: configuration, now: clock.now())
    }

    /// Carries out a request at the clock's time (timeouts due by then fire first).
    ///
    /// Throws the switch's refusal and changes nothing when it is refused.
    @discardableResult
    public func send(_ request: SwitchRequest) throws(SwitchRefusal) -> SwitchReceipt {
        let now = catchUp()
        let events = try callSwitch.perform(request, now: now)
        publish(events, at: now)
        signalTimer()
        return SwitchReceipt(through: sequence)
    }

    /// Puts a new registry in force at once, without a restart (an admin changed it): new
    /// agents can log in, new services take calls, changed groups are routed from now on (see
    /// ``CallSwitch/adopt(_:now:)``). A version older than the one in force is ignored, so two
    /// changes adopted out of order leave the newer.
    ///
    /// ```swift
    /// await service.adopt(next, version: 7)
    /// _ = try await service.send(.login(extension: "2090", paused: nil))
    /// ```
    @discardableResult
    public func adopt(_ registry: Registry, version: Int) -> SwitchReceipt {
        let newer = registryInForce.withLock { current in
            guard version > current.version else { return false }
            current = (registry, version)
            return true
        }
        guard newer else { return SwitchReceipt(through: sequence) }
        let now = catchUp()
        publish(callSwitch.adopt(registry, now: now), at: now)
        signalTimer()
        return SwitchReceipt(through: sequence)
    }

    /// Fires every timed transition due by the clock's time; returns how far the sequence got.
    @discardableResult
    public func advance() -> SwitchReceipt {
        _ = catchUp()
        return SwitchReceipt(through: sequence)
    }

    /// When the next timed transition is due, if any.
    public var nextDeadline: Date? { callSwitch.nextDeadline }

    /// A stream of the batches that concern `audience`, from the next one on.
    ///
    /// Every batch is delivered (an empty one when nothing in it concerned the audience), so the
    /// subscriber knows how far it is. A subscriber that falls 10,000 batches behind loses the
    /// oldest; ending the iteration (or the task) unsubscribes.
    public func subscribe(_ audience: SwitchAudience) -> AsyncStream<SwitchBatch> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: SwitchBatch.self, bufferingPolicy: .bufferingNewest(10_000))
        subscribers[id] = (audience, continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// The line at an extension (the simulator plays colleagues from what it sees).
    public func line(_ ext: String) -> AgentLine? { callSwitch.line(ext) }

    /// Every line, by extension.
    public var lines: [AgentLine] { callSwitch.lines }

    /// The state `audience` needs to start from, current at the returned sequence number.
    public func snapshot(for audience: SwitchAudience) -> SwitchSnapshot {
        let groups = audience.groups ?? registry.groups.map(\.name)
        let narrowed: SwitchAudience? = if case .team = audience { audience } else { nil }
        return SwitchSnapshot(
            through: sequence, lines: callSwitch.lines.filter(audience.sees), calls: callSwitch.activeCalls.filter(audience.sees),
            queues: groups.map { callSwitch.queue($0) }, audience: narrowed)
    }

    /// Hands `join` the snapshot for `audience` on the switch itself: no event is published
    /// between the snapshot and what `join` does (a follower it registers misses nothing after it).
    public func snapshot(for audience: SwitchAudience, join: @Sendable (SwitchSnapshot) -> Void) {
        join(snapshot(for: audience))
    }

    /// The timer loop on a real clock: sleeps until the next ring timeout and fires it, until cancelled.
    public func run() async {
        await Alarm.run(clock: clock, wakeup: wakeup, next: { await self.nextDeadline }, fire: { await self.advance() })
        for (_, s) in subscribers { s.continuation.finish() }
        subscribers.removeAll()
    }

    // MARK: Inside

    /// Brings the switch up to the clock, publishing what timed out on the way; returns the time.
    private func catchUp() -> Date {
        let now = max(clock.now(), callSwitch.now)
        let events = callSwitch.advance(to: now)
        publish(events, at: now)
        return now
    }

    private func publish(_ events: [SwitchEvent], at now: Date) {
        guard !events.isEmpty else { return }
        recorder?.record(events, at: now, first: sequence + 1)
        sequence += UInt64(events.count)
        for (_, s) in subscribers {
            s.continuation.yield(SwitchBatch(through: sequence, events: events.filter(s.audience.concerns)))
        }
    }

    private func signalTimer() {
        wakeup.signal()
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }
}
