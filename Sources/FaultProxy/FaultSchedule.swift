import AtendeCore

/// A seeded random run of faults for a ``FaultProxy``: each step an action and how long to
/// leave it in force. Data only — whoever drives the run keeps the time; the same seed gives the
/// same steps on every machine.
///
/// For example:
/// ```swift
/// for step in FaultSchedule(seed: 42, steps: 20) {
///     await proxy.perform(step.action)
///     try await clock.sleep(for: step.duration)   // the harness's own clock
/// }
/// await proxy.heal()
/// ```
public struct FaultSchedule: Sequence, Sendable {
    /// What a step does to the proxy.
    public enum Action: Sendable, Hashable {
        /// Forward normally (a partition's damaged connections are reset).
        case heal
        case set(FaultProxy.Fault)
        /// Reset every open connection, the fault in force staying.
        case resetAll
    }

    public struct Step: Sendable, Hashable {
        public var action: Action
        public var duration: Duration

        public init(action: Action, duration: Duration) {
            self.action = action
            self.duration = duration
        }
    }

    public let seed: UInt64
    public let steps: Int
    /// How long each step lasts, in milliseconds.
    public let durations: ClosedRange<Int>
    /// How long a delay holds each chunk, in milliseconds.
    public let delays: ClosedRange<Int>

    public init(seed: UInt64, steps: Int, durations: ClosedRange<Int> = 50...1_000, delays: ClosedRange<Int> = 5...300) {
        self.seed = seed
        self.steps = steps
        self.durations = durations
        self.delays = delays
    }

    public struct Iterator: IteratorProtocol, Sendable {
        var random: SplitMix64
        var left: Int
        let durations: ClosedRange<Int>
        let delays: ClosedRange<Int>

        public mutating func next() -> Step? {
            guard left > 0 else { return nil }
            left -= 1
            let action: Action =
                switch draw(upTo: 7) {
                case 0: .heal
                case 1: .set(.partition(.both))
                case 2: .set(.partition(.toServer))
                case 3: .set(.partition(.toClient))
                case 4: .set(.delay(milliseconds: draw(delays)))
                case 5: .resetAll
                default: .set(.refuse)
                }
            return Step(action: action, duration: .milliseconds(draw(durations)))
        }

        private mutating func draw(upTo bound: Int) -> Int { Int(random.next() % UInt64(Swift.max(bound, 1))) }

        private mutating func draw(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + draw(upTo: range.upperBound - range.lowerBound + 1)
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(random: SplitMix64(state: seed), left: steps, durations: durations, delays: delays)
    }
}
