import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import TestSupport

/// A workstation on a real store in a fresh folder, with the demo registry and a manual clock.
struct WorkstationFixture {
    let dir = TemporaryDirectory()
    let clock: ManualClock
    let store: Store
    let workstation: Workstation
    let calendar: Calendar

    static let registry = Registry(
        groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")],
        services: [Service(number: "40009938", name: "Suporte", group: "receptivas")],
        agents: [
            Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas", "ativas"], permissions: [.contactEdit]),
            Agent(nickname: "luan", name: "Luan", extension: "2071", groups: ["receptivas"]),
            Agent(nickname: "super", name: "Supervisora", extension: "2000", groups: ["receptivas"], role: .supervisor),
        ],
        pauseReasons: [PauseReason(name: "Almoço", kind: .eventual)],
        qualificationCodes: [QualificationCode(code: "VENDA", label: "Venda")],
        recordingReasons: [])

    static let defaults: [String: String] = [
        "areacode": "48", "carrier": "21", "line": "0", "loss-report": "on", "transfer": "tcp 3000", "server.host": "",
    ]

    init(now: String = "2026-10-11 07:30") throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Sao_Paulo")!
        self.calendar = calendar
        clock = ManualClock(now: try DateInput(calendar: calendar).dateTime(now))
        store = try Store(path: dir.file("atende.sqlite").path, clock: clock)
        workstation = try Workstation(
            store: store, settings: WorkstationSettings(defaults: Self.defaults, registry: Self.registry, calendar: calendar),
            clock: clock)
    }

    /// Logs `agent` in, creating the password on first use.
    @discardableResult
    func login(_ agent: String = "fabio", group: String = "receptivas", password: String = "pw-1234") throws -> LoginOutcome {
        if try workstation.loginStep(nickname: agent, group: group) == .createPassword {
            return try workstation.firstLogin(nickname: agent, group: group, password: password, confirmation: password)
        }
        return try workstation.login(nickname: agent, group: group, password: password)
    }
}
