/// JSON string quoting without a full encoder.
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var quoted = ByteLine(capacity: s.utf8.count + 2)
        var s = s
        s.withUTF8 { appendQuoted($0, to: &quoted) }
        return quoted.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends valid UTF-8 text as a quoted JSON string to a line being built.
    ///
    /// For example:
    /// ```swift
    /// var line = ByteLine()
    /// line.append(contentsOf: Array("{\"name\":".utf8))
    /// var name = "Zé \"Souza\""
    /// name.withUTF8 { JSONText.appendQuoted($0, to: &line) }  // {"name":"Zé \"Souza\""
    /// ```
    public static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to line: inout ByteLine) {
        line.append(Byte.quote)
        for byte in utf8 {
            switch byte {
            case Byte.quote, Byte.backslash:
                line.append(Byte.backslash)
                line.append(byte)
            case Byte.lf:
                line.append(Byte.backslash)
                line.append(UInt8(ascii: "n"))
            case Byte.cr:
                line.append(Byte.backslash)
                line.append(UInt8(ascii: "r"))
            case Byte.tab:
                line.append(Byte.backslash)
                line.append(UInt8(ascii: "t"))
            case ..<0x20:
                line.append(contentsOf: Byte.unicodeEscape)
                line.append(Byte.hexDigits[Int(byte >> 4)])
                line.append(Byte.hexDigits[Int(byte & 0xF)])
            default:
                line.append(byte)
            }
        }
        line.append(Byte.quote)
    }

    private enum Byte {
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")
        static let lf = UInt8(ascii: "\n")
        static let cr = UInt8(ascii: "\r")
        static let tab = UInt8(ascii: "\t")
        static let unicodeEscape = Array("\\u00".utf8)
        static let hexDigits = Array("0123456789abcdef".utf8)
    }
}
