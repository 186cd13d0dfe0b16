import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing

@Suite struct HistoryGeneratorTests {
    func generate(seed: UInt64) throws -> (attendances: [Attendance], contacts: [Contact], store: Store) {
        let f = try WorkstationFixture()
        var generator = HistoryGenerator(seed: seed)
        try generator.generate(into: f.store, attendances: 600, contacts: 150, registry: WorkstationFixture.registry) { _ in }
        let all = try f.store.attendances.list(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
        let contacts = try f.store.search.contacts("a", limit: 1000)
        return (all, contacts.sorted { $0.number < $1.number }, f.store)
    }

    @Test func theSameSeedGivesTheSameRecords() throws {
        let a = try generate(seed: 7)
        let b = try generate(seed: 7)
        let c = try generate(seed: 8)
        #expect(a.attendances.count == 600 && a.attendances == b.attendances)
        #expect(a.contacts == b.contacts)
        #expect(a.attendances != c.attendances)
    }

    @Test func theHistoryLooksLikeACallCenters() throws {
        let (calls, _, store) = try generate(seed: 1)
        let types = Dictionary(grouping: calls, by: \.type).mapValues(\.count)
        #expect(types[.inbound, default: 0] > types[.outbound, default: 0] && types[.internal, default: 0] > 0)
        let days = Set(calls.compactMap { $0.startedAt.map { Int($0.timeIntervalSince1970 / 86_400) } })
        #expect(days.count > 300, "spread over two years")
        #expect(calls.allSatisfy { $0.talkSeconds >= 20 && $0.endedAt! > $0.answeredAt! })
        let recorded = try calls.filter { try !(store.attendances.attendance(number: $0.number)?.recordings.isEmpty ?? true) }
        #expect((10...60).contains(recorded.count), "about one call in twenty is recorded: \(recorded.count)")
        // Generated history is history the server already has: nothing of it waits in the outbox.
        #expect(try store.pendingOutboxCount() == 3)
        #expect(try store.contacts.count() == 150)
    }
}
