import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite struct RobustnessTests {
    @Test func aBadConfigurationFileIsRefusedWithItsKeyAndReason() throws {
        let dir = TemporaryDirectory()
        let bad = try dir.write("bad.json", #"{ "workstation": { "areacode": "4" } }"#)
        let r = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--config", bad.path], input: "help\n")
        #expect(r.status == 2)
        #expect(r.errorLines == ["error: configuration refused: \(bad.path): workstation.areacode: invalid value \"4\". Fix it and run again."])
        let unknown = try dir.write("unknown.json", #"{ "workstation": { "colour": "on" } }"#)
        let u = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--config", unknown.path], input: "help\n")
        #expect(u.errorLines == ["error: configuration refused: \(unknown.path): workstation.colour: unknown key. Fix it and run again."])
        let broken = try dir.write("broken.json", "{ \"workstation\": {\n  \"areacode\": \"48\",\n  oops\n} }")
        let b = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--config", broken.path], input: "help\n")
        #expect(b.status == 2)
        #expect(b.stderr.hasPrefix("error: configuration refused: \(broken.path): line 3"), "\(b.stderr)")
        let registry = try dir.write("registry.json", """
            { "groups": [{ "name": "g", "title": "G" }], "services": [],
              "agents": [{ "nickname": "ana", "name": "Ana", "extension": "2000", "groups": ["h"] }],
              "pauseReasons": [], "qualificationCodes": [], "recordingReasons": [] }
            """)
        let g = try AtendeBinary.run(["admin", "registry", "load", registry.path, "--data-dir", dir.path, "--lang", "en"])
        #expect(g.errorLines == ["error: configuration refused: \(registry.path): agents[0].groups: unknown group \"h\". Fix it and run again."])
        // Nothing was created from a refused configuration.
        #expect(!FileManager.default.fileExists(atPath: dir.file("atende.sqlite").path))
    }

    @Test func everyAcknowledgedNoteSurvivesKillNine() throws {
        // Given a running workstation taking notes from a pipe
        let dir = TemporaryDirectory()
        _ = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en"], input: "login fabio receptivas\npw-1234\npw-1234\n")
        let process = Process()
        process.executableURL = AtendeBinary.url
        process.arguments = ["--data-dir", dir.path, "--lang", "en"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var script = "login fabio receptivas\npw-1234\n"
        for i in 1...2000 { script += "note add note number \(i)\n" }
        input.fileHandleForWriting.write(Data(script.utf8))
        // When it is killed once it has acknowledged at least 50 notes
        var seen = ""
        while seen.components(separatedBy: "added.").count <= 50 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let acknowledged = seen.split(separator: "\n").filter { $0.hasPrefix("Note ") && $0.hasSuffix(" added.") }
        #expect(acknowledged.count >= 50)
        // Then the database is sound and holds every acknowledged note
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let kept = Set(try store.notes.list(agent: "fabio").map(\.number))
        for line in acknowledged {
            let number = Int(line.split(separator: " ")[1])!
            #expect(kept.contains(number), "note \(number) was acknowledged and lost")
        }
        #expect(try shell("sqlite3", [dir.file("atende.sqlite").path, "PRAGMA integrity_check;"]) == "ok\n")
    }
}
