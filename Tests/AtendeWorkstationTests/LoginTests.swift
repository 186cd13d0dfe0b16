import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing

@Suite struct LoginTests {
    @Test func firstLoginCreatesThePasswordAndSavesTheDefaults() async throws {
        let f = try WorkstationFixture()
        #expect(try await f.workstation.loginStep(nickname: "fabio", group: "receptivas") == .createPassword)
        let outcome = try await f.login()
        #expect(outcome.createdPassword && outcome.appliedDefaultConfiguration)
        #expect(await f.workstation.session?.agent.nickname == "fabio")
        #expect(try f.store.preferences.all()["extension", default: ""] == "", "the agent sits at the registered extension: none is stored (CC-0)")
        let credential = try #require(try f.store.credentials.credential(for: "fabio"))
        #expect(credential.algorithm == "pbkdf2-sha256" && credential.iterations >= 210_000 && credential.salt.count == 16)
        #expect(credential.hash != Data("pw-1234".utf8))
        _ = try await f.workstation.logout()
        #expect(try await f.workstation.loginStep(nickname: "fabio", group: "receptivas") == .password)
        #expect(try await f.login().appliedDefaultConfiguration == false)
    }

    @Test(arguments: [
        ("nobody", "receptivas", AtendeError.unknownAgent("nobody")),
        ("fabio", "nogroup", AtendeError.unknownGroup("nogroup")),
        ("luan", "ativas", AtendeError.agentNotInGroup(agent: "luan", group: "ativas")),
    ])
    func theAgentMustBeRegisteredInTheGroup(agent: String, group: String, error: AtendeError) async throws {
        let f = try WorkstationFixture()
        await #expect(throws: error) { try await f.workstation.loginStep(nickname: agent, group: group) }
    }

    @Test func aNewPasswordMustBeConfirmedAndLongEnough() async throws {
        let f = try WorkstationFixture()
        await #expect(throws: AtendeError.passwordsDiffer) {
            try await f.workstation.firstLogin(nickname: "fabio", group: "receptivas", password: "pw-1234", confirmation: "pw-1235")
        }
        await #expect(throws: AtendeError.passwordTooShort(minimum: 4)) {
            try await f.workstation.firstLogin(nickname: "fabio", group: "receptivas", password: "abc", confirmation: "abc")
        }
        #expect(await f.workstation.session == nil)
        #expect(try f.store.credentials.credential(for: "fabio") == nil)
    }

    @Test func failedAttemptsAreSlowedDownThenLocked() async throws {
        // Given fabio's password, and the default policy (delay after 3 failures, lock at 6)
        let f = try WorkstationFixture()
        try await f.login()
        _ = try await f.workstation.logout()
        func attempt(_ password: String) async throws -> LoginOutcome {
            try await f.workstation.login(nickname: "fabio", group: "receptivas", password: password)
        }
        // When three wrong passwords are typed, each says how many attempts are left
        for left in [5, 4, 3] {
            await #expect(throws: AtendeError.wrongPassword(attemptsLeft: left)) { try await attempt("wrong") }
        }
        // Then even the right password must wait 5 s
        await #expect(throws: AtendeError.loginThrottled(retryAfterSeconds: 5)) { try await attempt("pw-1234") }
        f.clock.advance(by: 5)
        await #expect(throws: AtendeError.wrongPassword(attemptsLeft: 2)) { try await attempt("wrong") }
        await #expect(throws: AtendeError.loginThrottled(retryAfterSeconds: 10)) { try await attempt("wrong") }
        f.clock.advance(by: 10)
        await #expect(throws: AtendeError.wrongPassword(attemptsLeft: 1)) { try await attempt("wrong") }
        f.clock.advance(by: 20)
        // And the sixth failure locks the account for 15 minutes
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) { try await attempt("wrong") }
        f.clock.advance(by: 600)
        await #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 300)) { try await attempt("pw-1234") }
        f.clock.advance(by: 300)
        #expect(try await attempt("pw-1234").session.agent.nickname == "fabio")
        #expect(try f.store.credentials.credential(for: "fabio")?.failedAttempts == 0)
    }

    @Test func passwdNeedsTheCurrentPassword() async throws {
        let f = try WorkstationFixture()
        try await f.login()
        // A wrong current password counts like a failed login (LG-6).
        await #expect(throws: AtendeError.wrongPassword(attemptsLeft: 5)) {
            try await f.workstation.changePassword(current: "nope", new: "new-pass", confirmation: "new-pass")
        }
        await #expect(throws: AtendeError.passwordUnchanged) {
            try await f.workstation.changePassword(current: "pw-1234", new: "pw-1234", confirmation: "pw-1234")
        }
        try await f.workstation.changePassword(current: "pw-1234", new: "new-pass", confirmation: "new-pass")
        _ = try await f.workstation.logout()
        await #expect(throws: AtendeError.wrongPassword(attemptsLeft: 5)) { try await f.login(password: "pw-1234") }
        #expect(try await f.login(password: "new-pass").session.agent.nickname == "fabio")
    }

    @Test func commandsNeedASession() async throws {
        let f = try WorkstationFixture()
        await #expect(throws: AtendeError.notLoggedIn) { try await f.workstation.addNote("x") }
        await #expect(throws: AtendeError.notLoggedIn) { try await f.workstation.logout() }
        try await f.login()
        await #expect(throws: AtendeError.alreadyLoggedIn(agent: "fabio")) { try await f.login("luan") }
    }
}
