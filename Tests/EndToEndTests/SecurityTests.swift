import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// Secrets, roles, visibility and the files Atende writes, tried as a hostile user would
/// (issue 10, items 1–6), through the real binary.
@Suite struct SecurityTests {
    func atende(_ dir: TemporaryDirectory, _ extra: [String] = [], _ lines: [String], environment: [String: String] = [:]) throws
        -> RunResult
    {
        try AtendeBinary.run(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00"] + extra,
            input: lines.map { $0 + "\n" }.joined(), environment: environment)
    }

    /// Every byte under `dir` (database, WAL, history, key file, exports).
    func everyByte(_ dir: TemporaryDirectory) throws -> Data {
        var all = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            all += (try? Data(contentsOf: dir.file(name))) ?? Data()
        }
        return all
    }

    /// Gives `agent` a password on this workstation (a first login, then logout).
    func signUp(_ dir: TemporaryDirectory, _ agent: String, group: String = "receptivas", password: String) throws {
        let r = try atende(dir, [], ["login \(agent) \(group)", password, password, "logout"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
    }

    // MARK: 1. Secrets never reach disk in clear

    @Test func aPasswordAfterALoginThatFailedBeforeAskingIsNeitherRunNorShown() throws {
        // Given a script whose logins and passwd fail before asking for a password (--keep-going)
        let dir = TemporaryDirectory()
        try signUp(dir, "fabio", password: "s3cret-pass")
        let r = try atende(dir, ["--keep-going"], [
            "login fabio nogroup", "Secret1234",
            "login fabo receptivas", "Secret1234", "Secret1234",
            "passwd", "Secret1234", "New1234567", "New1234567",
            "login fabio receptivas", "s3cret-pass",
            "login fabio receptivas", "Secret1234",
            "notes",
        ])
        // Then each refusal is one line, the password lines are skipped unseen, and the rest runs
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "error: group \"nogroup\" does not exist. Check the group name.",
            "error: agent \"fabo\" is not registered. Check the nickname with your supervisor.",
            "error: line skipped after the failed `login`: it is not a command (perhaps a password); it was not run, kept or shown.",
            "error: not logged in. Log in with `login USER GROUP`.",
            "error: line skipped after the failed `passwd`: it is not a command (perhaps a password); it was not run, kept or shown.",
            "error: line skipped after the failed `passwd`: it is not a command (perhaps a password); it was not run, kept or shown.",
            "error: fabio is already logged in. Use `logout` first.",
        ])
        #expect(r.stdout.contains("Welcome, Fabio") && r.stdout.contains("No notes."))
        #expect(!(r.stdout + r.stderr).contains("Secret1234") && !(r.stdout + r.stderr).contains("New1234567"))
    }

    @Test func thePABXPasswordAndLoginTyposLeaveNoSecretOnDisk() throws {
        // Given a session that sets the PABX password and mistypes logins
        let dir = TemporaryDirectory()
        let r = try atende(dir, ["--keep-going"], [
            "login fabio receptivas", "s3cret-pass", "s3cret-pass",
            "config pabx.password PabxSecret55", "config pabx.password", "logout",
            "login fabio nogroup", "Typo-Secret-1", "login fabio receptivas", "Typo-Secret-2",
            "login fabio receptivas", "s3cret-pass", "config pabx.senha", "logout",
        ])
        #expect(r.lines.filter { $0.hasPrefix("pabx.password =") } == ["pabx.password = ********"])
        #expect(r.lines.filter { $0.hasPrefix("pabx.password (pabx.senha)") }.count == 2)
        // Then no file of the data dir holds any of them in clear, the outbox has no PABX password,
        // and the key that seals it is the owner's only
        let bytes = try everyByte(dir)
        for secret in ["PabxSecret55", "Typo-Secret-1", "Typo-Secret-2", "s3cret-pass"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is on disk")
        }
        let outbox = try shell("sqlite3", [dir.file("atende.sqlite").path, "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%pabx.password%'"])
        #expect(outbox == "0\n")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("secret.key").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    // MARK: 2. Roles come from a trusted source

    @Test func aRegistryGivenPerRunIsRefused() throws {
        // Given a copy of the registry that makes fabio an admin
        let dir = TemporaryDirectory()
        let copy = try dir.write("registry.json", try String(contentsOfFile: "Config/registry.json", encoding: .utf8)
            .replacingOccurrences(of: "\"sector\": \"PeD ICORP\", \"role\": \"agent\"", with: "\"sector\": \"PeD ICORP\", \"role\": \"admin\""))
        // When it is given with --registry or ATENDE_REGISTRY, it is refused and nothing runs
        let flag = try atende(dir, ["--registry", copy.path], ["login fabio receptivas", "x", "x"])
        #expect(flag.status == 2)
        #expect(flag.errorLines == [
            "error: --registry is no longer read: a registry given per run grants no role. An admin installs the registry with `atende admin registry load FILE`."
        ])
        let env = try atende(dir, [], ["help"], environment: ["ATENDE_REGISTRY": copy.path])
        #expect(env.status == 2 && env.stderr.hasPrefix("error: ATENDE_REGISTRY is no longer read"))
        // And an agent cannot install it either; an admin can, and it says it is an admin act
        try signUp(dir, "fabio", password: "fabio-pass")
        try signUp(dir, "intelbras", password: "admin-pass")
        let byAgent = try AtendeBinary.run(
            ["admin", "registry", "load", copy.path, "--user", "fabio", "--data-dir", dir.path, "--lang", "en"], input: "fabio-pass\n")
        #expect(byAgent.status == 1 && byAgent.errorLines == ["error: only admins install a registry. Ask an admin to do it."])
        let noLogin = try AtendeBinary.run(["admin", "registry", "load", copy.path, "--data-dir", dir.path, "--lang", "en"])
        #expect(noLogin.status == 1 && noLogin.stderr.hasPrefix("error: `atende admin registry load` needs a login"))
        let byAdmin = try AtendeBinary.run(
            ["admin", "registry", "load", copy.path, "--user", "intelbras", "--data-dir", dir.path, "--lang", "en"], input: "admin-pass\n")
        #expect(byAdmin.status == 0, "stderr: \(byAdmin.stderr)")
        #expect(byAdmin.errorLines == [
            "Registry \(copy.path) installed by intelbras (an admin act: it sets everyone's role and permissions): 3 agent(s), 2 group(s). It takes effect from the next run."
        ])
        // Then, from the next run, the installed registry is the one in force
        let after = try atende(dir, [], ["login fabio receptivas", "fabio-pass", "calls --agent luan", "logout"])
        #expect(after.status == 0, "stderr: \(after.stderr)")
    }

    @Test func withTheBundledRegistryAnAgentCannotActForAColleague() throws {
        let dir = TemporaryDirectory()
        try signUp(dir, "fabio", password: "fabio-pass")
        let r = try atende(dir, ["--keep-going"], ["login fabio receptivas", "fabio-pass", "calls --agent luan"])
        #expect(r.errorLines == ["error: only supervisors and admins can act for other agents."])
    }

    /// luan takes a call from 4832819500 (attendance 1); fabio and luan have passwords.
    func luansCall(_ dir: TemporaryDirectory) throws {
        try signUp(dir, "fabio", password: "fabio-pass")
        let r = try atende(dir, ["--transfer", "off"], [
            "login luan receptivas", "luan-pass", "luan-pass", "sim incoming 4832819500 Suporte", "", "hangup", "logout",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
    }

    @Test func exportNeedsALoginAndAnAgentExportsOnlyTheirOwn() throws {
        // Given luan's attendance
        let dir = TemporaryDirectory()
        try luansCall(dir)
        func export(_ arguments: [String], password: String = "") throws -> RunResult {
            try AtendeBinary.run(["export", "--data-dir", dir.path, "--lang", "en", "--format", "jsonl"] + arguments, input: password)
        }
        // Then an export without a login, or of a colleague, is refused
        let anonymous = try export(["--agent", "luan"])
        #expect(anonymous.status == 1 && anonymous.stdout.isEmpty)
        #expect(anonymous.errorLines == [
            "error: `atende export` needs a login: give --user NICKNAME (the password is asked for, or read from the first line of standard input)."
        ])
        let colleague = try export(["--user", "fabio", "--agent", "luan"], password: "fabio-pass\n")
        #expect(colleague.status == 1 && colleague.stdout.isEmpty)
        #expect(colleague.errorLines == ["error: only supervisors and admins can act for other agents."])
        let wrong = try export(["--user", "fabio"], password: "guess\n")
        #expect(wrong.errorLines == ["error: wrong password (5 attempt(s) left before lock-out). Try again."])
        // And each agent's own export holds only their attendances
        #expect(try export(["--user", "fabio"], password: "fabio-pass\n").lines.isEmpty)
        let own = try export(["--user", "luan"], password: "luan-pass\n")
        #expect(own.status == 0 && own.lines.count == 1 && own.stdout.contains("\"agent\":\"luan\""))
    }

    @Test func importNeedsContactEdit() throws {
        // Given luan (no contact-edit) and fabio (contact-edit)
        let dir = TemporaryDirectory()
        try signUp(dir, "luan", password: "luan-pass")
        try signUp(dir, "fabio", password: "fabio-pass")
        let csv = try dir.write("contacts.csv", "name,phone\nMaria Souza,4832819500\n")
        func importing(_ user: String, _ password: String) throws -> RunResult {
            try AtendeBinary.run(["import", "contacts", csv.path, "--user", user, "--data-dir", dir.path, "--lang", "en"], input: password + "\n")
        }
        // Then luan's import is refused and nothing is imported; fabio's goes through
        let refused = try importing("luan", "luan-pass")
        #expect(refused.status == 1)
        #expect(refused.errorLines == ["error: you lack the contact-edit permission. Ask your supervisor."])
        #expect(try Store(path: dir.file("atende.sqlite").path, clock: SystemClock()).contacts.count() == 0)
        let done = try importing("fabio", "fabio-pass")
        #expect(done.status == 0 && done.errorLines == ["1 contact(s) imported, 0 row(s) refused."])
    }

    // MARK: 3. Visibility

    @Test func anAgentCannotSearchAColleaguesCalls() throws {
        let dir = TemporaryDirectory()
        try luansCall(dir)
        let fabio = try atende(dir, ["--keep-going"], ["login fabio receptivas", "fabio-pass", "search 4832819500", "attendance 1"])
        #expect(fabio.lines.contains("Nothing found for \"4832819500\"."))
        #expect(fabio.errorLines == ["error: number \"1\" not found. Check the listing."])
        let luan = try atende(dir, [], ["login luan receptivas", "luan-pass", "search 4832819500"])
        #expect(luan.lines.contains { $0.hasPrefix("attendance") && $0.contains("INBOUND") })
    }

    // MARK: 5. The CRM port stays on loopback

    @Test func onlyAnAdminOpensTheCRMPortAndIsWarned() throws {
        let dir = TemporaryDirectory()
        let agent = try atende(dir, ["--keep-going"], ["login fabio receptivas", "fabio-pass", "fabio-pass", "config transfer.host 0.0.0.0", "config transfer.host"])
        #expect(agent.errorLines == ["error: only admins open the CRM port to the network (transfer.host \"0.0.0.0\"). Use 127.0.0.1 or ask an admin."])
        #expect(agent.lines.contains { $0.hasPrefix("transfer.host") && $0.hasSuffix("127.0.0.1") })
        let admin = try atende(dir, ["--transfer", "off"], ["login intelbras receptivas", "admin-pass", "admin-pass", "config transfer.host 0.0.0.0"])
        #expect(admin.status == 0, "stderr: \(admin.stderr)")
        #expect(admin.lines.contains("transfer.host = 0.0.0.0"))
        let config = try dir.write("config.json", #"{"workstation": {"transfer.host": "0.0.0.0"}}"#)
        let file = try atende(TemporaryDirectory(), ["--config", config.path], ["help"])
        #expect(file.status == 2 && file.stderr.contains("workstation.transfer.host"))
    }

    @Test func anOpenCRMPortIsAnnouncedWithItsRisk() throws {
        // Given an admin opened the port beyond loopback
        let dir = TemporaryDirectory()
        _ = try atende(dir, ["--transfer", "off"], ["login intelbras receptivas", "admin-pass", "admin-pass", "config transfer.host 0.0.0.0", "logout"])
        // When the screen transfer starts on TCP there, the run warns that Annex I has no authentication
        let r = try atende(dir, ["--transfer", "tcp 0"], ["login intelbras receptivas", "admin-pass", "logout"], environment: ["ATENDE_TRANSFER": "tcp 0"])
        #expect(r.errorLines.filter { $0.hasPrefix("Warning:") } == [
            "Warning: the screen transfer listens on 0.0.0.0, beyond this computer; the TCP protocol (Annex I) has no authentication: anyone who reaches the port can answer and dial as this agent."
        ])
    }

    // MARK: 6. Files the workstation writes

    @Test func anExportNeverWritesThroughASymlinkAndIsTheOwnersOnly() throws {
        let dir = TemporaryDirectory()
        try luansCall(dir)
        let precious = try dir.write("precious.txt", "keep me\n")
        let link = dir.file("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: precious)
        let refused = try AtendeBinary.run(
            ["export", "--user", "luan", "--out", link.path, "--data-dir", dir.path, "--lang", "en"], input: "luan-pass\n")
        #expect(refused.status == 1)
        #expect(refused.errorLines == ["error: \(link.path) is a symbolic link; Atende does not write through links. Choose another path."])
        #expect(try String(contentsOf: precious, encoding: .utf8) == "keep me\n")
        let out = dir.file("luan.csv")
        try "old".write(to: out, atomically: false, encoding: .utf8)
        let done = try AtendeBinary.run(
            ["export", "--user", "luan", "--out", out.path, "--data-dir", dir.path, "--lang", "en"], input: "luan-pass\n")
        #expect(done.status == 0, "stderr: \(done.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("number,type"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func anExcelExportNeutralisesFormulas() throws {
        // Given a contact named like a formula who calls fabio
        let dir = TemporaryDirectory()
        let r = try atende(dir, [], [
            "login fabio receptivas", "fabio-pass", "fabio-pass",
            #"contacts add '=HYPERLINK("http://x","y")' --phone 4832819500"#,
            "sim incoming 4832819500 Suporte", "", "hangup", "logout",
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // When the history is exported for a spreadsheet
        let excel = try AtendeBinary.run(
            ["export", "--user", "fabio", "--excel", "--data-dir", dir.path, "--lang", "en"], input: "fabio-pass\n")
        // Then the name is text, not a formula, and so is the phone
        #expect(excel.status == 0, "stderr: \(excel.stderr)")
        // (CSV lines end in CR LF, one Character in Swift: split on the pair)
        let row = try #require(excel.stdout.components(separatedBy: "\r\n").dropFirst().first)
        let cells = row.split(separator: ";").map(String.init)
        #expect(cells[3] == "'+554832819500")
        #expect(row.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "\(row)")
    }

    @Test func theTXTFolderMustExistAndAnExtensionFolderMayNotBeALink() throws {
        // Given a TXT folder that does not exist, then one whose 2050 folder links elsewhere
        let dir = TemporaryDirectory()
        let missing = dir.file("crm")
        let r = try atende(dir, ["--keep-going"], [
            "login fabio receptivas", "fabio-pass", "fabio-pass", "config transfer txt \(missing.path)",
        ])
        // Then `config` refuses the missing folder and creates nothing
        #expect(r.errorLines == [
            "error: the folder \(missing.path) does not exist. Create it (Atende creates only the extensions' folders inside it) and try again."
        ])
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        let elsewhere = dir.file("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: missing, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: missing.appendingPathComponent("2050"), withDestinationURL: elsewhere)
        let linked = try atende(dir, ["--transfer", "txt \(missing.path)"], ["login fabio receptivas", "fabio-pass", "logout"])
        #expect(linked.errorLines.contains(
            "error: \(missing.appendingPathComponent("2050").path) is a symbolic link; Atende does not write through links. Choose another path."
        ), "\(linked.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }
}
