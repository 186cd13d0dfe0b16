import AtendeCore
import AtendeServerStore
import AtendeSync
import Foundation
import Testing
import TestSupport

/// A restarted server numbers the switch's events on from the last one it wrote, logged or not,
/// so a client never sees a number twice.
struct SwitchNumberingTests {
    /// These records carry no sync operations: nothing is decided.
    static func noSync(_: SyncOperation, _: SyncRecord?, _: String?) -> SyncDecision { .refuse(.notDeletable) }

    @Test func theNumberingGoesOnFromTheLastEventWrittenNotTheLastLogged() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("server.sqlite").path
        do {
            let store = try ServerStore(path: path)
            #expect(try store.lastSequence() == 0)
            var record = SwitchRecord()
            record.log = [CallLogEntry(sequence: 5, at: Date(timeIntervalSince1970: 1_800_000_000), event: "login", data: nil)]
            // Events 6 to 9 were queue figures: numbered and pushed, not logged.
            record.through = 9
            try store.append(record, decide: Self.noSync)
            #expect(try store.lastSequence() == 9)
            // Only queue figures: nothing logged, the numbering still kept.
            var figures = SwitchRecord()
            figures.through = 12
            try store.append(figures, decide: Self.noSync)
            #expect(try store.lastSequence() == 12)
            // A record that goes up to less never takes the numbering back.
            figures.through = 10
            try store.append(figures, decide: Self.noSync)
            #expect(try store.logCount() == 1)
        }
        #expect(try ServerStore(path: path).lastSequence() == 12)
    }
}
