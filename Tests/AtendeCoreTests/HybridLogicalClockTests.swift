import Foundation
import Testing

@testable import AtendeCore

/// The instant `millis` milliseconds after 1970.
private func at(_ millis: Int64) -> Date {
    Date(timeIntervalSince1970: Double(millis) / 1000)
}

/// A fixed physical time for the tests: 2026-09-21T14:13:20Z.
private let t0: Int64 = 1_790_000_000_000

/// Whether every element is strictly greater than the one before.
private func strictlyIncreasing<T: Comparable>(_ values: [T]) -> Bool {
    zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
}

/// HybridLogicalClock and HLCStamp: ever-increasing stamps whose text sorts like the stamps.
struct HybridLogicalClockTests {
    // MARK: - tick

    @Test func stampsStrictlyIncreaseWhileTheClockStandsStill() {
        // Given a clock that does not move
        var clock = HybridLogicalClock(node: "a")
        // When five local events happen at the same instant
        let stamps = (0..<5).map { _ in clock.tick(now: at(t0)) }
        // Then each stamp is later than the one before, in value and in text
        #expect(strictlyIncreasing(stamps))
        #expect(strictlyIncreasing(stamps.map(\.description)))
        #expect(stamps.map(\.millis) == Array(repeating: t0, count: 5))
        #expect(stamps.map(\.counter) == [0, 1, 2, 3, 4])
        #expect(stamps.allSatisfy { $0.node == "a" })
        #expect(clock.last == stamps.last)
    }

    @Test func stampsStrictlyIncreaseWhenTheClockGoesBackwards() {
        // Given a clock stepped back by NTP
        var clock = HybridLogicalClock(node: "a")
        let times: [Int64] = [t0, t0 - 1, t0 - 1_000, t0 - 60_000, t0 - 1]
        // When
        let stamps = times.map { clock.tick(now: at($0)) }
        // Then physical time never goes back in the stamps
        #expect(strictlyIncreasing(stamps))
        #expect(strictlyIncreasing(stamps.map(\.description)))
        #expect(stamps.allSatisfy { $0.millis == t0 })
    }

    @Test func counterRestartsWhenTheClockMovesOn() {
        var clock = HybridLogicalClock(node: "a")
        _ = clock.tick(now: at(t0))
        _ = clock.tick(now: at(t0))
        let later = clock.tick(now: at(t0 + 1))
        #expect(later == HLCStamp(millis: t0 + 1, counter: 0, node: "a"))
    }

    @Test func physicalTimeIsTruncatedToMilliseconds() {
        var clock = HybridLogicalClock(node: "a")
        let stamp = clock.tick(now: Date(timeIntervalSince1970: 1_790_000_000.0009))
        #expect(stamp.millis == t0)
    }

    @Test func clockResumedFromAStoredStampNeverGoesBehindIt() {
        // Given a clock restarted from the last stamp it stored, with the machine's clock behind
        let stored = HLCStamp(millis: t0 + 5_000, counter: 7, node: "a")
        var clock = HybridLogicalClock(node: "a", last: stored)
        // When
        let next = clock.tick(now: at(t0))
        // Then
        #expect(next == HLCStamp(millis: t0 + 5_000, counter: 8, node: "a"))
        #expect(next > stored)
    }

    // MARK: - receive

    @Test func remoteStampAheadOfLocalTimeOrdersLaterLocalStampsAfterIt() {
        // Given a local clock at t0 and a stamp from a node whose clock is 5 s ahead
        var clock = HybridLogicalClock(node: "a")
        let before = clock.tick(now: at(t0))
        let remote = HLCStamp(millis: t0 + 5_000, counter: 3, node: "b")
        // When it is received, and more local events follow before local time catches up
        let received = clock.receive(remote, now: at(t0 + 1))
        let after1 = clock.tick(now: at(t0 + 2))
        let after2 = clock.tick(now: at(t0 + 10))
        // Then every later local stamp sorts after the remote one, in value and text
        #expect(received == HLCStamp(millis: t0 + 5_000, counter: 4, node: "a"))
        #expect(strictlyIncreasing([before, remote, received, after1, after2]))
        #expect(strictlyIncreasing([before, remote, received, after1, after2].map(\.description)))
        // And once local time passes the remote one, the counter restarts
        let caughtUp = clock.tick(now: at(t0 + 6_000))
        #expect(caughtUp == HLCStamp(millis: t0 + 6_000, counter: 0, node: "a"))
    }

    @Test func remoteStampBehindLocalTimeTakesLocalTime() {
        var clock = HybridLogicalClock(node: "a")
        _ = clock.tick(now: at(t0))
        let remote = HLCStamp(millis: t0 - 10_000, counter: 9, node: "b")
        let received = clock.receive(remote, now: at(t0 + 100))
        #expect(received == HLCStamp(millis: t0 + 100, counter: 0, node: "a"))
        #expect(received > remote)
    }

    @Test func remoteStampEqualToLastTakesTheHigherCounter() {
        // Given local and remote both ahead of physical time at the same millisecond
        var clock = HybridLogicalClock(node: "a", last: HLCStamp(millis: t0 + 1_000, counter: 2, node: "a"))
        let remote = HLCStamp(millis: t0 + 1_000, counter: 6, node: "b")
        // When
        let received = clock.receive(remote, now: at(t0))
        // Then
        #expect(received == HLCStamp(millis: t0 + 1_000, counter: 7, node: "a"))
        #expect(received > remote)
    }

