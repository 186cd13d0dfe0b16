import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

/// Arrivals as comparable values.
private struct Arrival: Equatable {
    var at: Date
    var phone: String
    var service: String
}

private func arrivals(seed: UInt64, perMinute: Double = 6, minutes: Double) -> [Arrival] {
    var traffic = TrafficGenerator(seed: seed, callsPerMinute: perMinute, services: registry.services)
    return traffic.arrivals(from: start, to: at(minutes * 60)).map { Arrival(at: $0.at, phone: $0.phone, service: $0.service) }
}

@Suite("Simulated traffic")
struct TrafficGeneratorTests {
    @Test("the same seed gives the same calls; another seed others")
    func deterministic() {
        let first = arrivals(seed: 42, minutes: 60)
        #expect(!first.isEmpty)
        #expect(first == arrivals(seed: 42, minutes: 60))
        #expect(first != arrivals(seed: 43, minutes: 60))
    }

    @Test("consecutive windows continue the same arrivals")
    func windowsContinue() {
        var traffic = TrafficGenerator(seed: 7, callsPerMinute: 6, services: registry.services)
        var split: [Arrival] = []
        for minute in 0..<60 {
            split += traffic.arrivals(from: at(Double(minute) * 60), to: at(Double(minute + 1) * 60))
                .map { Arrival(at: $0.at, phone: $0.phone, service: $0.service) }
        }
        #expect(split == arrivals(seed: 7, minutes: 60))
    }

    @Test("the rate is right within 10% over a long window", arguments: [1.0, 6.0, 30.0])
    func rate(perMinute: Double) {
        let minutes = 2000.0
        let count = Double(arrivals(seed: 2016, perMinute: perMinute, minutes: minutes).count)
        let expected = perMinute * minutes
        #expect(abs(count - expected) / expected < 0.10, "\(count) calls for \(expected) expected")
    }

    @Test("calls come in time order from Florianópolis numbers to the registry's services")
    func shapeOfCalls() throws {
        let calls = arrivals(seed: 1, minutes: 120)
        let mobile = try Regex(#"^\+55489\d{8}$"#)
        let landline = try Regex(#"^\+55483\d{7}$"#)
        #expect(calls.allSatisfy { $0.phone.wholeMatch(of: mobile) != nil || $0.phone.wholeMatch(of: landline) != nil })
        #expect(calls.contains { $0.phone.wholeMatch(of: mobile) != nil })
        #expect(calls.contains { $0.phone.wholeMatch(of: landline) != nil })
        #expect(Set(calls.map(\.service)) == ["Suporte", "Cobranca"])
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.at <= $1.at })
        #expect(calls.allSatisfy { $0.at >= start && $0.at < at(120 * 60) })
    }

    @Test("no rate or no service, no calls")
    func nothingToGenerate() {
        var idle = TrafficGenerator(seed: 1, callsPerMinute: 0, services: registry.services)
        #expect(idle.arrivals(from: start, to: at(3600)).isEmpty)
        var empty = TrafficGenerator(seed: 1, callsPerMinute: 10, services: [])
        #expect(empty.arrivals(from: start, to: at(3600)).isEmpty)
    }

    @Test("generated calls feed the switch's queues")
    func feedsTheSwitch() throws {
        // Given nobody logged in and ten minutes of traffic
        let pabx = try makeSwitch()
        var traffic = TrafficGenerator(seed: 9, callsPerMinute: 6, services: registry.services)
        let calls = traffic.arrivals(from: start, to: at(600))

        // When every call comes in
        for call in calls { _ = try pabx.incoming(phone: call.phone, service: call.service, now: call.at) }

        // Then they all wait in their groups
        #expect(pabx.queue("receptivas").waiting + pabx.queue("ativas").waiting == calls.count)
        #expect(pabx.activeCalls.count == calls.count)
    }
}
