import AtendeCore
@testable import AtendeStore
import Foundation
import Testing
import TestSupport

/// Contacts written in batches (imports): the same rows as one by one, numbered and stamped in
/// order, all or nothing.
@Suite struct ContactBatchTests {
    /// Contacts of every shape: all fields, absent ones, empty ones, several phones, a phone that
    /// did not parse, text that JSON must escape.
    static let contacts = [
        Contact(
            id: UUID(uuidString: "6F1C1D2E-0000-4000-8000-000000000001")!, name: "Maria da Silva Souza", company: "Intelbras",
            email: "maria@example.com", notes: "prefere ligação à tarde / \"urgente\"",
            phones: [
                ContactPhone(text: "(48) 3281-9500", e164: "+554832819500"),
                ContactPhone(text: "11 98765-4321", e164: "+5511987654321"),
            ]),
        Contact(id: UUID(uuidString: "6F1C1D2E-0000-4000-8000-000000000002")!, name: "João"),
        Contact(
            id: UUID(uuidString: "6F1C1D2E-0000-4000-8000-000000000003")!, name: "Ana\\Lima 😀", company: "", email: nil,
            notes: "linha 1\nlinha 2\t\u{1}\u{8}\u{C}\r\u{1F}\u{7F}", phones: [ContactPhone(text: "ramal 12", e164: nil)]),
    ]

    @Test func aBatchWritesTheSameRowsAsOneByOneAdds() throws {
        // Given two stores with the same clock
        let oneByOne = try StoreFixture()
        let batched = try StoreFixture()
        // When one gets the contacts one by one and the other in one batch
        for c in Self.contacts { try oneByOne.store.contacts.add(c) }
        try batched.store.contacts.addAll(Self.contacts)
        // Then contacts, phones, search rows and outbox hold the same (stamps aside from their node)
        for query in [
            "SELECT number, id, name, quote(company), quote(email), quote(notes), created_at, updated_at, substr(hlc, 1, 21) FROM contacts ORDER BY number",
            "SELECT contact_id, position, text, quote(e164) FROM contact_phones ORDER BY contact_id, position",
            "SELECT rowid, name, quote(company), quote(notes), phones, initials FROM contacts_fts ORDER BY rowid",
            "SELECT entity, entity_id, operation, payload, substr(hlc, 1, 21), created_at FROM outbox ORDER BY seq",
        ] {
            #expect(try oneByOne.sql(query) == batched.sql(query), "\(query)")
        }
        // And the rows are the contacts'
        #expect(try batched.sql("SELECT group_concat(number) FROM contacts") == "1,2,3")
        #expect(try batched.sql("SELECT quote(company) FROM contacts WHERE number = 3") == "''")
        #expect(try batched.sql("SELECT phones || '|' || initials FROM contacts_fts WHERE rowid = 1")
            == "554832819500 4832819500 32819500 5511987654321 11987654321 987654321|mdss")
        #expect(try batched.sql("SELECT quote(company) || quote(phones) FROM contacts_fts WHERE rowid = 2") == "''''")
        #expect(try batched.store.search.contacts("987654321").map(\.name) == ["Maria da Silva Souza"])
        let payload = try batched.sql("SELECT payload FROM outbox WHERE entity_id = '\(Self.contacts[2].id.uuidString)'")
        var ana = Self.contacts[2]
        ana.number = 3
        #expect(try JSONDecoder().decode(Contact.self, from: Data(payload.utf8)) == ana)
    }

    @Test func theOutboxPayloadIsWhatJSONEncoderWrites() throws {
        for (i, contact) in Self.contacts.enumerated() {
            var c = contact
            c.number = 1_000_000 + i
            let expected = String(decoding: try JSONEncoder.sync.encode(c), as: UTF8.self)
            #expect(ContactPayload(c, id: c.id.uuidString).text(number: c.number) == expected)
        }
    }

    @Test func numbersAndStampsKeepIncreasingAcrossBatchesSingleAddsAndRestarts() throws {
        // Given contacts added in two batches, then one alone
        let f = try StoreFixture()
        try f.store.contacts.addAll(Array(Self.contacts[0..<2]))
        try f.store.contacts.addAll([Self.contacts[2]])
        #expect(try f.store.contacts.add(Contact(name: "Pedro")).number == 4)
        // When the clock goes back, a contact is edited, and the store is opened again for one more
        f.clock.advance(by: -3_600)
        var maria = try #require(try f.store.contacts.contact(number: 1))
        maria.name = "Maria Souza"
        try f.store.contacts.update(maria)
        let reopened = try Store(path: f.path, clock: f.clock)
        #expect(try reopened.contacts.add(Contact(name: "Luan")).number == 5)
        // Then the numbers follow each other and every stamp is newer than the one before
        #expect(try f.sql("SELECT group_concat(number) FROM (SELECT number FROM contacts ORDER BY number)") == "1,2,3,4,5")
        let stamps = try f.sql("SELECT hlc FROM outbox ORDER BY seq").split(separator: "\n").map(String.init)
        #expect(stamps.count == 6)
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }, "\(stamps)")
        #expect(try f.sql("SELECT last FROM hlc_state") == stamps.last)
        #expect(try f.sql("SELECT hlc FROM contacts WHERE number = 1") == stamps[4])
        #expect(try f.store.search.contacts("souza").map(\.name) == ["Maria Souza"])
    }

    @Test func aBatchThatFailsLeavesNothingBehind() throws {
        // Given a batch whose last contact repeats the id of the first
        let f = try StoreFixture()
        let batch = Self.contacts + [Self.contacts[0]]
        // When it is written, the store refuses it whole
        #expect(throws: StoreError.self) { try f.store.contacts.addAll(batch) }
        for table in ["contacts", "contact_phones", "contacts_fts", "outbox", "sequences"] {
            #expect(try f.sql("SELECT count(*) FROM \(table)") == "0", "\(table)")
        }
        // And numbering starts over at 1
        #expect(try f.store.contacts.add(Self.contacts[1]).number == 1)
    }

    @Test func editingAContactThatIsNotStoredIsRefused() throws {
        let f = try StoreFixture()
        #expect(throws: AtendeError.noSuchContact("9")) {
            try f.store.contacts.update(Contact(number: 9, name: "Nobody"))
        }
        #expect(try f.store.pendingOutboxCount() == 0)
    }
}
