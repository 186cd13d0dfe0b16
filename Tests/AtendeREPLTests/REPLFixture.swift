import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Synchronization

@testable import AtendeREPL

/// Lines handed to the REPL as if piped, or as if typed on a terminal (`interactive`), keeping
/// what the REPL puts in the history.
final class ScriptedInput: LineSource {
    private let lines: Mutex<[String]>
    private let kept = Mutex<[String]>([])
    let isInteractive: Bool
    init(_ lines: [String], interactive: Bool = false) {
        self.lines = Mutex(lines)
        isInteractive = interactive
    }
    func readLine(prompt: String) -> String? { lines.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    func readAnswer(prompt: String) -> String? { readLine(prompt: prompt) }
    func readSecret(prompt: String) -> String? { readLine(prompt: prompt) }
    func remember(_ line: String) { kept.withLock { $0.append(line) } }
    /// The lines kept in the history, in order.
    var history: [String] { kept.withLock { $0 } }
}

/// What the REPL printed.
final class Printed: Sendable {
    private let state = Mutex<[String]>([])
    var lines: [String] { state.withLock { $0 } }
    func append(_ line: String) { state.withLock { $0.append(line) } }
}

/// A REPL on a workstation with a real store in a fresh folder, printing into arrays.
final class REPLFixture {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atende-repl-\(UUID().uuidString)")
    let repl: REPL
    let out = Printed()
    let err = Printed()
    let input: ScriptedInput

    init(lines: [String] = [], json: Bool = false, interactive: Bool = false) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))
        let store = try Store(path: folder.appendingPathComponent("atende.sqlite").path, clock: clock)
        let registry = Registry(
            groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")], services: [],
            agents: [Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas", "ativas"])],
            pauseReasons: [], qualificationCodes: [], recordingReasons: [])
        let workstation = try Workstation(
            store: store, settings: WorkstationSettings(defaults: ["areacode": "48"], registry: registry), clock: clock)
        input = ScriptedInput(lines, interactive: interactive)
        let (out, err) = (self.out, self.err)
        repl = REPL(
            workstation: workstation, catalogue: Catalogue(language: .en), input: input, options: REPLOptions(json: json),
            // One call of `out` may carry several lines (an output's, written at once).
            out: { text in for line in text.split(separator: "\n", omittingEmptySubsequences: false) { out.append(String(line)) } },
            err: { err.append($0) })
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}
