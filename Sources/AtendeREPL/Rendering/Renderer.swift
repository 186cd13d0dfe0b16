import Foundation

/// Turns command outputs into the lines the user reads, as text or as one JSON object per result.
///
/// Text is printed with its control characters escaped (stored text never drives the terminal)
/// and tables are aligned on display width (accents, wide characters and emoji line up).
struct Renderer: Sendable {
    let json: Bool

    func render(_ output: Output) -> [String] {
        switch output {
        case .message(let text, let item):
            if json {
                var fields: [(String, JSONValue)] = [("message", .string(text))]
                if let item { fields.append((item.kind, .object(item.fields))) }
                return [JSONValue.object([("type", .string("message"))] + fields).json]
            }
            return [TerminalText.escaped(text)]
        case .table(let table):
            if json { return table.rows.map(\.item.json) }
            return table.rows.isEmpty ? [TerminalText.escaped(table.empty)] : text(table)
        case .text(let lines, let item):
            return json ? [item.json] : lines.map(TerminalText.escaped)
        }
    }

    func renderError(_ line: String, code: String) -> String {
        guard json else { return TerminalText.escaped(line) }
        // The prefix is the text form's (`error: `, `erro: `); the object says it is an error.
        let message = ["error: ", "erro: "].first(where: line.hasPrefix).map { String(line.dropFirst($0.count)) } ?? line
        return JSONValue.object([("type", .string("error")), ("error", .string(code)), ("message", .string(message))]).json
    }

    private func text(_ table: Table) -> [String] {
        let cells = table.rows.map { $0.cells.map { TerminalText.escaped($0.utf8.contains(10) ? $0.replacingOccurrences(of: "\n", with: " ") : $0) } }
        var widths = table.headers.map(TerminalText.width)
        for row in cells {
            for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], TerminalText.width(c)) }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { i, v in
                i == values.count - 1 ? v : TerminalText.padded(v, to: widths[i])
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        func lines(_ values: [String]) -> [String] {
            guard let width = table.width, let last = values.last, values.count > 1 else { return [line(values)] }
            let indent = widths.prefix(values.count - 1).reduce(0) { $0 + $1 + 2 }
            let wrapped = TerminalText.wrapped(last, width: max(20, width - indent))
            return [line(Array(values.dropLast()) + [wrapped[0]])]
                + wrapped.dropFirst().map { String(repeating: " ", count: indent) + $0 }
        }
        var out = [line(table.headers)]
        out += cells.flatMap(lines)
        if let footer = table.footer { out.append(TerminalText.escaped(footer)) }
        return out
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
