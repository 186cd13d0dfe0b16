import Foundation
import Testing

@testable import AtendeCore

/// One number as typed and the parts it must parse into.
private struct ParsedCase: Sendable, CustomTestStringConvertible {
    let input: String
    let e164: String
    let countryCode: String
    let areaCode: String
    let subscriber: String
    var testDescription: String { "\"\(input)\"" }
}

/// One text that is not a phone number, and why.
private struct RefusalCase: Sendable, CustomTestStringConvertible {
    let input: String
    let error: PhoneError
    var testDescription: String { "\"\(input)\" → \(error)" }
}

/// One number and the digit strings search must find it under (ST-5).
private struct KeysCase: Sendable, CustomTestStringConvertible {
    let input: String
    let searchKeys: [String]
    let national: String
    var testDescription: String { "\"\(input)\"" }
}

/// PhoneNumber: the forms people type (CC-15), refusals, search keys (ST-5).
struct PhoneNumberTests {
    /// The workstation's own area code in every test unless stated otherwise.
    static let localArea = "48"

    // MARK: - One number, every form

    /// Every way people write Florianópolis' `3281-9500` from a workstation in area 48.
    static let formsOf4832819500 = [
        "(48) 3281-9500",
        "+55 48 32819500",
        "4832819500",
        "32819500",
        "048 3281 9500",
        "0 21 48 32819500",  // trunk 0 + carrier 21 + DDD
        "3281-9500",
        "48.3281.9500",
        "+55 (48) 3281-9500",
        "554832819500",  // country code without +
        "  (48) 3281-9500\t",
    ]

    @Test(arguments: formsOf4832819500)
    func everyFormOfALocalNumberIsTheSameCanonicalNumber(input: String) throws {
        // When
        let number = try PhoneNumber.parse(input, areaCode: Self.localArea)
        // Then
        #expect(number.e164 == "+554832819500")
        #expect(number.countryCode == "55")
        #expect(number.areaCode == "48")
        #expect(number.subscriber == "32819500")
        #expect(number.description == "+554832819500")
    }

    @Test func allFormsAreEqualAndHashAlike() throws {
        let numbers = try Self.formsOf4832819500.map { try PhoneNumber.parse($0, areaCode: Self.localArea) }
        #expect(Set(numbers).count == 1)
    }

    // MARK: - Other kinds of numbers

    private static let otherNumbers: [ParsedCase] = [
        // 9-digit mobile of another area.
        ParsedCase(input: "(11) 98765-4321", e164: "+5511987654321", countryCode: "55", areaCode: "11", subscriber: "987654321"),
        ParsedCase(input: "11987654321", e164: "+5511987654321", countryCode: "55", areaCode: "11", subscriber: "987654321"),
        ParsedCase(input: "+55 11 98765-4321", e164: "+5511987654321", countryCode: "55", areaCode: "11", subscriber: "987654321"),
        ParsedCase(input: "0 21 11 98765 4321", e164: "+5511987654321", countryCode: "55", areaCode: "11", subscriber: "987654321"),
        ParsedCase(input: "011 98765 4321", e164: "+5511987654321", countryCode: "55", areaCode: "11", subscriber: "987654321"),
        // 9-digit mobile without area code: the workstation's area.
        ParsedCase(input: "98765-4321", e164: "+5548987654321", countryCode: "55", areaCode: "48", subscriber: "987654321"),
        // Nationwide special numbers keep no area code.
        ParsedCase(input: "0800 704 2767", e164: "+558007042767", countryCode: "55", areaCode: "", subscriber: "8007042767"),
        ParsedCase(input: "0800-704-2767", e164: "+558007042767", countryCode: "55", areaCode: "", subscriber: "8007042767"),
        ParsedCase(input: "0300 123 4567", e164: "+553001234567", countryCode: "55", areaCode: "", subscriber: "3001234567"),
        // International.
        ParsedCase(input: "+1 212 555 0100", e164: "+12125550100", countryCode: "1", areaCode: "", subscriber: "2125550100"),
        ParsedCase(input: "+1 (212) 555-0100", e164: "+12125550100", countryCode: "1", areaCode: "", subscriber: "2125550100"),
        ParsedCase(input: "00 21 1 212 555 0100", e164: "+12125550100", countryCode: "1", areaCode: "", subscriber: "2125550100"),
        // 00 + country code, as written abroad: no carrier between.
        ParsedCase(input: "00 1 212 555 0100", e164: "+12125550100", countryCode: "1", areaCode: "", subscriber: "2125550100"),
        ParsedCase(input: "001 212 555 0100", e164: "+12125550100", countryCode: "1", areaCode: "", subscriber: "2125550100"),
        ParsedCase(input: "00 351 21 123 4567", e164: "+351211234567", countryCode: "35", areaCode: "", subscriber: "1211234567"),
        ParsedCase(input: "0021 44 20 7946 0958", e164: "+442079460958", countryCode: "44", areaCode: "", subscriber: "2079460958"),
        // Nationwide numbers written in E.164.
        ParsedCase(input: "+55 800 704 2767", e164: "+558007042767", countryCode: "55", areaCode: "", subscriber: "8007042767"),
        // Emergency and public-service numbers, as typed and in the form stored.
        ParsedCase(input: "190", e164: "+55190", countryCode: "55", areaCode: "", subscriber: "190"),
        ParsedCase(input: "1 9 2", e164: "+55192", countryCode: "55", areaCode: "", subscriber: "192"),
        ParsedCase(input: "+55193", e164: "+55193", countryCode: "55", areaCode: "", subscriber: "193"),
        ParsedCase(input: "+44 20 7946 0958", e164: "+442079460958", countryCode: "44", areaCode: "", subscriber: "2079460958"),
    ]

