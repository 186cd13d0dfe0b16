import AtendeCore
import AtendeWorkstation
import Foundation

extension REPL {
    /// Completion candidates for the word under the cursor (see ``Completion``).
    public func completions(_ line: String, _ cursor: Int) -> [String] {
        completion.candidates(line, cursor)
    }

    /// The REPL's tab completion, for the line editor (which may call it from its own thread).
    public var completion: Completion { Completion(registry: workstation.registry) }
}

/// Tab completion from the command table and the registry: a value, safe on any thread.
public struct Completion: Sendable {
    let registry: Registry

    /// Completion candidates for the word under the cursor: command words first, then arguments
    /// (agents, groups, configuration keys, options of the command).
    public func candidates(_ line: String, _ cursor: Int) -> [String] {
        let before = String(line.prefix(cursor))
        let words = before.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let current = before.hasSuffix(" ") ? "" : (words.last ?? "")
        let previous = before.hasSuffix(" ") ? words : Array(words.dropLast())
        var candidates: [String] = []
        if previous.isEmpty {
            candidates = CommandSpec.all.flatMap { [$0.name] + $0.aliases }.map { String($0.split(separator: " ")[0]) }
        } else {
            if previous.count == 1 {
                // The second word of a two-word command: `note add`, `agenda new`.
                let first = previous[0].lowercased()
                candidates = CommandSpec.all.flatMap { [$0.name] + $0.aliases }.compactMap { name in
                    let parts = name.split(separator: " ")
                    return parts.count == 2 && parts[0] == first ? String(parts[1]) : nil
                }
            }
            if let (spec, used) = CommandParser.lookup(previous) {
                candidates += argumentCandidates(spec, position: previous.count - used)
            }
        }
        return Array(Set(candidates.filter { $0.lowercased().hasPrefix(current.lowercased()) })).sorted()
    }

    private func argumentCandidates(_ spec: CommandSpec, position: Int) -> [String] {
        let options = spec.options.map { "--" + $0.name }
        switch spec.id {
        case .login where position == 0: return registry.agents.map(\.nickname)
        case .login where position == 1: return registry.groups.map(\.name)
        case .config where position == 0: return ConfigKey.all.map(\.name)
        case .help: return CommandSpec.all.map { String($0.name.split(separator: " ")[0]) }
        case .losses: return ["today", "yesterday", "month", "last-month"]
        case .calls: return options + ["today", "yesterday"]
        default: return options
        }
    }
}
