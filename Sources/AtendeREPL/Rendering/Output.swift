import AtendeCore
import Foundation

/// A JSON value, for `--json` output.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.json == b.json }

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// Compact JSON text, keys in the order given.
    public var json: String {
        switch self {
        case .string(let s): return JSONText.quote(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.map { JSONText.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        }
    }
}

/// One result of a command: what `--json` prints as one object, and its text form.
public struct ResultItem: Sendable {
    /// The object's `type`: `note`, `contact`, `message` …
    public let kind: String
    public let fields: [(String, JSONValue)]

    public init(kind: String, fields: [(String, JSONValue)]) {
        self.kind = kind
        self.fields = fields
    }

    public var json: String { JSONValue.object([("type", .string(kind))] + fields).json }

    public func value(_ key: String) -> JSONValue? { fields.first { $0.0 == key }?.1 }
}

/// What a command hands the renderer.
public enum Output: Sendable {
    /// A sentence from the catalogue, with the record it is about (if any) for `--json`.
    case message(String, ResultItem?)
    /// Rows under headers; `--json` prints each row as its own object.
    case table(Table)
    /// Lines of preformatted text (charts, detail views) with the object `--json` prints instead.
    case text([String], ResultItem)
}

/// A table: headers, rows (each its text cells and the object `--json` prints), a footer line.
public struct Table: Sendable {
    public struct Row: Sendable {
        public var item: ResultItem
        public var cells: [String]
        public init(item: ResultItem, cells: [String]) {
            self.item = item
            self.cells = cells
        }
    }

    public var headers: [String]
    public var rows: [Row]
    public var footer: String?
    /// Printed instead of an empty table.
    public var empty: String
    /// When set, the last column is wrapped at spaces so that no line is wider (help's 100 columns).
    public var width: Int?

    public init(headers: [String], rows: [Row], footer: String? = nil, empty: String, width: Int? = nil) {
        self.headers = headers
        self.rows = rows
        self.footer = footer
        self.empty = empty
        self.width = width
    }
}
