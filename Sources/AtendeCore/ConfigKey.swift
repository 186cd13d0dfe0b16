import Foundation
/// One setting of the workstation configuration (PF-1, CC-16): its name, Portuguese alias and rule.
///
/// The table ``ConfigKey/all`` is the single list that validation, `config`, help and
/// completion read. For example:
/// ```swift
/// let key = ConfigKey.named("ddd")        // the area code
/// try key?.validate("11")                 // "11"
/// ```
public struct ConfigKey: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case onOff
        case port
        case digits(ClosedRange<Int>)
        case areaCode
        case transfer
        case sound
        case seconds(ClosedRange<Int>)
        case url
        case text
        case secret
        case language
    }

    public let name: String
    public let alias: String
    public let kind: Kind
    /// Whether an empty value is allowed (it means "not set": the agent's own extension, for one).
    public var allowsEmpty: Bool = false

    public static let serverHost = ConfigKey(name: "server.host", alias: "servidor", kind: .text)
    public static let serverPort = ConfigKey(name: "server.port", alias: "servidor.porta", kind: .port)
    /// With `server.host https://…`: a PEM file of the CA (or self-signed certificate) to trust for the server.
    public static let serverCACert = ConfigKey(name: "server.ca-cert", alias: "servidor.ca", kind: .text, allowsEmpty: true)
    public static let `extension` = ConfigKey(name: "extension", alias: "ramal", kind: .digits(2...6), allowsEmpty: true)
    public static let externalLine = ConfigKey(name: "line", alias: "linha", kind: .digits(0...1))
    public static let pabxPassword = ConfigKey(name: "pabx.password", alias: "pabx.senha", kind: .secret)
    public static let pabxUsePassword = ConfigKey(name: "pabx.use-password", alias: "pabx.usar-senha", kind: .onOff)
    public static let transfer = ConfigKey(name: "transfer", alias: "transferencia", kind: .transfer)
    /// The address the TCP screen transfer listens on: loopback unless set otherwise.
    public static let transferHost = ConfigKey(name: "transfer.host", alias: "transferencia.host", kind: .text)
    public static let areaCode = ConfigKey(name: "areacode", alias: "ddd", kind: .areaCode)
    public static let carrier = ConfigKey(name: "carrier", alias: "operadora", kind: .digits(2...2))
    public static let webURL = ConfigKey(name: "web-url", alias: "modulo-web", kind: .url)
    public static let sound = ConfigKey(name: "sound", alias: "som", kind: .sound)
    public static let soundEnabled = ConfigKey(name: "sound.enabled", alias: "som.ligado", kind: .onOff)
    public static let recordingDevice = ConfigKey(name: "recording-device", alias: "gravacao", kind: .text)
    public static let language = ConfigKey(name: "language", alias: "idioma", kind: .language)
    public static let autoAnswer = ConfigKey(name: "auto-answer", alias: "atendimento-automatico", kind: .onOff)
    public static let loginPaused = ConfigKey(name: "login-paused", alias: "login-com-pausa", kind: .onOff)
    public static let blockCapture = ConfigKey(name: "block-capture", alias: "bloquear-captura", kind: .onOff)
    public static let queueAlert = ConfigKey(name: "queue-alert", alias: "alerta-fila", kind: .onOff)
    public static let qualification = ConfigKey(name: "qualification", alias: "qualificacao", kind: .onOff)
    public static let qualifyInternal = ConfigKey(name: "qualify-internal", alias: "qualificar-internas", kind: .onOff)
    public static let qualifyClose = ConfigKey(name: "qualify-close", alias: "qualificar-fechar", kind: .onOff)
    public static let contactPopup = ConfigKey(name: "contact-popup", alias: "popup-contato", kind: .onOff)
    public static let powerPopup = ConfigKey(name: "power-popup", alias: "popup-powerdialing", kind: .onOff)
    public static let lossReport = ConfigKey(name: "loss-report", alias: "relatorio-perdas", kind: .onOff)
    public static let wrapUp = ConfigKey(name: "wrap-up", alias: "pos-atendimento", kind: .seconds(0...3600))

    /// Every key, in the order `config` shows them.
    public static let all: [ConfigKey] = [
        serverHost, serverPort, serverCACert, .extension, externalLine, pabxPassword, pabxUsePassword, transfer, transferHost, areaCode,
        carrier, webURL, sound, soundEnabled, recordingDevice, language, autoAnswer, loginPaused, blockCapture, queueAlert,
        qualification, qualifyInternal, qualifyClose, contactPopup, powerPopup, lossReport, wrapUp,
    ]

    /// Whether `host` is this computer only: `localhost`, `127.x.x.x` or `::1` (empty: the default, loopback).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingSpaces.lowercased()
        if h.isEmpty || h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The key called `name` or its alias, case and accents ignored.
    public static func named(_ name: String) -> ConfigKey? {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return all.first { $0.name == folded || $0.alias == folded }
    }

    /// The value in its stored form, or the reason it is refused.
    public func validate(_ raw: String) throws(AtendeError) -> String {
        let value = raw.trimmingSpaces
        func refuse(_ e: ConfigExpectation) -> AtendeError { .invalidConfigValue(key: name, value: raw, expected: e) }
        if allowsEmpty && value.isEmpty { return "" }
        switch kind {
        case .onOff:
            guard let b = Self.parseOnOff(value) else { throw refuse(.onOff) }
            return b ? "on" : "off"
        case .port:
            guard let p = Int(value), (1...65535).contains(p) else { throw refuse(.port) }
            return String(p)
        case .digits(let count):
            guard count.contains(value.count), value.allSatisfy(\.isASCIIDigit) else { throw refuse(.digits(count: count)) }
            return value
        case .areaCode:
            guard PhoneNumber.isValidAreaCode(value) else { throw refuse(.areaCode) }
            return value
        case .transfer:
            let parts = value.split(separator: " ", maxSplits: 1).map { $0.trimmingSpaces }
            switch parts.first?.lowercased() {
            case "off", "desligado":
                return "off"
            case "tcp":
                // Port 0 takes any free port (the one chosen shows in `status`).
                guard parts.count == 2, let p = Int(parts[1]), (0...65535).contains(p) else { throw refuse(.transfer) }
                return "tcp \(p)"
            case "txt":
                guard parts.count == 2, !parts[1].trimmingSpaces.isEmpty else { throw refuse(.transfer) }
                return "txt \(parts[1].trimmingSpaces)"
            default:
                throw refuse(.transfer)
            }
        case .sound:
            let parts = value.split(separator: " ", maxSplits: 1).map { $0.trimmingSpaces }
            switch parts.first?.lowercased() {
            case "bell", "autofalante":
                return "bell"
            case "wav":
                guard parts.count == 2, parts[1].lowercased().hasSuffix(".wav") else { throw refuse(.sound) }
                return "wav \(parts[1].trimmingSpaces)"
            default:
                throw refuse(.sound)
            }
        case .seconds(let range):
            guard let s = Int(value), range.contains(s) else { throw refuse(.seconds(range)) }
            return String(s)
        case .url:
            guard value.isEmpty || value.hasPrefix("http://") || value.hasPrefix("https://"), !value.contains(" ") else {
                throw refuse(.url)
            }
            return value
        case .text, .secret:
            return value
        case .language:
            switch value.lowercased() {
            case "pt", "pt-br", "pt_br": return "pt"
            case "en": return "en"
            case "": return ""  // as `--lang` or `LANG` say
            default: throw refuse(.language)
            }
        }
    }

    /// `on`/`off` in either language; nil when it is neither.
    public static func parseOnOff(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "yes", "true", "1", "sim", "ligado", "ligar": return true
        case "off", "no", "false", "0", "nao", "não", "desligado", "desligar": return false
        default: return nil
        }
    }
}

/// The workstation configuration: every ``ConfigKey`` with its value, defaults filled in.
public struct WorkstationConfig: Hashable, Sendable {
    public private(set) var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    public subscript(key: ConfigKey) -> String { values[key.name] ?? "" }

    public func isOn(_ key: ConfigKey) -> Bool { self[key] == "on" }

    public mutating func set(_ key: ConfigKey, _ value: String) {
        values[key.name] = value
    }

    public var areaCode: String { self[.areaCode] }
}
