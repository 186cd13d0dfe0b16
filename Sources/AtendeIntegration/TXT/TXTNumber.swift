/// Normalises the phone numbers exchanged through `LE.txt` and `LS.txt`.
enum TXTNumber {
    /// Characters stripped from a number: spaces, line breaks and common punctuation.
    static let separators: Set<Character> = [" ", "\t", "\n", "\r", "\r\n", "-", ".", "(", ")", "/"]
    /// The longest number accepted, in digits (E.164 allows 15; leave room for prefixes).
    static let maxDigits = 32

    /// Digits with an optional leading `+`, or nil when empty or holding anything else.
    static func normalise(_ text: String) -> String? {
        var out = ""
        for ch in text where !separators.contains(ch) {
            if ch == "+", out.isEmpty { out.append(ch) }
            else if ch.isASCII, ch.isNumber { out.append(ch) }
            else { return nil }
        }
        let digits = out.filter { $0 != "+" }.count
        return digits == 0 || digits > maxDigits ? nil : out
    }

    /// Digits only, for `LE.txt`; nil when the number is not valid.
    static func digitsOnly(_ text: String) -> String? {
        normalise(text).map { $0.filter { $0 != "+" } }
    }

    /// How a number appears in logs: its length, never its digits.
    static func redacted(_ number: String) -> String {
        "<\(number.filter { $0 != "+" }.count) digits>"
    }
}
