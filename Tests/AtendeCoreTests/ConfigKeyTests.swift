import Foundation
import Testing

@testable import AtendeCore

/// A value a key accepts, and the form it is stored in.
private struct Accepted: Sendable, CustomTestStringConvertible {
    let key: ConfigKey
    let raw: String
    let stored: String
    init(_ key: ConfigKey, _ raw: String, _ stored: String) {
        self.key = key
        self.raw = raw
        self.stored = stored
    }
    var testDescription: String { "\(key.name) \"\(raw)\" → \"\(stored)\"" }
}

/// A value a key refuses, and what it expected instead.
private struct Refused: Sendable, CustomTestStringConvertible {
    let key: ConfigKey
    let raw: String
    let expected: ConfigExpectation
    init(_ key: ConfigKey, _ raw: String, _ expected: ConfigExpectation) {
        self.key = key
        self.raw = raw
        self.expected = expected
    }
    var testDescription: String { "\(key.name) \"\(raw)\"" }
}

/// ConfigKey: the configuration table of PF-1, its names, aliases and validation.
struct ConfigKeyTests {
    // MARK: - named

    @Test(arguments: [
        ("server.host", "server.host"),
        ("servidor", "server.host"),
        ("server.port", "server.port"),
        ("Servidor.Porta", "server.port"),
        ("ramal", "extension"),
        ("EXTENSION", "extension"),
        ("areacode", "areacode"),
        ("ddd", "areacode"),
        ("DDD", "areacode"),
        ("transferência", "transfer"),
        ("Transferencia", "transfer"),
        ("operadora", "carrier"),
        ("relatório-perdas", "loss-report"),
        ("pós-atendimento", "wrap-up"),
        ("Qualificação", "qualification"),
        ("idioma", "language"),
        ("som", "sound"),
        ("gravação", "recording-device"),
        ("módulo-web", "web-url"),
        ("pabx.senha", "pabx.password"),
        ("pabx.usar-senha", "pabx.use-password"),
        ("linha", "line"),
    ])
    func namedByNameOrPortugueseAliasIgnoringCaseAndAccents(query: String, name: String) {
        #expect(ConfigKey.named(query)?.name == name)
    }

    @Test(arguments: ["", "volume", "server", "porta", "area code"])
    func unknownNamesAreNil(query: String) {
        #expect(ConfigKey.named(query) == nil)
    }

    // MARK: - validate: accepted values

