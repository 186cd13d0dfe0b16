import ArgumentParser
import AtendeCore
import AtendeDefaults
import AtendeREPL
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation

/// Builds the workstation from files, environment and flags: defaults < Config/ < environment < flags.
struct Bootstrap {
    let dataDir: URL
    let catalogue: Catalogue
    let store: Store
    let settings: WorkstationSettings
    let clock: any AtendeClock
    let workstation: AtendeWorkstation.Workstation
    /// The call center this process hosts (standalone): the switch service and its simulated world.
    let switchService: SwitchService
    let simulator: SwitchSimulator
    let simulation: CallCenterSimulation

    init(_ options: CommonOptions) throws {
        let env = ProcessInfo.processInfo.environment
        let language = Language.resolve(flag: options.lang, environment: env)
        guard let language else {
            throw fail(Catalogue(language: .en), ConfigFileError(file: "--lang", location: options.lang ?? "", reason: .notAChoice(["pt", "en"])))
        }
        catalogue = Catalogue(language: language)
        do {
            dataDir = try Self.dataDirectory(options.dataDir, env: env)
            let defaults = try ConfigFiles.defaults(DefaultFiles.defaults, override: options.config ?? env["ATENDE_CONFIG"])
            let registry = try ConfigFiles.registry(URL(fileURLWithPath: options.registry ?? env["ATENDE_REGISTRY"] ?? DefaultFiles.registry.path))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone.current
            settings = WorkstationSettings(defaults: defaults.workstation, registry: registry, login: defaults.login, calendar: calendar)
            clock = try Self.clock(options, calendar: calendar)
        } catch let e as ConfigFileError {
            throw fail(catalogue, e)
        }
        do {
            store = try Store(path: dataDir.appendingPathComponent("atende.sqlite").path, clock: clock) { [catalogue] from, to in
                FileHandle.standardError.write(Data((catalogue.text(.upgradingStore(from: from, to: to)) + "\n").utf8))
            }
            // Standalone: the call center runs in this process, seeded from the registry (SV-4
            // simulator); its losses are recorded once, here, by the host of the switch.
            switchService = SwitchService(
                registry: settings.registry, clock: clock, recorder: LossRecorder(store: store, calendar: settings.calendar))
            simulator = SwitchSimulator(service: switchService)
            workstation = try AtendeWorkstation.Workstation(
                store: store, settings: settings, clock: clock, link: InProcessSwitchLink(switchService, simulator: simulator))
            simulation = CallCenterSimulation(simulator: simulator, workstation: workstation)
        } catch {
            FileHandle.standardError.write(Data((catalogue.error(error) + "\n").utf8))
            throw ExitCode(2)
        }
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

    static func clock(_ o: CommonOptions, calendar: Calendar) throws -> any AtendeClock {
        switch o.clock {
        case "system":
            return SystemClock()
        case "manual":
            guard let text = o.now else { return ManualClock(now: Date()) }
            do {
                return ManualClock(now: try DateInput(calendar: calendar).dateTime(text))
            } catch {
                throw ConfigFileError(file: "--now", location: text, reason: .dateTimeFormat)
            }
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
