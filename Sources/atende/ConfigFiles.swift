import AtendeCore
import AtendeREPL
import AtendeWorkstation
import Foundation

/// A configuration file that was refused: which file, where in it, and why.
struct ConfigFileError: Error {
    let file: String
    let location: String
    let reason: ConfigProblem
}

/// Reads `Config/defaults.json`, `Config/registry.json` and their overrides, checking every value.
enum ConfigFiles {
    struct Defaults {
        var workstation: [String: String]
        var login: LoginPolicy
        var store: StoreSettings
    }

    /// The store's waits and bounds: SQLite's busy timeout, the clock's maximum skew.
    struct StoreSettings: Decodable {
        var busyTimeoutSeconds: Double?
        var maximumClockSkewSeconds: Double?
    }

    private struct DefaultsFile: Decodable {
        var workstation: [String: String]?
        var login: LoginPolicy?
        var store: StoreSettings?
    }

    /// The bundled defaults, with `override` (a file of the same shape, partial) on top.
    static func defaults(_ bundled: URL, override: String?) throws -> Defaults {
        var result = Defaults(workstation: [:], login: LoginPolicy(), store: StoreSettings())
        for url in [bundled] + (override.map { [URL(fileURLWithPath: $0)] } ?? []) {
            let file: DefaultsFile = try decode(url)
            for (key, value) in file.workstation ?? [:] {
                guard let k = ConfigKey.named(key) else {
                    throw ConfigFileError(file: url.path, location: "workstation.\(key)", reason: .unknownKey)
                }
                do {
                    result.workstation[k.name] = try k.validate(value)
                } catch {
                    throw ConfigFileError(file: url.path, location: "workstation.\(key)", reason: .invalidValue(value))
                }
                // A file given per run does not open the CRM port to the network: an admin does, with `config`.
                if k == .transferHost, !ConfigKey.isLoopback(value) {
                    throw ConfigFileError(
                        file: url.path, location: "workstation.\(key)",
                        reason: .loopbackOnly)
                }
            }
            if let login = file.login {
                guard login.minimumPasswordLength >= 4, login.attemptsBeforeDelay >= 1,
                    login.attemptsBeforeLock > login.attemptsBeforeDelay, login.lockMinutes >= 1
                else {
                    throw ConfigFileError(
                        file: url.path, location: "login", reason: .loginPolicy)
                }
                result.login = login
            }
            if let store = file.store {
                if let t = store.busyTimeoutSeconds {
                    guard t >= 0.1, t <= 600 else {
                        throw ConfigFileError(file: url.path, location: "store.busyTimeoutSeconds", reason: .secondsOutOfRange(from: "0.1", to: "600"))
                    }
                    result.store.busyTimeoutSeconds = t
                }
                if let skew = store.maximumClockSkewSeconds {
                    guard skew >= 1, skew <= 86_400 else {
                        throw ConfigFileError(file: url.path, location: "store.maximumClockSkewSeconds", reason: .secondsOutOfRange(from: "1", to: "86400"))
                    }
                    result.store.maximumClockSkewSeconds = skew
                }
            }
        }
        return result
    }

    /// The registry in `url`, checked: every agent's groups exist, every service's group exists, names unique.
    static func registry(_ url: URL) throws -> Registry {
        let registry: Registry = try decode(url)
        let groups = Set(registry.groups.map { $0.name.lowercased() })
        guard !groups.isEmpty else { throw ConfigFileError(file: url.path, location: "groups", reason: .noGroup) }
        var seen = Set<String>()
        for (i, a) in registry.agents.enumerated() {
            guard seen.insert(a.nickname.lowercased()).inserted else {
                throw ConfigFileError(file: url.path, location: "agents[\(i)].nickname", reason: .appearsTwice(a.nickname))
            }
            for g in a.groups where !groups.contains(g.lowercased()) {
                throw ConfigFileError(file: url.path, location: "agents[\(i)].groups", reason: .unknownGroup(g))
            }
        }
        for (i, s) in registry.services.enumerated() where !groups.contains(s.group.lowercased()) {
            throw ConfigFileError(file: url.path, location: "services[\(i)].group", reason: .unknownGroup(s.group))
        }
        for (i, p) in registry.pauseReasons.enumerated() where p.kind == .productive && (p.code ?? "").isEmpty {
            throw ConfigFileError(file: url.path, location: "pauseReasons[\(i)].code", reason: .productivePauseWithoutCode)
        }
        return registry
    }

    private static func decode<T: Decodable>(_ url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigFileError(file: url.path, location: "-", reason: .unreadable(SystemProblem(error)))
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigFileError(file: url.path, location: location(context, data), reason: .invalidJSON)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath + [key]), reason: .missing)
        } catch let DecodingError.typeMismatch(type, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath), reason: .wrongType(expected: kind(type)))
        } catch let DecodingError.valueNotFound(_, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath), reason: .missingValue)
        } catch {
            throw ConfigFileError(file: url.path, location: location(nil, data), reason: .invalidJSON)
        }
    }

    /// What the decoder wanted, as a kind of JSON value.
    private static func kind(_ type: Any.Type) -> ConfigProblem.JSONKind {
        switch type {
        case is String.Type: return .text
        case is Bool.Type: return .onOff
        case is Int.Type, is Double.Type, is Int64.Type, is UInt.Type: return .number
        default: return "\(type)".hasPrefix("Array") ? .list : .object
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// A syntax error's place: the key path, or the line when the decoder names no key.
    private static func location(_ context: DecodingError.Context?, _ data: Data) -> String {
        if let context, !context.codingPath.isEmpty { return path(context.codingPath) }
        var described = context.map { $0.debugDescription + " " + String(describing: $0.underlyingError) } ?? ""
        // JSONDecoder does not say where the syntax breaks; JSONSerialization does.
        do { _ = try JSONSerialization.jsonObject(with: data) } catch { described += " " + String(describing: error) }
        if let range = described.range(of: #"line \d+"#, options: .regularExpression) { return String(described[range]) }
        // Foundation names the offset ("around character 41"): turn it into a line number.
        if let range = described.range(of: #"character \d+"#, options: .regularExpression),
            let offset = Int(described[range].dropFirst("character ".count))
        {
            return "line \(data.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1)"
        }
        // Nothing named the place (a file cut short, on Linux): the JSON is broken where the file ends.
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let last = lines.lastIndex { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } } ?? 0
        return "line \(last + 1)"
    }
}
