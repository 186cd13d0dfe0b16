import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// The store's clock corrected by the server's word (SY-3): stamps already given beyond the bound
/// move back by the error, later ones come from the corrected clock, and a correction taken back
/// stamps from the clock again.
@Suite struct ClockCorrectionTests {
    static func millis(_ stamp: String) -> Int64 { HLCStamp(stamp)!.millis }

    @Test func anHourAheadIsMovedBackAndTheNextStampsComeFromTheCorrectedClock() throws {
        let f = try StoreFixture()
        let real = f.clock.now()
        // The machine's clock an hour ahead: a note is stamped there.
        f.clock.set(real.addingTimeInterval(3600))
        try f.store.notes.add(agent: "fabio", text: "escrita adiantada")
        let before = Self.millis(try f.store.outbox.pending(limit: 10)[0].hlc)
        #expect(before >= HybridLogicalClock.millis(real.timeIntervalSince1970 + 3600))

        // The server says the clock is an hour ahead.
        #expect(try f.store.correctClock(ahead: 3600) > 0)
        #expect(f.store.clockCorrection == 3600)
        let moved = try f.store.outbox.pending(limit: 10).map { Self.millis($0.hlc) }
        #expect(moved == [before - 3_600_000])
        #expect(Self.millis(try f.sql("SELECT hlc FROM notes")) == before - 3_600_000)
        // A later edit comes after it, from the corrected clock (not an hour ahead).
        f.clock.advance(by: 10)
        try f.store.notes.add(agent: "fabio", text: "depois")
        let next = Self.millis(try f.store.outbox.pending(limit: 10)[1].hlc)
        #expect(next > before - 3_600_000 && next < before - 3_500_000)
        // Kept for the next run.
        let reopened = try Store(path: f.path, clock: f.clock)
        #expect(reopened.clockCorrection == 3600)

        // The clock set right: the correction goes, stamps come from the clock again.
        f.clock.set(real.addingTimeInterval(20))
        try reopened.correctClock(ahead: 0)
        try reopened.notes.add(agent: "fabio", text: "relógio certo")
        let right = Self.millis(try reopened.outbox.pending(limit: 10)[2].hlc)
        #expect(right >= HybridLogicalClock.millis(real.timeIntervalSince1970 + 20))
    }
}