    private static let accepted: [Accepted] = [
        // on/off in both languages, stored as on/off.
        Accepted(.autoAnswer, "on", "on"),
        Accepted(.autoAnswer, "ON", "on"),
        Accepted(.autoAnswer, "yes", "on"),
        Accepted(.autoAnswer, "true", "on"),
        Accepted(.autoAnswer, "1", "on"),
        Accepted(.autoAnswer, "sim", "on"),
        Accepted(.autoAnswer, "Ligado", "on"),
        Accepted(.autoAnswer, "ligar", "on"),
        Accepted(.autoAnswer, " on ", "on"),
        Accepted(.queueAlert, "off", "off"),
        Accepted(.queueAlert, "no", "off"),
        Accepted(.queueAlert, "false", "off"),
        Accepted(.queueAlert, "0", "off"),
        Accepted(.queueAlert, "nao", "off"),
        Accepted(.queueAlert, "não", "off"),
        Accepted(.queueAlert, "NÃO", "off"),
        Accepted(.queueAlert, "desligado", "off"),
        Accepted(.queueAlert, "desligar", "off"),
        Accepted(.pabxUsePassword, "sim", "on"),
        // Ports.
        Accepted(.serverPort, "5000", "5000"),
        Accepted(.serverPort, "1", "1"),
        Accepted(.serverPort, "65535", "65535"),
        Accepted(.serverPort, "05000", "5000"),
        Accepted(.serverPort, " 5000 ", "5000"),
        // Digits.
        Accepted(.extension, "2001", "2001"),
        Accepted(.extension, "20", "20"),
        Accepted(.extension, "200123", "200123"),
        Accepted(.extension, "", ""),  // not set: the agent's own extension
        Accepted(.extension, "   ", ""),
        Accepted(.externalLine, "0", "0"),
        Accepted(.externalLine, "", ""),  // no external line prefix
        Accepted(.carrier, "21", "21"),
        Accepted(.carrier, "15", "15"),
        // Area code.
        Accepted(.areaCode, "48", "48"),
        Accepted(.areaCode, "11", "11"),
        Accepted(.areaCode, "99", "99"),
        Accepted(.areaCode, " 48 ", "48"),
        // Screen transfer.
        Accepted(.transfer, "tcp 3000", "tcp 3000"),
        Accepted(.transfer, "TCP 3000", "tcp 3000"),
        Accepted(.transfer, "tcp 65535", "tcp 65535"),
        Accepted(.transfer, "txt /dir", "txt /dir"),
        Accepted(.transfer, "txt /var/spool/atende tela", "txt /var/spool/atende tela"),
        Accepted(.transfer, "off", "off"),
        Accepted(.transfer, "OFF", "off"),
        Accepted(.transfer, "desligado", "off"),
        // Sound.
        Accepted(.sound, "bell", "bell"),
        Accepted(.sound, "autofalante", "bell"),
        Accepted(.sound, "wav /usr/share/sounds/ring.wav", "wav /usr/share/sounds/ring.wav"),
        Accepted(.sound, "WAV /sons/Toque.WAV", "wav /sons/Toque.WAV"),
        // Seconds.
        Accepted(.wrapUp, "0", "0"),
        Accepted(.wrapUp, "30", "30"),
        Accepted(.wrapUp, "3600", "3600"),
        // URL.
        Accepted(.webURL, "https://crm.example.com/atende", "https://crm.example.com/atende"),
        Accepted(.webURL, "http://10.0.0.5:8080/", "http://10.0.0.5:8080/"),
        Accepted(.webURL, "", ""),
        // Language.
        Accepted(.language, "pt", "pt"),
        Accepted(.language, "PT-BR", "pt"),
        Accepted(.language, "pt_br", "pt"),
        Accepted(.language, "en", "en"),
        Accepted(.language, "EN", "en"),
        // Empty: the language of --lang or LANG.
        Accepted(.language, "", ""),
        // Free text and secrets, trimmed.
        Accepted(.serverHost, "  pabx.local ", "pabx.local"),
        Accepted(.serverHost, "", ""),
        Accepted(.pabxPassword, "s3cr3t!", "s3cr3t!"),
        Accepted(.recordingDevice, "hw:0,0", "hw:0,0"),
    ]

    @Test(arguments: accepted)
    fileprivate func acceptsAndNormalises(_ c: Accepted) throws {
        #expect(try c.key.validate(c.raw) == c.stored)
    }

    // MARK: - validate: refusals

    private static let refused: [Refused] = [
        // on/off.
        Refused(.autoAnswer, "talvez", .onOff),
        Refused(.autoAnswer, " talvez ", .onOff),
        Refused(.autoAnswer, "", .onOff),
        Refused(.autoAnswer, "2", .onOff),
        Refused(.lossReport, "enabled", .onOff),
        // Ports.
        Refused(.serverPort, "0", .port),
        Refused(.serverPort, "65536", .port),
        Refused(.serverPort, "-1", .port),
        Refused(.serverPort, "http", .port),
        Refused(.serverPort, "", .port),
        Refused(.serverPort, "50 00", .port),
        // Digits.
        Refused(.extension, "1", .digits(count: 2...6)),
        Refused(.extension, "1234567", .digits(count: 2...6)),
        Refused(.extension, "20a1", .digits(count: 2...6)),
        Refused(.extension, "20 01", .digits(count: 2...6)),
        Refused(.externalLine, "01", .digits(count: 0...1)),
        Refused(.externalLine, "x", .digits(count: 0...1)),
        Refused(.carrier, "021", .digits(count: 2...2)),
        Refused(.carrier, "2", .digits(count: 2...2)),
        Refused(.carrier, "", .digits(count: 2...2)),
        // Area code.
        Refused(.areaCode, "40", .areaCode),
        Refused(.areaCode, "01", .areaCode),
        Refused(.areaCode, "4", .areaCode),
        Refused(.areaCode, "480", .areaCode),
        Refused(.areaCode, "", .areaCode),
        Refused(.areaCode, "ab", .areaCode),
        // Screen transfer.
        Refused(.transfer, "tcp", .transfer),
        Refused(.transfer, "tcp -1", .transfer),
        Refused(.transfer, "tcp 65536", .transfer),
        Refused(.transfer, "tcp porta", .transfer),
        Refused(.transfer, "txt", .transfer),
        Refused(.transfer, "txt   ", .transfer),
        Refused(.transfer, "ftp 21", .transfer),
        Refused(.transfer, "3000", .transfer),
        Refused(.transfer, "", .transfer),
        // Sound.
        Refused(.sound, "wav", .sound),
        Refused(.sound, "wav /sons/toque.mp3", .sound),
        Refused(.sound, "beep", .sound),
        Refused(.sound, "", .sound),
        // Seconds.
        Refused(.wrapUp, "-1", .seconds(0...3600)),
        Refused(.wrapUp, "3601", .seconds(0...3600)),
        Refused(.wrapUp, "30s", .seconds(0...3600)),
        Refused(.wrapUp, "", .seconds(0...3600)),
        // URL.
        Refused(.webURL, "ftp://crm.example.com", .url),
        Refused(.webURL, "crm.example.com", .url),
        Refused(.webURL, "https://crm.example.com/a b", .url),
        // Language.
        Refused(.language, "es", .language),
        Refused(.language, "english", .language),
        Refused(.language, "português", .language),
    ]

