/// Encodes records as RFC 4180 CSV lines ending in CRLF.
public struct CSVWriter: Sendable, Equatable {
    /// The field separator.
    public let delimiter: Character
    /// Whether output targets spreadsheets set up for Brazil: `;` separators, a UTF-8 BOM, and
    /// text that a spreadsheet would run as a formula neutralised (``neutralisesFormula(_:)``).
    public let excel: Bool

    private let delimiterByte: UInt8

    /// `excel: true` always uses `;` as the delimiter, whatever `delimiter` says.
    /// The delimiter must be a single ASCII character other than a quote, CR or LF.
    public init(delimiter: Character = ",", excel: Bool = false) {
        let chosen: Character = excel ? ";" : delimiter
        guard let byte = chosen.asciiValue, !"\"\r\n".contains(chosen) else {
            preconditionFailure("CSV delimiter must be ASCII and not a quote or newline: \(chosen.debugDescription)")
        }
        self.delimiter = chosen
        self.excel = excel
        self.delimiterByte = byte
    }

    /// What goes before the first record: a byte order mark in excel mode, otherwise nothing.
    public var header: String {
        excel ? "\u{FEFF}" : ""
    }

    /// The UTF-8 bytes of `header`.
    public func preamble() -> [UInt8] {
        Array(header.utf8)
    }

    /// One record, fields quoted where needed, terminated by CRLF.
    ///
    /// A record with a single empty field is written as `""` so it is not read back as a blank line.
    public func encode(_ fields: [String]) -> String {
        if fields.count == 1, fields[0].isEmpty {
            return "\"\"\r\n"
        }
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 {
                line.append(delimiter)
            }
            let field = excel && Self.startsFormula(field.utf8) ? "'" + field : field
            if needsQuotes(field.utf8) {
                line.append("\"")
                line.append(field.replacingQuotes())
                line.append("\"")
            } else {
                line.append(field)
            }
        }
        line.append("\r\n")
        return line
    }

    /// Appends one field, given as UTF-8, to a line being built: quoted where needed, like the
    /// fields of `encode`. The caller writes the delimiters and the line end.
    ///
    /// For example:
    /// ```swift
    /// var line = ByteLine()
    /// var name = "Souza, Zé"
    /// name.withUTF8 { CSVWriter().appendField($0, to: &line) }  // "Souza, Zé", in quotes
    /// ```
    public func appendField(_ utf8: UnsafeBufferPointer<UInt8>, to line: inout ByteLine) {
        let neutralise = excel && Self.startsFormula(utf8)
        // Quoted as `encode` quotes the field with its `'` in front (a leading tab no longer leads).
        guard neutralise ? needsQuotes(utf8, leadingBlankCounts: false) : needsQuotes(utf8) else {
            if neutralise { line.append(CSVByte.apostrophe) }
            line.append(utf8)
            return
        }
        line.append(CSVByte.quote)
        if neutralise { line.append(CSVByte.apostrophe) }
        for byte in utf8 {
            if byte == CSVByte.quote {
                line.append(CSVByte.quote)
            }
            line.append(byte)
        }
        line.append(CSVByte.quote)
    }

    /// Encodes `fields` and appends the line to `output`.
    public func write(_ fields: [String], to output: BufferedFileWriter) throws(FileIOError) {
        try output.write(encode(fields))
    }

    /// Whether a spreadsheet would take a cell starting like `utf8` for a formula: `=`, `+`, `-`,
    /// `@`, a tab or a CR first (OWASP, CSV injection). In excel mode such a cell gets a leading
    /// `'`, so `=HYPERLINK(…)` is shown as text, never run.
    public static func startsFormula(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == CSVByte.tab || first == CSVByte.cr
    }

    /// Whether a field, given as UTF-8, must be quoted: it holds the delimiter, a quote, CR or LF,
    /// or starts or ends with a space or tab.
    func needsQuotes(_ utf8: some BidirectionalCollection<UInt8>, leadingBlankCounts: Bool = true) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if (leadingBlankCounts && (first == CSVByte.space || first == CSVByte.tab)) || last == CSVByte.space || last == CSVByte.tab {
            return true
        }
        return utf8.contains { byte in
            byte == delimiterByte || byte == CSVByte.quote || byte == CSVByte.cr || byte == CSVByte.lf
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        guard utf8.contains(CSVByte.quote) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 2)
        for scalar in unicodeScalars {
            if scalar == "\"" {
                result.unicodeScalars.append(scalar)
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// ASCII bytes the CSV reader and writer look for.
enum CSVByte {
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
}
