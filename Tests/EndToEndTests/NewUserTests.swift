import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// Small truths a new user finds in the first hour (issue 10, item 14), each through the binary.
@Suite struct NewUserTests {
    static let login = ["login fabio receptivas", "pw123456", "pw123456"]

    func atende(_ dir: TemporaryDirectory, _ lines: [String], _ extra: [String] = ["--lang", "en"], environment: [String: String] = [:])
        throws -> RunResult
    {
        try AtendeBinary.run(
            ["--data-dir", dir.path, "--clock", "manual", "--now", "2026-10-11 09:00", "--transfer", "off", "--keep-going"] + extra,
            input: lines.joined(separator: "\n") + "\n", environment: environment)
    }

    /// The keys of every object in a JSON text, object by object, duplicates kept.
    static func keysPerObject(_ json: String) -> [[String]] {
        var done: [[String]] = []
        var open: [[String]] = []
        var chars = Array(json.unicodeScalars)[...]
        var expectingKey = false
        while let c = chars.popFirst() {
            switch c {
            case "{":
                open.append([])
                expectingKey = true
            case "}": done.append(open.removeLast())
            case ",": expectingKey = !open.isEmpty
            case "[": expectingKey = false
            case "\"":
                var s = ""
                while let d = chars.popFirst(), d != "\"" {
                    if d == "\\", let e = chars.popFirst() { s.unicodeScalars.append(e) } else { s.unicodeScalars.append(d) }
                }
                if expectingKey, !open.isEmpty { open[open.count - 1].append(s) }
                expectingKey = false
            default: break
            }
        }
        return done
    }

    @Test func theDialPlanKnowsNationwideInternationalAndServiceNumbers() throws {
        let r = try atende(TemporaryDirectory(), Self.login + [
            "config qualification off", "dial 0800 123 4567", "hangup", "dial 00 1 212 555 0100", "hangup", "dial 00 21 44 20 7946 0958",
            "hangup", "dial 190", "hangup", "dial 192", "hangup",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let dialling = r.lines.filter { $0.hasPrefix("Dialling") }
        #expect(dialling == [
            "Dialling 08001234567 (dial string 008001234567).",
            "Dialling +12125550100 (dial string 0002112125550100).",
            "Dialling +442079460958 (dial string 00021442079460958).",
            "Dialling 190 (dial string 0190).",
            "Dialling 192 (dial string 0192).",
        ])
    }
}
