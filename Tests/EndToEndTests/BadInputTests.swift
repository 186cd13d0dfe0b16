import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// RE-5: bad input neither freezes the workstation nor gets a false answer, through the binary.
@Suite struct BadInputTests {
    static let login = ["login fabio receptivas", "pw123456", "pw123456"]

    func atende(_ dir: TemporaryDirectory, _ lines: [String], _ extra: [String] = [], environment: [String: String] = [:]) throws -> RunResult {
        try AtendeBinary.run(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00"] + extra,
            input: lines.joined(separator: "\n") + "\n", environment: environment)
    }

    /// An error line without its `error: ` prefix.
    static func afterPrefix(_ line: String) -> String {
        line.range(of: ": ").map { String(line[$0.upperBound...]) } ?? line
    }

    func storedTransfer(_ dir: TemporaryDirectory) throws -> (String?, String?) {
        let all = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock()).preferences.all()
        return (all["transfer"], all["transfer.host"])
    }

    @Test func aChatToNobodyOrTooLongIsOneLineAndKeepsNothing() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            "chat ,,, oi", "chat luan " + String(repeating: "x", count: 4001), "chat luan,zeca oi", "chat luan Bom dia", "logout --force",
        ], ["--keep-going", "--transfer", "off"])
        #expect(r.errorLines == [
            "error: say to whom: `chat luan MESSAGE` (several separated by commas).",
            "error: the message is longer than 4000 characters. Shorten it.",
            "error: agent \"zeca\" is not registered. Separate several with commas: `chat luan,maria MESSAGE`.",
        ])
        #expect(r.stdout.contains("Message to luan kept"))
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        #expect(try store.chat.conversation(agent: "fabio", with: "luan").map(\.body) == ["Bom dia"])
    }

    @Test func simAdvanceAndTrafficAreBoundedByTheEventsTheyWouldSimulate() throws {
        let dir = TemporaryDirectory()
        let r = try atende(dir, Self.login + [
            // A week with nothing due is a handful of steps; more is refused.
            "sim advance 604800", "sim advance 604801",
            "sim traffic 121", "sim traffic nan", "sim traffic -1",
            // With traffic, the bound is the calls that would arrive: 5,000 at 120 a minute is 2,500 s.
            "sim traffic 120", "sim advance 604800", "sim advance 2501", "sim advance 30", "sim traffic 0", "logout --force",
        ], ["--keep-going", "--transfer", "off"])
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "error: the clock cannot move more than 604800 seconds at once. Use a smaller number.",
            "error: invalid RATE for `sim traffic`: \"121\". Use 0 to 120 calls a minute.",
            "error: invalid RATE for `sim traffic`: \"nan\". Use 0 to 120 calls a minute.",
            "error: invalid RATE for `sim traffic`: \"-1\". Use 0 to 120 calls a minute.",
            "error: the clock cannot move more than 2500 seconds at once. Use a smaller number.",
            "error: the clock cannot move more than 2500 seconds at once. Use a smaller number.",
        ], "stderr: \(r.stderr)")
    }

    @Test func aHugeUnknownWordIsRefusedWithoutASuggestion() throws {
        let r = try atende(TemporaryDirectory(), [String(repeating: "x", count: 100_000), "help"], ["--keep-going", "--transfer", "off"])
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.hasPrefix("error: unknown command \"xxx"))
        #expect(r.stderr.hasSuffix("\". Type `help` for the list.\n"))
    }

    /// A port another program holds on loopback.
    func takenPort() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aScreenTransferThatCannotListenIsNotSaved() throws {
        // Given a port another program listens on
        let (fd, port) = try takenPort()
        defer { close(fd) }
        let dir = TemporaryDirectory()
        // When the agent asks for it
        let r = try atende(dir, Self.login + ["config transfer tcp \(port)", "status"])
        // Then the line says why, the script stops with status 1, and nothing was saved
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "error: the screen transfer cannot listen on 127.0.0.1:\(port): the port is in use by another program. Choose another port (`config transfer tcp PORT`) or address (`config transfer.host`)."
        ], "stderr: \(r.stderr)")
        #expect(try storedTransfer(dir).0 == "tcp 3000")
        // A port the flag asks for at start is said the same way, and the run goes on without it.
        let s = try atende(dir, ["login fabio receptivas", "pw123456", "status", "logout"], ["--transfer", "tcp \(port)"])
        #expect(s.status == 0)
        #expect(s.stderr.contains("error: the screen transfer cannot listen on 127.0.0.1:\(port): the port is in use by another program."))
        #expect(s.stdout.contains("Screen transfer: off"))
    }

    @Test func aListenAddressNotOfThisMachineIsNotSaved() throws {
        // Given an admin's workstation listening on a free port
        let dir = TemporaryDirectory()
        let r = try atende(dir, [
            "login intelbras receptivas", "pw123456", "pw123456", "config transfer tcp 0", "config transfer.host 203.0.113.7", "status",
            "logout",
        ], ["--keep-going"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: the screen transfer cannot listen on 203.0.113.7:0: the address is not one of this machine's."), "stderr: \(r.stderr)")
        // The setting is not saved, and the listener in force goes on.
        #expect(try storedTransfer(dir) == ("tcp 0", "127.0.0.1"))
        #expect(r.stdout.contains("Screen transfer: tcp 127.0.0.1:"), "\(r.stdout)")
    }

    @Test func aTXTFolderThatCannotBeMadeIsNotSaved() throws {
        // Given a path that is a plain file, where the extension's folder would go inside it
        let dir = TemporaryDirectory()
        let file = try dir.write("plain", "not a folder")
        let r = try atende(dir, Self.login + ["config transfer txt \(file.path)", "status"])
        #expect(r.status == 1)
        // (The folder given must be an existing folder: `config` refuses it before trying it.)
        #expect(r.errorLines == [
            "error: the folder \(file.path) does not exist. Create it (Atende creates only the extensions' folders inside it) and try again."
        ], "stderr: \(r.stderr)")
        #expect(try storedTransfer(dir).0 == "tcp 3000")
    }

    @Test(arguments: [
        (["--transfer", "bogus"], [String: String](), "error: invalid value for --transfer: \"bogus\". Use tcp PORT, txt DIR or off."),
        ([], ["ATENDE_TRANSFER": "udp 5"], "error: invalid value for ATENDE_TRANSFER: \"udp 5\". Use tcp PORT, txt DIR or off."),
        (["--lang", "pt", "--transfer", "tcp"], [:], "error: valor inválido para --transfer: \"tcp\". Use tcp PORTA, txt PASTA ou off."),
    ])
    func aScreenTransferGivenAtStartThatIsNoModeIsRefused(flags: [String], environment: [String: String], line: String) throws {
        let dir = TemporaryDirectory()
        let r = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en"] + flags, input: "help\n", environment: environment)
        #expect(r.status == 2)
        // (The prefix is the catalogue's; what follows it is pinned.)
        #expect(r.errorLines.map(Self.afterPrefix) == [Self.afterPrefix(line)])
        #expect(!FileManager.default.fileExists(atPath: dir.file("atende.sqlite").path))
    }

    @Test func aDataFolderThatCannotBeMadeSaysWhyInTheCataloguesWords() throws {
        let dir = TemporaryDirectory()
        let file = try dir.write("plain", "not a folder")
        let en = try AtendeBinary.run(["--data-dir", file.path + "/data", "--lang", "en"], input: "help\n")
        #expect(en.status == 2)
        #expect(en.errorLines == ["error: configuration refused: \(file.path)/data: --data-dir: cannot create the folder (part of the path is not a folder). Fix it and run again."])
        let pt = try AtendeBinary.run(["--data-dir", file.path + "/data", "--lang", "pt"], input: "help\n")
        #expect(pt.errorLines.map(Self.afterPrefix) == ["configuração recusada: \(file.path)/data: --data-dir: não foi possível criar a pasta (uma parte do caminho não é uma pasta). Corrija e rode de novo."])
    }

    @Test func aConfigurationFileWithAValueOfTheWrongKindSaysWhatItShouldBe() throws {
        let dir = TemporaryDirectory()
        let typed = try dir.write("typed.json", #"{ "workstation": { "areacode": 48 } }"#)
        let t = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--config", typed.path], input: "help\n")
        #expect(t.status == 2)
        #expect(t.errorLines == ["error: configuration refused: \(typed.path): workstation.areacode: should be a text in quotes. Fix it and run again."])
        let pt = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "pt", "--config", typed.path], input: "help\n")
        #expect(pt.errorLines.map(Self.afterPrefix) == ["configuração recusada: \(typed.path): workstation.areacode: deve ser um texto entre aspas. Corrija e rode de novo."])
        // A file cut short names the line where it ends.
        let cut = try dir.write("cut.json", "{\n  \"workstation\": {\n    \"areacode\": \"48\",\n")
        let c = try AtendeBinary.run(["--data-dir", dir.path, "--lang", "en", "--config", cut.path], input: "help\n")
        #expect(c.status == 2)
        #expect(c.stderr.hasPrefix("error: configuration refused: \(cut.path): line "), "\(c.stderr)")
        #expect(!c.stderr.contains("Error") && !c.stderr.contains("DecodingError"), "\(c.stderr)")
    }
}
