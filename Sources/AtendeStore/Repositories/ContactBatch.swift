public import AtendeCore
import Foundation

/// Contacts made ready for `ContactRepository.addAll(_:)`: the text of their search rows and
/// outbox payloads is worked out here, before the write transaction, so an importer can prepare
/// one batch while the store writes the one before.
///
/// For example:
/// ```swift
/// try store.contacts.addAll(ContactBatch(contacts))
/// ```
public struct ContactBatch: Sendable {
    let entries: [Entry]

    /// `queueForSync: false` for records the server already holds (no outbox entries).
    public init(_ contacts: [Contact], queueForSync: Bool = true) {
        var opIDs = UUIDGenerator()
        entries = contacts.map { Entry($0, outboxID: queueForSync ? opIDs.next() : nil) }
    }

    /// The number of contacts.
    public var count: Int { entries.count }

    /// One contact with what its rows hold besides its fields.
    struct Entry: Sendable {
        let contact: Contact
        let id: String
        /// The full-text row's `phones`: every digit form of every phone.
        let searchPhones: String
        /// The full-text row's `initials`.
        let initials: String
        /// The outbox operation's id and payload; nil when the contact is not queued for the server.
        let outbox: (opID: String, payload: ContactPayload)?

        init(_ contact: Contact, outboxID: UUID?) {
            let id = contact.id.uuidString
            self.contact = contact
            self.id = id
            searchPhones = contact.phones.flatMap { SearchIndex.phoneKeys(text: $0.text, e164: $0.e164) }.joined(separator: " ")
            initials = TextFolding.initials(of: contact.name)
            outbox = outboxID.map { ($0.uuidString, ContactPayload(contact, id: id)) }
        }
    }
}
