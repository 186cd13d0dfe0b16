import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing

/// Who sees which attendances, who may export, import and install a registry, and the password
/// checks on the way (SV-6, LG-6, LG-8).
@Suite struct AccessTests {
    /// Attendances of fabio and luan in receptivas and one of fabio's in ativas, all from the same caller.
    static func seed(_ f: WorkstationFixture) throws {
        let now = f.clock.now()
        try f.store.attendances.addAll([
            Attendance(type: .inbound, phone: "+554832819500", agent: "luan", group: "receptivas", extension: "2071", answeredAt: now, talkSeconds: 10),
            Attendance(type: .inbound, phone: "+554832819500", agent: "fabio", group: "receptivas", extension: "2050", answeredAt: now, talkSeconds: 20),
            Attendance(type: .inbound, phone: "+554832819500", agent: "fabio", group: "ativas", extension: "2050", answeredAt: now, talkSeconds: 30),
        ])
    }

    static func attendanceNumbers(_ hits: [SearchHit]) -> [Int] {
        hits.compactMap { if case .attendance(let a, _) = $0 { a.number } else { nil } }.sorted()
    }

    @Test func anAgentSearchesOnlyTheirOwnAttendances() async throws {
        // Given luan's attendance 1 and fabio's 2 and 3 from one caller
        let f = try WorkstationFixture()
        try Self.seed(f)
        // When fabio searches the caller's number
        try await f.login("fabio")
        // Then only his own come up, like `attendance N` (luan's is "not found")
        #expect(Self.attendanceNumbers(try await f.workstation.search("4832819500")) == [2, 3])
        await #expect(throws: AtendeError.invalidNumber("1")) { try await f.workstation.attendance(1) }
        _ = try await f.workstation.logout()
        try await f.login("luan")
        #expect(Self.attendanceNumbers(try await f.workstation.search("4832819500")) == [1])
    }

    @Test func supervisorsAndAdminsSeeTheirGroupsAttendances() async throws {
        // Given a supervisor and an admin of receptivas only
        let f = try WorkstationFixture()
        try Self.seed(f)
        for who in ["super", "admin"] {
            try await f.login(who)
            // Then search, calls and attendance N show receptivas' attendances, not ativas'
            #expect(Self.attendanceNumbers(try await f.workstation.search("4832819500")) == [1, 2], "\(who)")
            #expect(try await f.workstation.calls(CallsRequest(agent: "all")).attendances.map(\.number) == [1, 2], "\(who)")
            #expect(try await f.workstation.attendance(1).0.agent == "luan")
            await #expect(throws: AtendeError.invalidNumber("3")) { try await f.workstation.attendance(3) }
            _ = try await f.workstation.logout()
        }
    }

