/// From the CRM to the workstation (Annex I, 7.3).
///
/// Parsing rules (lenient where harmless, strict where a wrong guess would act wrongly):
/// - Spaces around a field are ignored; inside a field they make it invalid.
/// - The type field may carry leading zeros (`0005` is `5`); anything but digits is an unknown type.
/// - One trailing empty field (a frame ending in ";") is ignored when it is one more than expected.
/// - Numeric fields hold ASCII digits only and at most 30 of them; values are returned trimmed.
/// - Pause status is exactly `0` or `1` (`5;2` and `5;01` are refused).
public enum CRMCommand: Sendable, Equatable {
    /// 1: answer the ringing call.
    case answer
    /// 2: hang up.
    case hangup
    /// 3;carrier;ddi;ddd;phone: dial out; carrier, DDI and DDD may be empty (local call, default carrier).
    case dialExternal(carrier: String, ddi: String, ddd: String, phone: String)
    /// 4;ext: dial an internal extension.
    case dialExtension(String)
    /// 5;0|1: turn the eventual pause off or on.
    case eventualPause(on: Bool)
    /// 6;code;0|1: turn a productive pause on (code required) or off (code may be empty).
    case productivePause(code: String, on: Bool)
    /// 9999: ask for the workstation's date and time.
    case requestDateTime

    /// Parses the fields of one frame, type first.
    public static func parse(_ fields: [String]) throws(CRMCommandError) -> CRMCommand {
        let raw = fields.first ?? ""
        let trimmed = FieldText.trimmed(raw)
        guard FieldText.isDigits(trimmed), let number = Int(trimmed) else { throw .unknownType(raw) }
        let type = String(number)
        let expected: Int
        switch number {
        case 1, 2, 9999: expected = 1
        case 3: expected = 5
        case 4, 5: expected = 2
        case 6: expected = 3
        default: throw .unknownType(raw)
        }
        var values = fields.map(FieldText.trimmed)
        if values.count == expected + 1, values.last == "" { values.removeLast() }
        guard values.count == expected else {
            throw .wrongFieldCount(type: type, expected: expected, found: fields.count)
        }
        let checker = FieldChecker(type: type)
        switch number {
        case 1: return .answer
        case 2: return .hangup
        case 3:
            return .dialExternal(
                carrier: try checker.digits("carrier", values[1], required: false),
                ddi: try checker.digits("ddi", values[2], required: false),
                ddd: try checker.digits("ddd", values[3], required: false),
                phone: try checker.digits("phone", values[4], required: true))
        case 4: return .dialExtension(try checker.digits("extension", values[1], required: true))
        case 5: return .eventualPause(on: try checker.status(values[1]))
        case 6:
            let on = try checker.status(values[2])
            return .productivePause(code: try checker.digits("code", values[1], required: on), on: on)
        default: return .requestDateTime
        }
    }
}

/// Why a frame's fields are not a valid `CRMCommand`.
public enum CRMCommandError: Error, Sendable, Equatable {
    /// The type field (as received) is not a known command.
    case unknownType(String)
    /// The frame has `found` fields (type included) where `expected` were needed.
    case wrongFieldCount(type: String, expected: Int, found: Int)
    /// A field's value (trimmed) is not acceptable.
    case invalidField(type: String, field: String, value: String)
}

/// Validates the fields of one command type.
private struct FieldChecker {
    let type: String

    func digits(_ field: String, _ value: String, required: Bool) throws(CRMCommandError) -> String {
        if value.isEmpty && !required { return value }
        guard !value.isEmpty, value.utf8.count <= 30, FieldText.isDigits(value) else {
            throw .invalidField(type: type, field: field, value: value)
        }
        return value
    }

    func status(_ value: String) throws(CRMCommandError) -> Bool {
        switch value {
        case "0": return false
        case "1": return true
        default: throw .invalidField(type: type, field: "status", value: value)
        }
    }
}

/// Small helpers on ASCII field text.
enum FieldText {
    /// The field without leading and trailing spaces (0x20 only).
    static func trimmed(_ field: String) -> String {
        let bytes = Array(field.utf8)
        guard let first = bytes.firstIndex(where: { $0 != 0x20 }),
              let last = bytes.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// True when the field is non-empty and all ASCII digits.
    static func isDigits(_ field: String) -> Bool {
        !field.isEmpty && field.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The field reduced to printable ASCII without ";", at most `limit` bytes.
    static func clamped(_ field: String, limit: Int = 30) -> String {
        let kept = field.utf8.lazy.filter { $0 >= 0x20 && $0 < 0x7F && $0 != FrameByte.separator }
        return String(decoding: kept.prefix(limit), as: UTF8.self)
    }
}
