import AtendeCore
import AtendeWorkstation
import Foundation

/// A configuration file that was refused: which file, where in it, and why.
struct ConfigFileError: Error {
    let file: String
    let location: String
    let reason: String
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
                    throw ConfigFileError(file: url.path, location: "workstation.\(key)", reason: "unknown key")
                }
                do {
                    result.workstation[k.name] = try k.validate(value)
                } catch {
                    throw ConfigFileError(file: url.path, location: "workstation.\(key)", reason: "invalid value \"\(value)\"")
                }
                // A file given per run does not open the CRM port to the network: an admin does, with `config`.
                if k == .transferHost, !ConfigKey.isLoopback(value) {
                    throw ConfigFileError(
                        file: url.path, location: "workstation.\(key)",
                        reason: "only loopback here; an admin opens the CRM port with `config transfer.host`")
                }
            }
            if let login = file.login {
                guard login.minimumPasswordLength >= 4, login.attemptsBeforeDelay >= 1,
                    login.attemptsBeforeLock > login.attemptsBeforeDelay, login.lockMinutes >= 1
                else {
                    throw ConfigFileError(
                        file: url.path, location: "login",
                        reason: "needs minimumPasswordLength ≥ 4, attemptsBeforeLock > attemptsBeforeDelay ≥ 1, lockMinutes ≥ 1")
                }
                result.login = login
            }
            if let store = file.store {
                if let t = store.busyTimeoutSeconds {
                    guard t >= 0.1, t <= 600 else {
                        throw ConfigFileError(file: url.path, location: "store.busyTimeoutSeconds", reason: "use 0.1 to 600 seconds")
                    }
                    result.store.busyTimeoutSeconds = t
                }
                if let skew = store.maximumClockSkewSeconds {
                    guard skew >= 1, skew <= 86_400 else {
                        throw ConfigFileError(file: url.path, location: "store.maximumClockSkewSeconds", reason: "use 1 to 86400 seconds")
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
        guard !groups.isEmpty else { throw ConfigFileError(file: url.path, location: "groups", reason: "no group is defined") }
        var seen = Set<String>()
        for (i, a) in registry.agents.enumerated() {
            guard seen.insert(a.nickname.lowercased()).inserted else {
                throw ConfigFileError(file: url.path, location: "agents[\(i)].nickname", reason: "\"\(a.nickname)\" appears twice")
            }
            for g in a.groups where !groups.contains(g.lowercased()) {
                throw ConfigFileError(file: url.path, location: "agents[\(i)].groups", reason: "unknown group \"\(g)\"")
            }
        }
        for (i, s) in registry.services.enumerated() where !groups.contains(s.group.lowercased()) {
            throw ConfigFileError(file: url.path, location: "services[\(i)].group", reason: "unknown group \"\(s.group)\"")
        }
        for (i, p) in registry.pauseReasons.enumerated() where p.kind == .productive && (p.code ?? "").isEmpty {
            throw ConfigFileError(file: url.path, location: "pauseReasons[\(i)].code", reason: "a productive pause needs a code")
        }
        return registry
    }

    private static func decode<T: Decodable>(_ url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigFileError(file: url.path, location: "-", reason: "cannot be read")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigFileError(file: url.path, location: location(context, data), reason: "not valid JSON")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath + [key]), reason: "missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath), reason: context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            throw ConfigFileError(file: url.path, location: path(context.codingPath), reason: "missing value")
        } catch {
            throw ConfigFileError(file: url.path, location: "-", reason: "\(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// A syntax error's place: the key path, or the line when the decoder names no key.
    private static func location(_ context: DecodingError.Context, _ data: Data) -> String {
        if !context.codingPath.isEmpty { return path(context.codingPath) }
        var described = context.debugDescription + " " + String(describing: context.underlyingError)
        // JSONDecoder does not say where the syntax breaks; JSONSerialization does.
        do { _ = try JSONSerialization.jsonObject(with: data) } catch { described += " " + String(describing: error) }
        if let range = described.range(of: #"line \d+"#, options: .regularExpression) { return String(described[range]) }
        // Foundation names the offset ("around character 41"): turn it into a line number.
        if let range = described.range(of: #"character \d+"#, options: .regularExpression),
            let offset = Int(described[range].dropFirst("character ".count))
        {
            return "line \(data.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1)"
        }
        return "-"
    }
}
