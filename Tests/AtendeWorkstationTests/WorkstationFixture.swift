import AtendeCore
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation
import TestSupport

/// A workstation on a real store in a fresh folder, with the demo registry and a manual clock.
struct WorkstationFixture {
    let dir = TemporaryDirectory()
    let clock: ManualClock
    let store: Store
    let workstation: Workstation
    /// The one switch service of this fixture, and the outside world that drives it.
    let service: SwitchService
    let sim: CallCenterSimulation
    let calendar: Calendar

    static let registry = Registry(
        groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")],
        services: [Service(number: "40009938", name: "Suporte", group: "receptivas")],
        agents: [
            Agent(
                nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas", "ativas"],
                permissions: [.contactEdit, .capture, .recording, .productivePause]),
            Agent(nickname: "luan", name: "Luan", extension: "2071", groups: ["receptivas"]),
            Agent(nickname: "super", name: "Supervisora", extension: "2000", groups: ["receptivas"], role: .supervisor),
            Agent(nickname: "admin", name: "Admin", extension: "2048", groups: ["receptivas"], role: .admin),
        ],
        pauseReasons: [PauseReason(name: "Almoço", kind: .eventual), PauseReason(name: "Treinamento", kind: .productive, code: "101")],
        qualificationCodes: [QualificationCode(code: "VENDA", label: "Venda"), QualificationCode(code: "INFO", label: "Info")],
        recordingReasons: [RecordingReason(code: "QUALIDADE", label: "Qualidade")])

    static let defaults: [String: String] = [
        "areacode": "48", "carrier": "21", "line": "0", "loss-report": "on", "transfer": "tcp 3000", "server.host": "",
        "qualification": "on", "qualify-close": "on", "contact-popup": "on", "queue-alert": "on", "wrap-up": "60",
        "sound.enabled": "on",
    ]

    init(now: String = "2026-10-11 07:30", defaults: [String: String] = [:]) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Sao_Paulo")!
        self.calendar = calendar
        clock = ManualClock(now: try DateInput(calendar: calendar).dateTime(now))
        store = try Store(path: dir.file("atende.sqlite").path, clock: clock)
        service = SwitchService(registry: Self.registry, clock: clock, recorder: LossRecorder(store: store, calendar: calendar))
        let simulator = SwitchSimulator(service: service)
        workstation = try Workstation(
            store: store,
            settings: WorkstationSettings(
                defaults: Self.defaults.merging(defaults) { $1 }, registry: Self.registry, calendar: calendar),
            clock: clock, link: InProcessSwitchLink(service, simulator: simulator))
        sim = CallCenterSimulation(simulator: simulator, workstation: workstation)
    }

    /// Lets the time the clock moved pass: the switch's timeouts, then the workstation's own.
    func tick() async -> [WorkstationEvent] {
        let mark = workstation.lastEvent
        let receipt = await service.advance()
        await workstation.settle(through: receipt.through)
        await workstation.fireDue()
        return workstation.events(since: mark)
    }

    /// Logs `agent` in, creating the password on first use.
    @discardableResult
    func login(_ agent: String = "fabio", group: String = "receptivas", password: String = "pw-1234") async throws -> LoginOutcome {
        if try await workstation.loginStep(nickname: agent, group: group) == .createPassword {
            return try await workstation.firstLogin(nickname: agent, group: group, password: password, confirmation: password)
        }
        return try await workstation.login(nickname: agent, group: group, password: password)
    }
}