    @Test(arguments: refused)
    fileprivate func refusesWithTheExpectation(_ c: Refused) {
        // The refusal names the key and echoes the value exactly as typed.
        #expect(throws: AtendeError.invalidConfigValue(key: c.key.name, value: c.raw, expected: c.expected)) {
            try c.key.validate(c.raw)
        }
    }

    @Test(arguments: [("on", true), ("sim", true), ("OFF", false), ("não", false), ("", nil), ("talvez", nil)] as [(String, Bool?)])
    func parseOnOff(text: String, expected: Bool?) {
        #expect(ConfigKey.parseOnOff(text) == expected)
    }

    @Test func onlyTheExtensionIsMarkedAsAllowingEmpty() {
        #expect(ConfigKey.extension.allowsEmpty)
        #expect(!ConfigKey.carrier.allowsEmpty)
        #expect(!ConfigKey.areaCode.allowsEmpty)
        #expect(!ConfigKey.serverPort.allowsEmpty)
    }

    // MARK: - The table

    @Test func namesAreUnique() {
        let names = ConfigKey.all.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func aliasesAreUniqueAndNoAliasIsAnotherKeysName() {
        let aliases = ConfigKey.all.map(\.alias)
        #expect(Set(aliases).count == aliases.count)
        #expect(Set(aliases).isDisjoint(with: ConfigKey.all.map(\.name)))
    }

    @Test(arguments: ConfigKey.all.map(\.name))
    func everyKeyIsFoundByItsNameAndAlias(name: String) throws {
        let key = try #require(ConfigKey.all.first { $0.name == name })
        #expect(ConfigKey.named(key.name) == key)
        #expect(ConfigKey.named(key.alias) == key)
        #expect(ConfigKey.named(key.alias.uppercased()) == key)
    }

    @Test func tableHoldsEverySettingOfPF1AndCC16() {
        let expected: [ConfigKey] = [
            .serverHost, .serverPort, .extension, .externalLine, .pabxPassword, .pabxUsePassword, .transfer,
            .areaCode, .carrier, .webURL, .sound, .recordingDevice, .language, .autoAnswer, .loginPaused,
            .blockCapture, .queueAlert, .qualification, .qualifyInternal, .qualifyClose, .contactPopup,
            .powerPopup, .lossReport, .wrapUp,
        ]
        #expect(Set(ConfigKey.all).isSuperset(of: expected))
    }

    // MARK: - WorkstationConfig

    @Test func workstationConfigReadsAndSetsByKey() {
        var config = WorkstationConfig(values: ["areacode": "48", "auto-answer": "on"])
        #expect(config.areaCode == "48")
        #expect(config.isOn(.autoAnswer))
        #expect(!config.isOn(.queueAlert))
        #expect(config[.carrier] == "")
        config.set(.areaCode, "11")
        config.set(.queueAlert, "on")
        #expect(config.areaCode == "11")
        #expect(config.isOn(.queueAlert))
        #expect(config.values["areacode"] == "11")
    }
}

@Suite struct TransferPortZeroTests {
    /// Port 0 asks the system for any free port; the chosen one shows in `status`.
    @Test func portZeroIsAccepted() throws {
        #expect(try ConfigKey.transfer.validate("tcp 0") == "tcp 0")
    }
}
