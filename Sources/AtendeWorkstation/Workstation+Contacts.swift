public import AtendeCore
import AtendeStore
public import Foundation

/// The fields of a contact as typed; nil leaves a field as it is when editing.
public struct ContactDraft: Sendable, Equatable {
    public var name: String?
    /// A new contact's phones; for an edit, phones added to those it has.
    public var phones: [String]?
    /// For an edit, phones taken off the contact (as typed or in any form of the same number).
    public var removedPhones: [String]?
    public var company: String?
    public var email: String?
    public var notes: String?

    public init(
        name: String? = nil, phones: [String]? = nil, removedPhones: [String]? = nil, company: String? = nil, email: String? = nil,
        notes: String? = nil
    ) {
        self.name = name
        self.phones = phones
        self.removedPhones = removedPhones
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
        let areaCode = try configuration().areaCode
        var merged = ContactDraft(
            name: existing.name, phones: draft.phones, company: existing.company, email: existing.email, notes: existing.notes)
        if let v = draft.name { merged.name = v }
        if let v = draft.company { merged.company = v }
        if let v = draft.email { merged.email = v }
        if let v = draft.notes { merged.notes = v }
        if let added = draft.phones, added.allSatisfy({ $0.trimmingSpaces.isEmpty }) { throw AtendeError.emptyField("phone") }
        var updated = try ContactRules.contact(from: merged, areaCode: areaCode)
        // The phones it had stay as stored; `--phone` adds, `--remove-phone` takes one off.
        var phones = existing.phones
        for text in draft.removedPhones ?? [] {
            let e164 = try? PhoneNumber.parse(text, areaCode: areaCode).e164
            let before = phones.count
            phones.removeAll { $0.text == text.trimmingSpaces || (e164 != nil && $0.e164 == e164) }
            guard phones.count < before else { throw AtendeError.phoneNotOnContact(contact: number, phone: text) }
        }
        for phone in updated.phones where !phones.contains(where: { $0.e164 != nil && $0.e164 == phone.e164 }) {
            phones.append(phone)
        }
        updated.phones = phones
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