    @Test func passwdCountsWrongCurrentPasswordsAndLocks() async throws {
        // Given fabio logged in (policy: delay after 3 failures, lock at 6)
        let f = try WorkstationFixture()
        try await f.login()
        func passwd(_ current: String) async throws {
            try await f.workstation.changePassword(current: current, new: "new-pass-1", confirmation: "new-pass-1")
        }
        // When wrong current passwords are given, each one counts
        for left in [5, 4, 3] {
            await #expect(throws: AtendeError.wrongPassword(attemptsLeft: left)) { try await passwd("wrong") }
        }
        await #expect(throws: AtendeError.loginThrottled(retryAfterSeconds: 5)) { try await passwd("pw-1234") }
        for (wait, left) in [(5, 2), (10, 1)] {
            f.clock.advance(by: TimeInterval(wait))
            await #expect(throws: AtendeError.wrongPassword(attemptsLeft: left)) { try await passwd("wrong") }
        }
        f.clock.advance(by: 20)
        // Then the sixth locks the account: neither passwd nor a login get through, even rightly
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) { try await passwd("wrong") }
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) { try await passwd("pw-1234") }
        _ = try await f.workstation.logout()
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) {
            try await f.workstation.login(nickname: "fabio", group: "receptivas", password: "pw-1234")
        }
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) {
            try await f.workstation.authenticate(nickname: "fabio", password: "pw-1234")
        }
    }

    @Test func exportIsAnAgentsOwnHistoryOrTheGroupsForSupervisors() async throws {
        let f = try WorkstationFixture()
        try await f.login("fabio")
        _ = try await f.workstation.logout()
        let fabio = try await f.workstation.authenticate(nickname: "fabio", password: "pw-1234")
        await #expect(throws: AtendeError.wrongPassword(attemptsLeft: 5)) {
            try await f.workstation.authenticate(nickname: "fabio", password: "wrong")
        }
        // An agent: their own, by default and when named; a colleague's is refused
        #expect(try await f.workstation.authorizeExport(ExportRequest(format: .csv), by: fabio).agent == "fabio")
        await #expect(throws: AtendeError.supervisorOnly) {
            try await f.workstation.authorizeExport(ExportRequest(agent: "luan", format: .csv), by: fabio)
        }
        // A supervisor: everyone of their groups, or one agent
        let supervisor = try #require(f.workstation.registry.agent("super"))
        let all = try await f.workstation.authorizeExport(ExportRequest(format: .csv), by: supervisor)
        #expect(all.agent == nil && all.visibility == AttendanceVisibility(for: supervisor))
        #expect(try await f.workstation.authorizeExport(ExportRequest(agent: "LUAN", format: .csv), by: supervisor).agent == "luan")
    }

    @Test func importNeedsContactEditAndARegistryNeedsAnAdmin() async throws {
        let f = try WorkstationFixture()
        let registry = f.workstation.registry
        let luan = try #require(registry.agent("luan"))
        await #expect(throws: AtendeError.permissionDenied(.contactEdit)) { try await f.workstation.authorizeImport(by: luan) }
        try await f.workstation.authorizeImport(by: try #require(registry.agent("fabio")))
        await #expect(throws: AtendeError.registryAdminOnly) {
            try await f.workstation.installRegistry(registry, by: try #require(registry.agent("super")))
        }
        #expect(try f.store.catalog.installedRegistry() == nil)
        try await f.workstation.installRegistry(registry, by: try #require(registry.agent("admin")))
        let installed = try #require(try f.store.catalog.installedRegistry())
        #expect(installed.registry == registry && installed.installedBy == "admin")
    }

    @Test func theCRMPortLeavesLoopbackOnlyForAnAdmin() async throws {
        let f = try WorkstationFixture()
        try await f.login("fabio")
        await #expect(throws: AtendeError.transferHostNotLoopback("0.0.0.0")) {
            try await f.workstation.setConfiguration("transfer.host", "0.0.0.0")
        }
        _ = try await f.workstation.setConfiguration("transfer.host", "127.0.0.2")
        _ = try await f.workstation.logout()
        try await f.login("admin")
        _ = try await f.workstation.setConfiguration("transfer.host", "0.0.0.0")
        #expect(try await f.workstation.configuration()[.transferHost] == "0.0.0.0")
    }

    @Test func thePABXPasswordIsStoredSealedAndNeverQueued() async throws {
        // Given a key file beside the store
        let f = try WorkstationFixture()
        try await f.login("fabio")
        let queued = try f.store.pendingOutboxCount()
        // When the PABX password is set
        _ = try await f.workstation.setConfiguration("pabx.password", "PabxSecret55")
        // Then the workstation has it, the store only sealed, and nothing more is queued for sync
        #expect(try await f.workstation.configuration()[.pabxPassword] == "PabxSecret55")
        let stored = try #require(try f.store.preferences.all()["pabx.password"])
        #expect(stored.hasPrefix("sealed:v1:") && !stored.contains("PabxSecret55"))
        #expect(try f.store.pendingOutboxCount() == queued)
    }

    @Test func aSealedSecretOutlivesTheProcessWithItsKeyFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atende-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("secret.key")
        let sealed = try SecretBox(keyFile: file).seal("PabxSecret55")
        #expect(try SecretBox(keyFile: file).open(sealed) == "PabxSecret55")
        #expect(try SecretBox(keyFile: nil).open(sealed) == nil, "another key cannot open it")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try Data(contentsOf: file).count == 32)
    }

    @Test func aKeyFileThatIsNoKeyIsRefusedByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atende-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("secret.key")
        try Data("short".utf8).write(to: file)
        #expect(throws: AtendeError.secretKeyInvalid(file.path)) { try SecretBox(keyFile: file) }
    }
}
