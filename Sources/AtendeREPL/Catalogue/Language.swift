import Foundation
/// The languages Atende speaks.
public enum Language: String, Sendable, CaseIterable {
    case pt, en

    /// The language for `--lang` (`pt`, `pt-BR`, `en`), else from `LANG` (pt-BR for `pt*`, else English).
    public static func resolve(flag: String?, environment: [String: String]) -> Language? {
        if let flag {
            let f = flag.lowercased()
            if f.hasPrefix("pt") { return .pt }
            if f.hasPrefix("en") { return .en }
            return nil
        }
        let lang = environment["LC_ALL"] ?? environment["LANG"] ?? ""
        return lang.lowercased().hasPrefix("pt") ? .pt : .en
    }
}
