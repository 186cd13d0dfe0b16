import AtendeCore
import AtendeStore
import AtendeWorkstation
import Foundation
import Testing

@Suite struct LoginTests {
    @Test func firstLoginCreatesThePasswordAndSavesTheDefaults() throws {
        let f = try WorkstationFixture()
        #expect(try f.workstation.loginStep(nickname: "fabio", group: "receptivas") == .createPassword)
        let outcome = try f.login()
        #expect(outcome.createdPassword && outcome.appliedDefaultConfiguration)
        #expect(f.workstation.session?.agent.nickname == "fabio")
        #expect(try f.store.preferences.all()["extension"] == "2050")
        let credential = try #require(try f.store.credentials.credential(for: "fabio"))
        #expect(credential.algorithm == "pbkdf2-sha256" && credential.iterations >= 210_000 && credential.salt.count == 16)
        #expect(credential.hash != Data("pw-1234".utf8))
        _ = try f.workstation.logout()
        #expect(try f.workstation.loginStep(nickname: "fabio", group: "receptivas") == .password)
        #expect(try f.login().appliedDefaultConfiguration == false)
    }

    @Test(arguments: [
        ("nobody", "receptivas", AtendeError.unknownAgent("nobody")),
        ("fabio", "nogroup", AtendeError.unknownGroup("nogroup")),
        ("luan", "ativas", AtendeError.agentNotInGroup(agent: "luan", group: "ativas")),
    ])
    func theAgentMustBeRegisteredInTheGroup(agent: String, group: String, error: AtendeError) throws {
        let f = try WorkstationFixture()
        #expect(throws: error) { try f.workstation.loginStep(nickname: agent, group: group) }
    }

    @Test func aNewPasswordMustBeConfirmedAndLongEnough() throws {
        let f = try WorkstationFixture()
        #expect(throws: AtendeError.passwordsDiffer) {
            try f.workstation.firstLogin(nickname: "fabio", group: "receptivas", password: "pw-1234", confirmation: "pw-1235")
        }
        #expect(throws: AtendeError.passwordTooShort(minimum: 4)) {
            try f.workstation.firstLogin(nickname: "fabio", group: "receptivas", password: "abc", confirmation: "abc")
        }
        #expect(f.workstation.session == nil)
        #expect(try f.store.credentials.credential(for: "fabio") == nil)
    }

    @Test func failedAttemptsAreSlowedDownThenLocked() throws {
        // Given fabio's password, and the default policy (delay after 3 failures, lock at 6)
        let f = try WorkstationFixture()
        try f.login()
        _ = try f.workstation.logout()
        func attempt(_ password: String) throws -> LoginOutcome {
            try f.workstation.login(nickname: "fabio", group: "receptivas", password: password)
        }
        // When three wrong passwords are typed, each says how many attempts are left
        for left in [5, 4, 3] {
            #expect(throws: AtendeError.wrongPassword(attemptsLeft: left)) { try attempt("wrong") }
        }
        // Then even the right password must wait 5 s
        #expect(throws: AtendeError.loginThrottled(retryAfterSeconds: 5)) { try attempt("pw-1234") }
        f.clock.advance(by: 5)
        #expect(throws: AtendeError.wrongPassword(attemptsLeft: 2)) { try attempt("wrong") }
        #expect(throws: AtendeError.loginThrottled(retryAfterSeconds: 10)) { try attempt("wrong") }
        f.clock.advance(by: 10)
        #expect(throws: AtendeError.wrongPassword(attemptsLeft: 1)) { try attempt("wrong") }
        f.clock.advance(by: 20)
        // And the sixth failure locks the account for 15 minutes
        #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 900)) { try attempt("wrong") }
        f.clock.advance(by: 600)
        #expect(throws: AtendeError.accountLocked(retryAfterSeconds: 300)) { try attempt("pw-1234") }
        f.clock.advance(by: 300)
        #expect(try attempt("pw-1234").session.agent.nickname == "fabio")
        #expect(try f.store.credentials.credential(for: "fabio")?.failedAttempts == 0)
    }

    @Test func passwdNeedsTheCurrentPassword() throws {
        let f = try WorkstationFixture()
        try f.login()
        #expect(throws: AtendeError.wrongPassword(attemptsLeft: 6)) {
            try f.workstation.changePassword(current: "nope", new: "new-pass", confirmation: "new-pass")
        }
        #expect(throws: AtendeError.passwordUnchanged) {
            try f.workstation.changePassword(current: "pw-1234", new: "pw-1234", confirmation: "pw-1234")
        }
        try f.workstation.changePassword(current: "pw-1234", new: "new-pass", confirmation: "new-pass")
        _ = try f.workstation.logout()
        #expect(throws: AtendeError.wrongPassword(attemptsLeft: 5)) { try f.login(password: "pw-1234") }
        #expect(try f.login(password: "new-pass").session.agent.nickname == "fabio")
    }

    @Test func commandsNeedASession() throws {
        let f = try WorkstationFixture()
        #expect(throws: AtendeError.notLoggedIn) { try f.workstation.addNote("x") }
        #expect(throws: AtendeError.notLoggedIn) { try f.workstation.logout() }
        try f.login()
        #expect(throws: AtendeError.alreadyLoggedIn(agent: "fabio")) { try f.login("luan") }
    }
}
