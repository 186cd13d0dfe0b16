import ArgumentParser
import AtendeCore
import AtendeDefaults
import AtendeREPL
import AtendeRemote
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation
import Logging

/// Builds the workstation from files, environment and flags: defaults < Config/ < environment < flags.
struct Bootstrap {
    let dataDir: URL
    /// The language of `--lang`, else of `config language`, else of `LANG`.
    private(set) var catalogue: Catalogue
    let store: Store
    let settings: WorkstationSettings
    let clock: any AtendeClock
    let workstation: AtendeWorkstation.Workstation
    /// The call center this process hosts (standalone): the switch service and its simulated
    /// world. Nil with a server (`server.host`, `--server`): the switch is the server's.
    let switchService: SwitchService?
    let simulator: SwitchSimulator?
    let simulation: CallCenterSimulation?
    /// The call-center server this workstation works with, if any.
    let server: ServerAddress?

    init(_ options: CommonOptions) throws {
        let env = ProcessInfo.processInfo.environment
        let language = Language.resolve(flag: options.lang, environment: env)
        guard let language else {
            throw fail(Catalogue(language: .en), ConfigFileError(file: "--lang", location: options.lang ?? "", reason: .notAChoice(["pt", "en"])))
        }
        catalogue = Catalogue(language: language)
        // Roles come from a trusted source (SV-6): the bundled registry or the one an admin
        // installed into the store. A file named per run would let anyone make themselves admin.
        if let source = options.registry.map({ _ in "--registry" }) ?? env["ATENDE_REGISTRY"].map({ _ in "ATENDE_REGISTRY" }) {
            FileHandle.standardError.write(Data((catalogue.text(.registryPerRunRefused(source: source)) + "\n").utf8))
            throw ExitCode(2)
        }
        let defaults: ConfigFiles.Defaults
        let manualNow: String?
        do {
            dataDir = try Self.dataDirectory(options.dataDir, env: env)
            defaults = try ConfigFiles.defaults(DefaultFiles.defaults, override: options.config ?? env["ATENDE_CONFIG"])
            (clock, manualNow) = try Self.clock(options)
        } catch let e as ConfigFileError {
            throw fail(catalogue, e)
        }
        var storeOptions = StoreOptions(timeZone: TimeZone.current)
        if let t = defaults.store.busyTimeoutSeconds { storeOptions.busyTimeout = t }
        if let skew = defaults.store.maximumClockSkewSeconds { storeOptions.maximumClockSkew = skew }
        do {
            store = try Store(path: dataDir.appendingPathComponent("atende.sqlite").path, clock: clock, options: storeOptions) {
                [catalogue] from, to in
                FileHandle.standardError.write(Data((catalogue.text(.upgradingStore(from: from, to: to)) + "\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data((catalogue.error(error) + "\n").utf8))
            throw ExitCode(2)
        }
        // Days are the store's: its time zone was fixed when it was made, so losses, calls and the
        // agenda agree on the day of an event whatever TZ this run has.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = store.timeZone
        let registry: Registry
        do {
            if let installed = try store.catalog.installedRegistry() {
                registry = installed.registry
            } else {
                registry = try ConfigFiles.registry(DefaultFiles.registry)
            }
        } catch let e as ConfigFileError {
            throw fail(catalogue, e)
        } catch {
            FileHandle.standardError.write(Data((catalogue.error(error) + "\n").utf8))
            throw ExitCode(2)
        }
        settings = WorkstationSettings(
            defaults: defaults.workstation, registry: registry, login: defaults.login, calendar: calendar,
            secretKeyFile: dataDir.appendingPathComponent("secret.key"))
        if let manualNow, let manual = clock as? ManualClock {
            do {
                manual.set(try DateInput(calendar: calendar).dateTime(manualNow))
            } catch {
                throw fail(catalogue, ConfigFileError(file: "--now", location: manualNow, reason: Self.nowReason(error)))
            }
        }
        do {
            if let repair = try store.boundClock() {
                let until = DateInput(calendar: calendar).dayTimeText(repair.aheadUntil)
                FileHandle.standardError.write(
                    Data((catalogue.text(.clockRepaired(aheadUntil: until, restamped: repair.restamped)) + "\n").utf8))
            }
            server = try Self.server(options, env: env, store: store, defaults: defaults)
            if let server {
                // With a server: logins go there, the switch is its, and so are the losses.
                switchService = nil
                simulator = nil
                workstation = try AtendeWorkstation.Workstation(
                    store: store, settings: settings, clock: clock,
                    gateway: RemoteGateway(server: server, logger: Logger(label: "atende.server-link")))
                simulation = nil
            } else {
                // Standalone: the call center runs in this process, seeded from the registry (SV-4
                // simulator); its losses are recorded once, here, by the host of the switch.
                let service = SwitchService(
                    registry: settings.registry, clock: clock, recorder: LossRecorder(store: store, calendar: settings.calendar))
                let simulated = SwitchSimulator(service: service)
                switchService = service
                simulator = simulated
                workstation = try AtendeWorkstation.Workstation(
                    store: store, settings: settings, clock: clock, link: InProcessSwitchLink(service, simulator: simulated))
                simulation = CallCenterSimulation(simulator: simulated, workstation: workstation)
            }
            if options.lang == nil, let stored = try store.preferences.all()[ConfigKey.language.name],
                let configured = Language(rawValue: stored)
            {
                catalogue = Catalogue(language: configured)
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            FileHandle.standardError.write(Data((catalogue.error(error) + "\n").utf8))
            throw ExitCode(2)
        }
    }

    /// The server of `--server` / `ATENDE_SERVER`, else of `config server.host` (and `server.port`); nil: standalone.
    /// `https://` in either makes it TLS; the CA to trust is `--ca-cert`, `ATENDE_CA_CERT` or `config server.ca-cert`,
    /// checked here: an unreadable one stops the start with one line.
    static func server(_ o: CommonOptions, env: [String: String], store: Store, defaults: ConfigFiles.Defaults) throws -> ServerAddress? {
        let stored = try store.preferences.all()
        func setting(_ key: ConfigKey) -> String? {
            (stored[key.name] ?? defaults.workstation[key.name]).flatMap { $0.isEmpty ? nil : $0 }
        }
        var address: ServerAddress
        if let given = o.server ?? env["ATENDE_SERVER"] {
            guard !given.isEmpty else { return nil }
            guard let parsed = ServerAddress(given) else {
                throw ConfigFileError(file: o.server != nil ? "--server" : "ATENDE_SERVER", location: given, reason: .serverAddress)
            }
            address = parsed
        } else {
            guard let host = setting(.serverHost) else { return nil }
            guard let parsed = ServerAddress("\(host):\(setting(.serverPort) ?? "5000")") else { return nil }
            address = parsed
        }
        let ca: (source: String, path: String)? =
            o.caCert.map { ("--ca-cert", $0) } ?? env["ATENDE_CA_CERT"].flatMap { $0.isEmpty ? nil : ("ATENDE_CA_CERT", $0) }
            ?? setting(.serverCACert).map { (ConfigKey.serverCACert.name, $0) }
        if let ca {
            address.caCertificate = ca.path
            try address.checkTrust(source: ca.source)
        }
        return address
    }

    /// Why `--now` was refused: a time the store's zone skips says so; anything else is the format.
    private static func nowReason(_ error: any Error) -> ConfigProblem {
        if case AtendeError.timeInGap(let text, let zone) = error { return .timeInGap(text, timeZone: zone) }
        return .dateTimeFormat
    }

    static func dataDirectory(_ flag: String?, env: [String: String]) throws -> URL {
        let path: String
        if let flag {
            path = flag
        } else if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty {
            path = xdg + "/atende"
        } else {
            path = (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/atende"
        }
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigFileError(file: path, location: "--data-dir", reason: .cannotCreateFolder(SystemProblem(creatingFolder: path, error)))
        }
        return url
    }

    /// The clock of `--clock`, and with `manual` the `--now` text, read once the store's time zone
    /// is known (until then the clock shows the machine's time). The text's form is checked here.
    static func clock(_ o: CommonOptions) throws -> (any AtendeClock, String?) {
        switch o.clock {
        case "system":
            return (SystemClock(), nil)
        case "manual":
            guard let text = o.now else { return (ManualClock(now: Date()), nil) }
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            guard (try? DateInput(calendar: utc).dateTime(text)) != nil else {
                throw ConfigFileError(file: "--now", location: text, reason: .dateTimeFormat)
            }
            return (ManualClock(now: Date()), text)
        default:
            throw ConfigFileError(file: "--clock", location: o.clock, reason: .notAChoice(["system", "manual"]))
        }
    }
}

/// Prints a refused configuration as one line and gives the exit status for it.
func fail(_ catalogue: Catalogue, _ e: ConfigFileError) -> ExitCode {
    let line = catalogue.text(.configurationRefused(file: e.file, location: e.location, reason: e.reason))
    FileHandle.standardError.write(Data((line + "\n").utf8))
    return ExitCode(2)
}
