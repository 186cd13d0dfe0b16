@testable import AtendeServer
import AtendeCore
import AtendeServerStore
import Foundation
import Testing
import TestSupport

/// The server's logins on its own clock: tokens expire, locks run out.
@Suite struct AuthenticatorTests {
    static let registry = Registry(
        groups: [Group(name: "receptivas", title: "Receptivas")], services: [],
        agents: [
            Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"]),
            Agent(nickname: "ana", name: "Ana", extension: "2051", groups: ["receptivas"], disabled: true),
        ],
        pauseReasons: [], qualificationCodes: [], recordingReasons: [])

    func make(_ dir: TemporaryDirectory, clock: ManualClock) throws -> Authenticator {
        let store = try ServerStore(path: dir.url.appendingPathComponent("server.sqlite").path)
        let configuration = ServerConfiguration(
            dataDir: dir.url, seedRegistry: Self.registry, clock: clock, tokenLifetime: 3600, maxLoginAttempts: 2, lockout: 600)
        return Authenticator(records: store, registry: RegistryHolder(Self.registry, version: 1), configuration: configuration)
    }

    @Test func aTokenIsRefusedOnceExpiredOrRevoked() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let auth = try make(dir, clock: clock)
        let login = try auth.login(ServerLoginRequest(agent: "fabio", password: "Segredo-123"))
        #expect(auth.principal(bearer: "Bearer \(login.token)")?.agent.nickname == "fabio")
        #expect(auth.principal(bearer: login.token) == nil)
        clock.advance(by: 3599)
        #expect(auth.principal(bearer: "Bearer \(login.token)") != nil)
        clock.advance(by: 2)
        #expect(auth.principal(bearer: "Bearer \(login.token)") == nil)

        let second = try auth.login(ServerLoginRequest(agent: "fabio", password: "Segredo-123"))
        let principal = try #require(auth.principal(bearer: "Bearer \(second.token)"))
        auth.logout(principal)
        #expect(auth.principal(bearer: "Bearer \(second.token)") == nil)
    }

    @Test func aLockRunsOutOnTheServersClockAndADisabledAgentCannotLogIn() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let auth = try make(dir, clock: clock)
        _ = try auth.login(ServerLoginRequest(agent: "fabio", password: "Segredo-123"))
        #expect(throws: ServerProblem(.wrongPassword, "wrong password", attemptsLeft: 1)) {
            _ = try auth.login(ServerLoginRequest(agent: "fabio", password: "x"))
        }
        #expect { _ = try auth.login(ServerLoginRequest(agent: "fabio", password: "x")) } throws: { ($0 as? ServerProblem)?.code == .locked }
        #expect { _ = try auth.login(ServerLoginRequest(agent: "fabio", password: "Segredo-123")) } throws: {
            ($0 as? ServerProblem)?.code == .locked
        }
        clock.advance(by: 601)
        #expect(try auth.login(ServerLoginRequest(agent: "fabio", password: "Segredo-123")).created == false)
        #expect { _ = try auth.login(ServerLoginRequest(agent: "ana", password: "Segredo-123")) } throws: {
            ($0 as? ServerProblem)?.code == .unknownAgent
        }
    }
}
