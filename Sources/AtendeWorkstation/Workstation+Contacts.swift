public import AtendeCore
import AtendeStore
public import Foundation

/// The fields of a contact as typed; nil leaves a field as it is when editing.
public struct ContactDraft: Sendable, Equatable {
    public var name: String?
    public var phones: [String]?
    public var company: String?
    public var email: String?
    public var notes: String?

    public init(name: String? = nil, phones: [String]? = nil, company: String? = nil, email: String? = nil, notes: String? = nil) {
        self.name = name
        self.phones = phones
        self.company = company
        self.email = email
        self.notes = notes
    }
}

extension Workstation {
    /// Adds a contact (CT-1); needs the contact-edit permission.
    @discardableResult
    public func addContact(_ draft: ContactDraft) throws -> Contact {
        let session = try requireSession()
        guard session.agent.may(.contactEdit) else { throw AtendeError.permissionDenied(.contactEdit) }
        return try store.contacts.add(try ContactRules.contact(from: draft, areaCode: try configuration().areaCode))
    }

    /// Changes the fields given of contact `number`.
    @discardableResult
    public func editContact(_ number: Int, _ draft: ContactDraft) throws -> Contact {
        let session = try requireSession()
        guard session.agent.may(.contactEdit) else { throw AtendeError.permissionDenied(.contactEdit) }
        guard let existing = try store.contacts.contact(number: number) else { throw AtendeError.noSuchContact(String(number)) }
        var merged = ContactDraft(
            name: existing.name, phones: existing.phones.map(\.text), company: existing.company, email: existing.email,
            notes: existing.notes)
        if let v = draft.name { merged.name = v }
        if let v = draft.phones { merged.phones = v }
        if let v = draft.company { merged.company = v }
        if let v = draft.email { merged.email = v }
        if let v = draft.notes { merged.notes = v }
        var updated = try ContactRules.contact(from: merged, areaCode: try configuration().areaCode)
        updated.id = existing.id
        updated.number = existing.number
        try store.contacts.update(updated)
        return updated
    }

    public func contact(number: Int) throws -> Contact {
        _ = try requireSession()
        guard let c = try store.contacts.contact(number: number) else { throw AtendeError.noSuchContact(String(number)) }
        return c
    }

    /// Contacts by name, number or initials.
    public func findContacts(_ text: String) throws -> [Contact] {
        _ = try requireSession()
        return try store.search.contacts(text)
    }
}

/// The rules a contact obeys, wherever it comes from: typed, imported or synced.
enum ContactRules {
    /// A contact from typed fields: name required, every phone valid (stored canonical).
    static func contact(from draft: ContactDraft, areaCode: String, id: UUID = .random()) throws(AtendeError) -> Contact {
        let name = (draft.name ?? "").trimmingSpaces
        guard !name.isEmpty else { throw .emptyField("name") }
        guard name.utf8.count <= 200 || name.count <= 200 else { throw .fieldTooLong(field: "name", maximum: 200) }
        var phones: [ContactPhone] = []
        for text in draft.phones ?? [] where !text.trimmingSpaces.isEmpty {
            do {
                let n = try PhoneNumber.parse(text, areaCode: areaCode)
                phones.append(ContactPhone(text: text.trimmingSpaces, e164: n.e164))
            } catch {
                throw .invalidPhone(text, error)
            }
        }
        func clean(_ s: String?) -> String? {
            let t = s?.trimmingSpaces ?? ""
            return t.isEmpty ? nil : t
        }
        return Contact(id: id, name: name, company: clean(draft.company), email: clean(draft.email), notes: clean(draft.notes), phones: phones)
    }
}
