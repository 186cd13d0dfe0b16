public import AtendeCore
public import Foundation

extension SplitMix64 {
    /// A uniform number in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

/// Simulated customer calls (SV-4 `--traffic RATE`): Poisson arrivals at a mean rate, seeded.
///
/// Inter-arrival times are exponential; each call picks a service at random and comes from a
/// random Brazilian number in E.164 (mobile `+55489XXXXXXXX`, landline `+55483XXXXXXX`).
/// Consecutive windows continue the same arrival process.
/// ```swift
/// var traffic = TrafficGenerator(seed: 42, callsPerMinute: 6, services: registry.services)
/// for arrival in traffic.arrivals(from: start, to: start.addingTimeInterval(60)) {
///     _ = try pabx.incoming(phone: arrival.phone, service: arrival.service, now: arrival.at)
/// }
/// ```
public struct TrafficGenerator: Sendable {
    /// The mean arrival rate.
    public let callsPerMinute: Double
    /// The services the calls go to, drawn uniformly.
    public let services: [Service]
    var random: SplitMix64
    /// The next arrival already drawn, when it fell after the last window.
    var pending: Date?

    public init(seed: UInt64, callsPerMinute: Double, services: [Service]) {
        self.callsPerMinute = callsPerMinute
        self.services = services
        random = SplitMix64(state: seed)
    }

    /// The calls arriving in [from, to), in time order.
    public mutating func arrivals(from start: Date, to end: Date) -> [(at: Date, phone: String, service: String)] {
        guard callsPerMinute > 0, !services.isEmpty, start < end else { return [] }
        var next = pending.flatMap { $0 >= start ? $0 : nil } ?? start.addingTimeInterval(gap())
        var result: [(at: Date, phone: String, service: String)] = []
        while next < end {
            result.append((next, phone(), services[random.below(services.count)].name))
            next = next.addingTimeInterval(gap())
        }
        pending = next
        return result
    }

    /// An exponential inter-arrival time, in seconds.
    mutating func gap() -> TimeInterval {
        -log(1 - random.unit()) * 60 / callsPerMinute
    }

    /// A random number of Florianópolis (area code 48): mobile or landline.
    mutating func phone() -> String {
        let mobile = random.below(10) < 6
        let digits = (0..<(mobile ? 8 : 7)).map { _ in String(random.below(10)) }.joined()
        return (mobile ? "+55489" : "+55483") + digits
    }
}
