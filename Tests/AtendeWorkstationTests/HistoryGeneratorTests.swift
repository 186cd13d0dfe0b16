import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

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
        // Generated calls are history the server already has: nothing of them waits in the outbox;
        // the agenda event and the note do; the loss is the switch host's record, never queued.
        #expect(try store.pendingOutboxCount() == 2)
        #expect(try store.contacts.count() == 150)
    }

    @Test func aLossIsOnTheDayOfTheStoresTimeZone() throws {
        // Given a store made in Tokyo, twelve hours from São Paulo
        let dir = TemporaryDirectory()
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let store = try Store(
            path: dir.file("atende.sqlite").path, clock: ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000)),
            options: StoreOptions(timeZone: tokyo))
        // When history is generated into it
        var generator = HistoryGenerator(seed: 5)
        try generator.generate(into: store, attendances: 5_000, contacts: 10, registry: WorkstationFixture.registry) { _ in }
        // Then every loss is kept under the Tokyo day of its time, as calls and the agenda are read
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tokyo
        let losses = try store.losses.list(fromDay: "1900-01-01", toDay: "9999-12-31", group: nil)
        #expect(losses.count == 10)
        #expect(losses.allSatisfy { $0.day == calendar.dayKey($0.lastAt) }, "\(losses.map { ($0.day, $0.lastAt) })")
    }
}
