import Foundation
/// A command line split into its command, arguments and options.
public struct ParsedCommand: Sendable, Equatable {
    public let id: CommandID
    public let arguments: [String]
    public let options: [String: [String]]
    public let flags: Set<String>

    public func option(_ name: String) -> String? { options[name]?.last }
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// Turns a typed line into a ``ParsedCommand`` using the command table.
public enum CommandParser {
    /// Splits a line into words: spaces separate, "double" or 'single' quotes group, `\` escapes.
    ///
    /// An apostrophe is a quote only where it opens a word, and closes one only before a space or
    /// the end of the line: `D'Ávila`, `it's` and `'it's here'` keep theirs.
    public static func tokenize(_ line: String) throws(CommandError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        let characters = Array(line)
        for (i, c) in characters.enumerated() {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let q = quote {
                let closes = c == q && (q == "\"" || i + 1 == characters.count || characters[i + 1] == " " || characters[i + 1] == "\t")
                if closes { quote = nil } else { current.append(c) }
            } else if c == "\"" || (c == "'" && !inWord) {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        guard quote == nil else { throw .unterminatedQuote }
        if escaped { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }

    /// The command spec a line's words start with, and how many words it took.
    public static func lookup(_ words: [String]) -> (CommandSpec, Int)? {
        for count in [3, 2, 1] where words.count >= count {
            let phrase = words[0..<count].map(CommandSpec.fold).joined(separator: " ")
            if let index = CommandSpec.byFoldedWords[phrase] { return (CommandSpec.all[index], count) }
        }
        return nil
    }

    public static func parse(_ line: String) throws(CommandError) -> ParsedCommand {
        var words = try tokenize(line)
        // A shortcut may be glued to its argument: `,hoje`.
        if let first = words.first, first.count > 1, let spec = CommandSpec.all.first(where: { s in
            s.shortcut.map { first.hasPrefix($0) } ?? false
        }) {
            words[0] = String(first.dropFirst(spec.shortcut!.count))
            words.insert(spec.shortcut!, at: 0)
        }
        guard let (spec, used) = lookup(words) else {
            let word = words.first ?? ""
            let family = CommandSpec.family(word)
            if !family.isEmpty {
                throw .unknownSubcommand(words.prefix(2).joined(separator: " "), family: word, commands: family.map(\.name))
            }
            throw .unknownCommand(word, suggestion: suggestion(for: word))
        }
        var positionals: [String] = []
        var options: [String: [String]] = [:]
        var flags = Set<String>()
        var rest = Array(words.dropFirst(used))
        var onlyPositionals = false
        while !rest.isEmpty {
            let word = rest.removeFirst()
            if !onlyPositionals && word == "--" {
                onlyPositionals = true
                continue
            }
            if !onlyPositionals, word.hasPrefix("--"), word.count > 2 {
                var name = String(word.dropFirst(2))
                var inline: String?
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard let opt = spec.options.first(where: { $0.name == name || $0.alias == name }) else {
                    throw .unknownOption(command: spec.name, option: word)
                }
                if opt.takesValue {
                    guard let value = inline ?? (rest.isEmpty ? nil : rest.removeFirst()) else {
                        throw .optionNeedsValue(command: spec.name, option: "--" + opt.name)
                    }
                    options[opt.name, default: []].append(value)
                } else {
                    flags.insert(opt.name)
                }
                continue
            }
            positionals.append(word)
        }
        return try ParsedCommand(id: spec.id, arguments: fit(positionals, to: spec), options: options, flags: flags)
    }

    /// Checks the positional count; a trailing text argument takes the remaining words.
    static func fit(_ words: [String], to spec: CommandSpec) throws(CommandError) -> [String] {
        var out: [String] = []
        var remaining = words[...]
        for arg in spec.arguments {
            if arg.rest && !remaining.isEmpty {
                out.append(remaining.joined(separator: " "))
                remaining = []
            } else if !arg.rest, let w = remaining.first {
                out.append(w)
                remaining = remaining.dropFirst()
            } else if arg.required {
                throw .missingArgument(command: spec.name, argument: arg.name)
            }
        }
        if let extra = remaining.first { throw .tooManyArguments(command: spec.name, extra: extra) }
        return out
    }

    /// The longest word "Did you mean …?" looks at. A word is at least its length minus the
    /// longest command's away from every command, and only a third of its length may differ, so
    /// nothing longer could be suggested; the cap keeps a pasted blob from costing its length
    /// times every command name.
    static let longestSuggestedWord = 32

    /// The closest command name, for "Did you mean …?".
    static func suggestion(for word: String) -> String? {
        // (A character is at most four UTF-8 bytes: the byte count, known at once, rules out the blob.)
        guard !word.isEmpty, word.utf8.count <= 4 * longestSuggestedWord, word.count <= longestSuggestedWord else { return nil }
        let lower = word.lowercased()
        var candidates = Set<String>()
        for spec in CommandSpec.all {
            for name in [spec.name] + spec.aliases {
                candidates.insert(String(name.split(separator: " ")[0]))
            }
        }
        var best: (name: String, distance: Int)?
        for name in candidates.sorted() {
            let d = distance(lower, name)
            if best == nil || d < best!.distance { best = (name, d) }
        }
        guard let best, best.distance <= max(1, lower.count / 3) else { return nil }
        return best.name
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let tmp = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = tmp
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