    @Test func remoteStampBehindLastKeepsCountingFromLast() {
        var clock = HybridLogicalClock(node: "a", last: HLCStamp(millis: t0 + 1_000, counter: 2, node: "a"))
        let remote = HLCStamp(millis: t0 + 500, counter: 40, node: "b")
        let received = clock.receive(remote, now: at(t0))
        #expect(received == HLCStamp(millis: t0 + 1_000, counter: 3, node: "a"))
        #expect(clock.last == received)
    }

    // MARK: - Text form

    @Test func textFormIsZeroPadded() {
        #expect(HLCStamp(millis: t0, counter: 3, node: "3f2a9c10").description == "0001790000000000-0003-3f2a9c10")
        #expect(HLCStamp(millis: 0, counter: 0, node: "n").description == "0000000000000000-0000-n")
    }

    static let stamps: [HLCStamp] = [
        HLCStamp(millis: 0, counter: 0, node: "a"),
        HLCStamp(millis: 9, counter: 0, node: "a"),
        HLCStamp(millis: 10, counter: 0, node: "a"),
        HLCStamp(millis: t0, counter: 0, node: "a"),
        HLCStamp(millis: t0, counter: 0, node: "ab"),
        HLCStamp(millis: t0, counter: 0, node: "b"),
        HLCStamp(millis: t0, counter: 9, node: "a"),
        HLCStamp(millis: t0, counter: 10, node: "a"),
        HLCStamp(millis: t0, counter: 999, node: "a"),
        HLCStamp(millis: t0, counter: 1_000, node: "a"),
        HLCStamp(millis: t0, counter: 9_999, node: "a"),
        HLCStamp(millis: t0 + 1, counter: 0, node: "3f2a9c10"),
        HLCStamp(millis: t0, counter: 1, node: "node-with-dashes"),
    ]

    @Test(arguments: stamps)
    func textFormRoundTrips(stamp: HLCStamp) {
        #expect(HLCStamp(stamp.description) == stamp)
    }

    @Test func textFormSortsAsTheStampsDo() {
        let byValue = Self.stamps.sorted()
        let byText = Self.stamps.sorted { $0.description < $1.description }
        #expect(byText == byValue)
        // And the orders are strict: no two stamps tie.
        #expect(strictlyIncreasing(byValue))
    }

    /// The counter's text holds four digits: past 9,999 events in one millisecond the clock
    /// moves to the next millisecond, so the text keeps sorting like the stamps.
    @Test func textFormSortsAsTheStampsDoBeyondTenThousandEvents() {
        var hlc = HybridLogicalClock(node: "a")
        let now = at(t0)
        var previous = hlc.tick(now: now)
        for _ in 0..<10_001 {
            let next = hlc.tick(now: now)
            #expect(previous < next && previous.description < next.description)
            previous = next
        }
        #expect(previous.millis == t0 + 1)
    }

    @Test(arguments: ["", "abc", "1-2", "x-1-n", "1-y-n", "-1-n"])
    func malformedTextIsNil(text: String) {
        #expect(HLCStamp(text) == nil)
    }

    // MARK: - ManualClock

    @Test func manualClockMovesOnlyWhenTold() {
        // Given
        let start = at(t0)
        let clock = ManualClock(now: start)
        #expect(clock.now() == start)
        #expect(clock.now() == start)
        // When / Then
        clock.advance(by: 30)
        #expect(clock.now() == start.addingTimeInterval(30))
        clock.advance(by: -10)
        #expect(clock.now() == start.addingTimeInterval(20))
        clock.set(at(0))
        #expect(clock.now() == at(0))
        clock.advance(by: 1.5)
        #expect(clock.now() == at(1_500))
    }

    @Test func manualClockDrivesTheHybridClockThroughTheProtocol() {
        let manual = ManualClock(now: at(t0))
        let clock: any AtendeClock = manual
        var hlc = HybridLogicalClock(node: "a")
        let first = hlc.tick(now: clock.now())
        manual.advance(by: 0.25)
        let second = hlc.tick(now: clock.now())
        #expect(first == HLCStamp(millis: t0, counter: 0, node: "a"))
        #expect(second == HLCStamp(millis: t0 + 250, counter: 0, node: "a"))
    }
}

/// One clock per store, bounded to now plus a maximum skew.
struct HybridLogicalClockBoundTests {
    @Test func catchingUpWithAPersistedStampMovesOnFromIt() {
        var clock = HybridLogicalClock(node: "a", last: HLCStamp(millis: 1_000, counter: 3, node: "a"))
        clock.catchUp(with: HLCStamp(millis: 1_000, counter: 7, node: "a"))
        #expect(clock.tick(now: Date(timeIntervalSince1970: 1)) == HLCStamp(millis: 1_000, counter: 8, node: "a"))
        // An older persisted stamp changes nothing
        clock.catchUp(with: HLCStamp(millis: 10, counter: 0, node: "a"))
        #expect(clock.last == HLCStamp(millis: 1_000, counter: 8, node: "a"))
    }

    @Test(arguments: [(299.0, false), (300.0, false), (300.002, true)])
    func aStampIsAheadOnlyBeyondTheMaximumSkew(ahead: Double, expected: Bool) {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let clock = HybridLogicalClock(node: "a", last: HLCStamp(millis: HybridLogicalClock.millis(now.addingTimeInterval(ahead)), counter: 0, node: "a"))
        #expect(clock.isAhead(of: now, maximumSkew: 300) == expected)
    }

    @Test func restartingStampsFromTheClockAlone() {
        var clock = HybridLogicalClock(node: "a", last: HLCStamp(millis: 4_070_941_200_000, counter: 5, node: "a"))
        clock.restart()
        #expect(clock.tick(now: Date(timeIntervalSince1970: 1_790_000_000)) == HLCStamp(millis: 1_790_000_000_000, counter: 0, node: "a"))
    }
}
