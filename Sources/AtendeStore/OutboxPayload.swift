import AtendeCore

/// A contact's outbox payload, byte for byte what `JSONEncoder.sync` writes for it (keys sorted,
/// absent fields left out, `/` escaped), without the encoder's cost on every row of an import.
///
/// It is split around the number, which is known only inside the transaction that reserves it.
struct ContactPayload: Sendable {
    private let head: String
    private let tail: String

    init(_ contact: Contact, id: String) {
        var head = "{"
        head.appendJSONField("company", contact.company)
        head.appendJSONField("email", contact.email)
        head.appendJSONField("id", id)
        head.appendJSONField("name", contact.name)
        head.appendJSONField("notes", contact.notes)
        head += "\"number\":"
        var tail = ",\"phones\":["
        for (i, phone) in contact.phones.enumerated() {
            tail += i == 0 ? "{" : ",{"
            tail.appendJSONField("e164", phone.e164)
            tail += "\"text\":"
            tail.appendJSONString(phone.text)
            tail += "}"
        }
        tail += "]}"
        self.head = head
        self.tail = tail
    }

    /// The payload of the contact numbered `number`.
    func text(number: Int) -> String {
        head + String(number) + tail
    }
}

extension String {
    /// Appends `"key":"value",`, or nothing when `value` is nil (as `encodeIfPresent` does).
    fileprivate mutating func appendJSONField(_ key: String, _ value: String?) {
        guard let value else { return }
        self += "\"\(key)\":"
        appendJSONString(value)
        self += ","
    }

    /// Appends `value` as a JSON string with Foundation's escapes: `"`, `\`, `/`, the short forms
    /// `\b \t \n \f \r`, `\u00xx` for the other control characters, everything else as it is.
    fileprivate mutating func appendJSONString(_ value: String) {
        self += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x2F }) {
            self += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": self += "\\\""
                case "\\": self += "\\\\"
                case "/": self += "\\/"
                case "\u{8}": self += "\\b"
                case "\t": self += "\\t"
                case "\n": self += "\\n"
                case "\u{C}": self += "\\f"
                case "\r": self += "\\r"
                case _ where scalar.value < 0x20:
                    self += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: unicodeScalars.append(scalar)
                }
            }
        }
        self += "\""
    }
}