    @Test(arguments: otherNumbers)
    fileprivate func parsesOtherKindsOfNumbers(_ c: ParsedCase) throws {
        let number = try PhoneNumber.parse(c.input, areaCode: Self.localArea)
        #expect(number.e164 == c.e164)
        #expect(number.countryCode == c.countryCode)
        #expect(number.areaCode == c.areaCode)
        #expect(number.subscriber == c.subscriber)
    }

    @Test func numberWithoutAreaCodeTakesTheWorkstationsArea() throws {
        // Given a workstation in São Paulo (11)
        // When a local number is typed without area code
        let number = try PhoneNumber.parse("3281-9500", areaCode: "11")
        // Then it is a São Paulo number
        #expect(number.e164 == "+551132819500")
        #expect(number.areaCode == "11")
    }

    @Test func numberWithAreaCodeIgnoresTheWorkstationsArea() throws {
        let number = try PhoneNumber.parse("(48) 3281-9500", areaCode: "11")
        #expect(number.e164 == "+554832819500")
    }

    // MARK: - Refusals

    private static let refusals: [RefusalCase] = [
        // Empty.
        RefusalCase(input: "", error: .empty),
        RefusalCase(input: "   ", error: .empty),
        RefusalCase(input: "\t\n", error: .empty),
        // Letters and other characters.
        RefusalCase(input: "Maria", error: .invalidCharacter("M")),
        RefusalCase(input: "48 3281-95OO", error: .invalidCharacter("O")),
        RefusalCase(input: "ramal 2001", error: .invalidCharacter("r")),
        RefusalCase(input: "48+32819500", error: .invalidCharacter("+")),
        RefusalCase(input: "++55 48 32819500", error: .invalidCharacter("+")),
        RefusalCase(input: "*2001", error: .invalidCharacter("*")),
        RefusalCase(input: "3281#9500", error: .invalidCharacter("#")),
        // The character reported is the whole grapheme, as typed.
        RefusalCase(input: "48\r\n32819500", error: .invalidCharacter("\r\n")),
        RefusalCase(input: "4\u{301}8 3281-9500", error: .invalidCharacter("4\u{301}")),
        RefusalCase(input: "\u{664}\u{668} 3281-9500", error: .invalidCharacter("\u{664}")),
        // Too short.
        RefusalCase(input: "3281-950", error: .tooShort),
        RefusalCase(input: "1", error: .tooShort),
        RefusalCase(input: "-", error: .tooShort),
        RefusalCase(input: "+", error: .tooShort),
        RefusalCase(input: "+55 48 3281", error: .tooShort),
        RefusalCase(input: "0 48 3281", error: .tooShort),
        RefusalCase(input: "0800 704 276", error: .tooShort),
        RefusalCase(input: "+1 212", error: .tooShort),
        RefusalCase(input: "0021", error: .tooShort),
        // Too long.
        RefusalCase(input: "(48) 3281-9500-1234", error: .tooLong),
        RefusalCase(input: "1234567890123", error: .tooLong),
        RefusalCase(input: "+55 48 3281 9500 12", error: .tooLong),
        RefusalCase(input: "0800 704 27670", error: .tooLong),
        RefusalCase(input: "+1 212 555 0100 12345", error: .tooLong),
        // Area code with a zero.
        RefusalCase(input: "(40) 3281-9500", error: .invalidAreaCode("40")),
        RefusalCase(input: "(20) 98765-4321", error: .invalidAreaCode("20")),
        RefusalCase(input: "+55 08 3281 9500", error: .invalidAreaCode("08")),
        RefusalCase(input: "0 21 40 32819500", error: .invalidAreaCode("40")),
        // A 9-digit subscriber must be a mobile starting with 9; the module reports the area code.
        RefusalCase(input: "(48) 83281-9500", error: .invalidAreaCode("48")),
        RefusalCase(input: "83281-9500", error: .invalidAreaCode("48")),
        RefusalCase(input: "+55 11 88765 4321", error: .invalidAreaCode("11")),
    ]

