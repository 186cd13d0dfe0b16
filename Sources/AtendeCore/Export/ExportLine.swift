public import Foundation

/// The file formats of `atende export` and `atende admin export` (RP-6).
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, jsonl
}

/// One exported attendance being built as bytes, field by field in column order: a CSV record
/// (RFC 4180, CRLF) or a JSON Lines object whose keys are the column names, numbers as numbers
/// and empty values as null.
///
/// For example:
/// ```swift
/// var line = ExportLine(format: .jsonl, csv: CSVWriter(), columns: ["number", "phone"])
/// line.start()
/// line.integer(42)
/// line.text("+554832819500")
/// line.finish()  // line.bytes: {"number":42,"phone":"+554832819500"} and a newline
/// ```
public struct ExportLine: ~Copyable {
    public private(set) var bytes = ByteLine()
    private let csv: CSVWriter
    private let delimiter: UInt8
    private let isJSON: Bool
    /// For JSON Lines, what goes before each field: `{"number":`, then `,"type":` and so on.
    private let keys: [[UInt8]]
    private let lineEnd: [UInt8]
    private var field = 0
    private var times: LocalTimeText

    /// `timeZone`: the one times are written in; nil, the process's (`TZ`, else the system's).
    public init(format: ExportFormat, csv: CSVWriter, columns: [String], timeZone: TimeZone? = nil) {
        times = LocalTimeText(timeZone: timeZone)
        self.csv = csv
        delimiter = csv.delimiter.asciiValue!
        isJSON = format == .jsonl
        keys = isJSON ? columns.enumerated().map { i, name in Array(((i == 0 ? "{" : ",") + "\"\(name)\":").utf8) } : []
        lineEnd = Array((isJSON ? "}\n" : "\r\n").utf8)
    }

    /// Empties the line for the next record.
    public mutating func start() {
        bytes.removeAll()
        field = 0
    }

    /// Ends the record.
    public mutating func finish() {
        bytes.append(contentsOf: lineEnd)
    }

    /// A whole number; empty (null) when there is none.
    public mutating func integer(_ value: Int64?) {
        beginField()
        guard let value else { return emptyValue() }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The digits from the last one: dividing by a constant 10 is cheap.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value.magnitude
            var first = digits.count
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }

    /// A Unix time as local `yyyy-mm-dd HH:MM:SS`; empty (null) when there is none.
    public mutating func time(_ unixSeconds: Int64?) {
        beginField()
        guard let unixSeconds else { return emptyValue() }
        // Digits, dashes, colons and a space inside: a time never needs CSV quotes.
        if isJSON { bytes.append(Self.quote) }
        times.append(unixSeconds, to: &bytes)
        if isJSON { bytes.append(Self.quote) }
    }

    /// Text given as UTF-8; empty (null) when there is none or it is empty.
    public mutating func text(_ utf8: UnsafeBufferPointer<UInt8>?) {
        beginField()
        guard let utf8, !utf8.isEmpty else { return emptyValue() }
        if isJSON {
            JSONText.appendQuoted(utf8, to: &bytes)
        } else {
            csv.appendField(utf8, to: &bytes)
        }
    }

    /// Text; empty (null) when there is none or it is empty.
    public mutating func text(_ string: String?) {
        var string = string ?? ""
        string.withUTF8 { text($0) }
    }

    private mutating func beginField() {
        if isJSON {
            bytes.append(contentsOf: keys[field])
        } else if field > 0 {
            bytes.append(delimiter)
        }
        field += 1
    }

    private mutating func emptyValue() {
        if isJSON { bytes.append(contentsOf: Self.null) }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let null = Array("null".utf8)
}
