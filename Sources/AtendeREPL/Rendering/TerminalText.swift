/// Text as a terminal shows it: how many columns it takes, and stored text made safe to print.
///
/// For example:
/// ```swift
/// TerminalText.width("José")            // 4
/// TerminalText.width("東京")             // 4
/// TerminalText.escaped("a\u{1B}[2Jb")    // "a\\x1b[2Jb"
/// ```
enum TerminalText {
    /// The columns `text` takes on a terminal: two for wide characters (CJK, fullwidth forms,
    /// emoji), none for marks combined into the character before, one otherwise.
    static func width(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // An emoji sequence, or a character asked to show as emoji (VS16), takes two columns.
        if scalars.contains("\u{FE0F}") || scalars.contains("\u{200D}") && first.properties.isEmoji { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: return 1
        }
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth W and F, in blocks).
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` cut at spaces into lines of at most `width` columns (a longer word stays whole).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if TerminalText.width(current) + 1 + TerminalText.width(String(word)) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }

    /// `text` padded with spaces to `columns` columns.
    static func padded(_ text: String, to columns: Int) -> String {
        let w = width(text)
        return w >= columns ? text : text + String(repeating: " ", count: columns - w)
    }

    /// `text` with control characters (C0, DEL, C1) written as `\xNN`, so that stored text cannot
    /// move the cursor, clear the screen or retitle the terminal when printed; a tab is a space.
    static func escaped(_ text: String) -> String {
        // C0 and DEL are single bytes in UTF-8; C1 characters start with 0xC2 (as do others).
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\t" {
                out.append(" ")
            } else if isControl(s) {
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: ("\\x" + (hex.count < 2 ? "0" + hex : hex)).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }
}
