import Foundation
/// Why a text is not a phone number.
public enum PhoneError: Error, Equatable, Sendable {
    case empty
    case invalidCharacter(Character)
    case tooShort
    case tooLong
    case invalidAreaCode(String)
}

/// A telephone number in canonical E.164 form (`+554832819500`), parsed from what people type.
///
/// Brazilian forms are understood relative to the workstation's area code (DDD). For example:
/// ```swift
/// let n = try PhoneNumber.parse("(48) 3281-9500", areaCode: "48")
/// n.e164          // "+554832819500"
/// n.searchKeys    // ["554832819500", "4832819500", "32819500"]
/// ```
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// `+` and the digits with country code.
    public let e164: String
    /// Country code without `+` (`55` for Brazil).
    public let countryCode: String
    /// Brazilian area code (DDD), empty for other countries, nationwide numbers (0800 …) and
    /// service numbers (190 …).
    public let areaCode: String
    /// The number without country and area codes.
    public let subscriber: String

    public var description: String { e164 }

    /// The digit strings under which the number is found by search: international, national, local.
    public var searchKeys: [String] {
        var keys = [countryCode + areaCode + subscriber]
        if !areaCode.isEmpty { keys.append(areaCode + subscriber) }
        keys.append(subscriber)
        return keys
    }

    /// The national form: area code and number, digits only (as the CRM protocols send it).
    public var national: String { areaCode + subscriber }

    /// Brazil's emergency and public-service numbers, dialled as they are, with no area code.
    public static let serviceNumbers: Set<String> = [
        "100", "128", "136", "153", "156", "180", "181", "188", "190", "191", "192", "193", "194", "195", "196", "197",
        "198", "199",
    ]

    /// Whether `text` (digits and separators) is one of the ``serviceNumbers``.
    public static func isServiceNumber(_ text: String) -> Bool {
        looksLikeNumber(text) && !text.trimmingSpaces.hasPrefix("+") && serviceNumbers.contains(digits(of: text))
    }

    /// Nationwide numbers with no area code: 0800, 0300, 0500, 0900 (dialled `0` + the number).
    public var isNationwide: Bool {
        countryCode == "55" && areaCode.isEmpty && subscriber.count == 10
    }

    /// An emergency or public-service number (190 …), dialled as it is.
    public var isServiceNumber: Bool {
        countryCode == "55" && areaCode.isEmpty && Self.serviceNumbers.contains(subscriber)
    }

    /// Characters people put in phone numbers that carry no meaning.
    public static func isSeparator(_ c: Character) -> Bool {
        c == " " || c == "-" || c == "(" || c == ")" || c == "." || c == "/"
    }

    /// The digits of `text`, ignoring everything else.
    public static func digits(of text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.filter { $0 &- UInt8(ascii: "0") < 10 }, as: UTF8.self)
        }
        return String(text.filter(\.isASCIIDigit))
    }

    /// Whether `text` looks like a phone number (digits, separators, a leading `+`) rather than words.
    public static func looksLikeNumber(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        guard trimmed.contains(where: \.isASCIIDigit) else { return false }
        return trimmed.enumerated().allSatisfy { i, c in
            c.isASCIIDigit || isSeparator(c) || (c == "+" && i == 0)
        }
    }

    public static func parse(_ text: String, areaCode localArea: String) throws(PhoneError) -> PhoneNumber {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .empty }
        if !isPlainASCIINumber(trimmed) {
            for (i, c) in trimmed.enumerated() where !(c.isASCIIDigit || isSeparator(c) || (c == "+" && i == 0)) {
                throw .invalidCharacter(c)
            }
        }
        var digits = digits(of: trimmed)
        if trimmed.hasPrefix("+") {
            return try international(digits)
        }
        if digits.hasPrefix("00") {
            // 00 + carrier (2 digits) + country code + number, as dialled in Brazil; or 00 + country
            // code, as written abroad, told apart by how it is typed: `00 1 212 …` has a group of
            // other than two digits after the 00, `00 21 1 212 …` and `0021…` have a carrier.
            let carrier = Self.carrierFollows(doubleZeroIn: trimmed)
            guard digits.count > (carrier ? 4 : 2) else { throw .tooShort }
            digits.removeFirst(carrier ? 4 : 2)
            return try international(digits)
        }
        if serviceNumbers.contains(digits) {
            return PhoneNumber(e164: "+55" + digits, countryCode: "55", areaCode: "", subscriber: digits)
        }
        if digits.hasPrefix("0") {
            digits.removeFirst()
            if let nationwide = try nationwide(digits) { return nationwide }
            // 0 + carrier + DDD + number, or 0 + DDD + number.
            if digits.count == 12 || digits.count == 13 { digits.removeFirst(2) }
            return try national(digits)
        }
        switch digits.count {
        case ..<8: throw .tooShort
        case 8, 9: return try national(localArea + digits)
        case 10, 11: return try national(digits)
        case 12...13 where digits.hasPrefix("55"): return try international(digits)
        default: throw .tooLong
        }
    }

    /// Whether the digits typed right after a leading `00` are a carrier: two of them before a
    /// separator, or a long run typed without separators (`0021…`, the Brazilian way).
    private static func carrierFollows(doubleZeroIn text: String) -> Bool {
        let groups = text.split(whereSeparator: isSeparator).map { $0.filter(\.isASCIIDigit) }.filter { !$0.isEmpty }
        guard let first = groups.first else { return true }
        let run = first.count > 2 ? String(first.dropFirst(2)) : (groups.count > 1 ? String(groups[1]) : "")
        return run.count == 2 || run.count >= 6 || run.isEmpty
    }

    /// Whether every byte of `text` is an ASCII digit, a separator or a leading `+`: the common
    /// case, checked without walking the text character by character.
    private static func isPlainASCIINumber(_ text: String) -> Bool {
        var isFirst = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "."), UInt8(ascii: "/"):
                break
            case UInt8(ascii: "+") where isFirst:
                break
            default:
                return false
            }
            isFirst = false
        }
        return true
    }

    /// 800, 300, 500, 900 and seven digits (typed after a trunk `0`, or after `+55`): no area code.
    private static func nationwide(_ digits: String) throws(PhoneError) -> PhoneNumber? {
        guard ["800", "300", "500", "900"].contains(where: digits.hasPrefix) else { return nil }
        guard digits.count == 10 else { throw digits.count < 10 ? .tooShort : .tooLong }
        return PhoneNumber(e164: "+55" + digits, countryCode: "55", areaCode: "", subscriber: digits)
    }

    private static func national(_ digits: String) throws(PhoneError) -> PhoneNumber {
        guard digits.count >= 10 else { throw .tooShort }
        guard digits.count <= 11 else { throw .tooLong }
        let area = String(digits.prefix(2))
        guard isValidAreaCode(area) else { throw .invalidAreaCode(area) }
        let subscriber = String(digits.dropFirst(2))
        if subscriber.count == 9 && !subscriber.hasPrefix("9") { throw .invalidAreaCode(area) }
        return PhoneNumber(e164: "+55" + digits, countryCode: "55", areaCode: area, subscriber: subscriber)
    }

    private static func international(_ digits: String) throws(PhoneError) -> PhoneNumber {
        if digits.hasPrefix("55"), serviceNumbers.contains(String(digits.dropFirst(2))) {
            let service = String(digits.dropFirst(2))
            return PhoneNumber(e164: "+55" + service, countryCode: "55", areaCode: "", subscriber: service)
        }
        if digits.hasPrefix("55") {
            if let nationwide = try nationwide(String(digits.dropFirst(2))) { return nationwide }
            return try national(String(digits.dropFirst(2)))
        }
        guard digits.count >= 8 else { throw .tooShort }
        guard digits.count <= 15 else { throw .tooLong }
        // Country codes are one to three digits; without a full table, keep the number whole.
        let country = String(digits.prefix(digits.hasPrefix("1") || digits.hasPrefix("7") ? 1 : 2))
        return PhoneNumber(
            e164: "+" + digits, countryCode: country, areaCode: "", subscriber: String(digits.dropFirst(country.count)))
    }

    /// Brazilian area codes run from 11 to 99 with no zero digit.
    public static func isValidAreaCode(_ area: String) -> Bool {
        area.count == 2 && area.allSatisfy { $0.isASCIIDigit && $0 != "0" }
    }
}

extension Character {
    public var isASCIIDigit: Bool { asciiValue.map { $0 &- UInt8(ascii: "0") < 10 } ?? false }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public var trimmingSpaces: String {
        // A text whose first and last bytes are ASCII but not whitespace has nothing to trim: no
        // character starting or ending with such a byte is whitespace.
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, first.isVisibleASCII, last.isVisibleASCII {
            return text
        }
        var s = Substring(text)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension UInt8 {
    /// An ASCII character other than a space, tab or newline (`Character.isWhitespace` on ASCII).
    fileprivate var isVisibleASCII: Bool {
        self < 0x80 && !(self == 0x20 || (0x09...0x0D).contains(self))
    }
}