    @Test(arguments: refusals)
    fileprivate func refusesWithTheReason(_ c: RefusalCase) {
        #expect(throws: c.error) {
            try PhoneNumber.parse(c.input, areaCode: Self.localArea)
        }
    }

    @Test func localNumberIsRefusedWhenTheWorkstationsAreaIsInvalid() {
        #expect(throws: PhoneError.invalidAreaCode("40")) {
            try PhoneNumber.parse("3281-9500", areaCode: "40")
        }
    }

    /// Twelve digits without `+` are Brazilian only with country code 55: carrier + DDD + number
    /// typed without the trunk 0 is not taken for a foreign number.
    @Test(arguments: ["214832819500", "123456789012"])
    func twelveDigitsWithoutCountryCode55AreTooLong(input: String) {
        #expect(throws: PhoneError.tooLong) {
            try PhoneNumber.parse(input, areaCode: Self.localArea)
        }
    }

    /// `00` starts an international number after a carrier; alone it is too short, not a crash.
    @Test(arguments: ["00", "000", "0021"])
    func doubleZeroWithoutANumberIsTooShort(input: String) {
        #expect(throws: PhoneError.tooShort) {
            try PhoneNumber.parse(input, areaCode: "48")
        }
    }

    // MARK: - Dial plan (CC-15)

    @Test(arguments: [
        ("4833334444", "033334444"), ("(11) 98765-4321", "002111987654321"), ("+1 212 555 0100", "0002112125550100"),
        ("0800 123 4567", "008001234567"), ("0300 123 4567", "003001234567"), ("0500 123 4567", "005001234567"),
        ("00 1 212 555 0100", "0002112125550100"), ("190", "0190"), ("192", "0192"), ("193", "0193"),
    ])
    func dialStringsFollowTheDialPlan(number: String, dialString: String) throws {
        let plan = DialPlan(areaCode: "48", carrier: "21", externalLine: "0")
        #expect(plan.dialString(for: try PhoneNumber.parse(number, areaCode: "48")) == dialString)
    }

    @Test func nationwideAndServiceNumbersTakeNoCarrier() throws {
        let plan = DialPlan(areaCode: "48", carrier: "21", externalLine: "0")
        #expect(plan.dialString(for: try PhoneNumber.parse("0800 123 4567", areaCode: "48"), carrier: "15") == "008001234567")
        #expect(plan.dialString(for: try PhoneNumber.parse("190", areaCode: "48"), carrier: "15") == "0190")
        #expect(plan.dialString(for: try PhoneNumber.parse("(11) 98765-4321", areaCode: "48"), carrier: "15") == "001511987654321")
    }

    @Test func serviceNumbersAreOnlyTheKnownShortOnes() {
        #expect(PhoneNumber.isServiceNumber("190"))
        #expect(PhoneNumber.isServiceNumber("192"))
        #expect(!PhoneNumber.isServiceNumber("12"))
        #expect(!PhoneNumber.isServiceNumber("150"))
        #expect(!PhoneNumber.isServiceNumber("+190"))
        #expect(throws: PhoneError.tooShort) { try PhoneNumber.parse("150", areaCode: "48") }
    }

    // MARK: - Search keys and national form (ST-5)

    private static let keys: [KeysCase] = [
        KeysCase(input: "(48) 3281-9500", searchKeys: ["554832819500", "4832819500", "32819500"], national: "4832819500"),
        KeysCase(
            input: "(11) 98765-4321", searchKeys: ["5511987654321", "11987654321", "987654321"], national: "11987654321"),
        KeysCase(input: "0800 704 2767", searchKeys: ["558007042767", "8007042767"], national: "8007042767"),
        KeysCase(input: "+1 212 555 0100", searchKeys: ["12125550100", "2125550100"], national: "2125550100"),
    ]

    @Test(arguments: keys)
    fileprivate func searchKeysGoFromInternationalToLocal(_ c: KeysCase) throws {
        let number = try PhoneNumber.parse(c.input, areaCode: Self.localArea)
        #expect(number.searchKeys == c.searchKeys)
        #expect(number.national == c.national)
    }

    /// ST-5: `(48) 3281-9500`, `+55 48 32819500`, `4832819500` and `32819500` find the same contact,
    /// so the digits of each of those queries are one of the stored number's keys.
    @Test(arguments: ["(48) 3281-9500", "+55 48 32819500", "4832819500", "32819500"])
    func digitsOfEverySearchFormAreAKeyOfTheStoredNumber(query: String) throws {
        // Given a contact stored with its number in one form
        let stored = try PhoneNumber.parse("48 3281-9500", areaCode: Self.localArea)
        // When the agent searches with another form, Then its digits match a key
        #expect(stored.searchKeys.contains(PhoneNumber.digits(of: query)))
    }

    // MARK: - Helpers

    @Test(arguments: [
        ("(48) 3281-9500", true),
        ("+55 48 32819500", true),
        ("32819500", true),
        (" 0800 704 2767 ", true),
        ("2001", true),
        ("1", true),
        ("48/3281.9500", true),
        ("", false),
        ("   ", false),
        ("Maria", false),
        ("48a", false),
        ("+", false),
        ("--", false),
        ("()", false),
        ("48+3281", false),
        ("ramal 2001", false),
        ("#2001", false),
        ("Maria 3281-9500", false),
    ])
    func looksLikeNumber(text: String, expected: Bool) {
        #expect(PhoneNumber.looksLikeNumber(text) == expected)
    }

    @Test(arguments: [
        ("(48) 3281-9500", "4832819500"),
        ("+55 48 3281.9500", "554832819500"),
        ("tel: 3281-9500 ramal 12", "3281950012"),
        ("", ""),
        ("abc", ""),
        // Only ASCII digits standing alone count: not other scripts' digits, nor a digit with an accent.
        ("\u{664}\u{668} 32", "32"),
        ("4\u{301}8", "8"),
    ])
    func digitsIgnoresEverythingElse(text: String, expected: String) {
        #expect(PhoneNumber.digits(of: text) == expected)
    }

    @Test(arguments: [
        ("48", true), ("11", true), ("99", true), ("21", true),
        ("10", false), ("40", false), ("01", false), ("00", false),
        ("4", false), ("480", false), ("", false), ("4a", false),
    ])
    func areaCodesRunFrom11To99WithoutZero(area: String, valid: Bool) {
        #expect(PhoneNumber.isValidAreaCode(area) == valid)
    }

    @Test(arguments: [
        ("Maria", "Maria"), ("  Maria Souza\t", "Maria Souza"), ("\r\nJoão\n", "João"), ("", ""), (" \t ", ""),
        ("\u{A0}Zoë\u{2003}", "Zoë"), ("x\u{301}", "x\u{301}"),
        // A space carrying a combining accent is one character, and whitespace.
        ("a \u{301}", "a"),
    ])
    func trimmingSpacesDropsWhitespaceAtBothEnds(text: String, expected: String) {
        #expect(text.trimmingSpaces == expected)
        #expect(text[...].trimmingSpaces == expected)
    }
}
