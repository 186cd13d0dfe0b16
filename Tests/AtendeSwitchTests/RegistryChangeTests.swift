import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

/// The running switch takes a new registry without a restart: new agents, services and groups
/// work at once; a seated agent keeps the call they have.
@Suite struct SwitchRegistryChangeTests {
    let clock = ManualClock(now: start)

    /// The seed registry with `change` applied (checked as the server checks it).
    func changed(_ change: RegistryChange, on base: Registry = registry) throws -> Registry {
        let next = try base.applying(change)
        try next.validate()
        return next
    }

    static let maria = Agent(nickname: "maria", name: "Maria", extension: "2090", groups: ["receptivas"])

    @Test func aNewAgentLogsInAndIsOfferedAQueueCall() async throws {
        // Given a running switch that does not know maria,
        let service = SwitchService(registry: registry, clock: clock, registryVersion: 1)
        await #expect(throws: SwitchRefusal.unknownExtension("2090")) {
            try await service.send(.login(extension: "2090", paused: nil, agent: "maria"))
        }
        let events = await service.subscribe(.workstation(extension: "2090", groups: ["receptivas"]))
        // when an admin adds her,
        await service.adopt(try changed(.add(.agent(Self.maria))), version: 2)
        #expect(service.registry.agent("maria") != nil && service.registryVersion == 2)
        // then her line is announced, she logs in and is rung by the next call of her group.
        clock.advance(by: 1)
        _ = try await service.send(.login(extension: "2090", paused: nil, agent: "maria"))
        clock.advance(by: 1)
        _ = try await service.send(.incoming(phone: customer, service: "Suporte"))
        var seen: [SwitchEvent] = []
        for await batch in events {
            seen += batch.events
            if seen.contains(where: { if case .ringing(let c) = $0 { return c.agent == "2090" } else { return false } }) { break }
        }
        #expect(seen.first == .agentChanged(AgentLine(nickname: "maria", extension: "2090", groups: ["receptivas"], now: start)))
        #expect(await service.line("2090")?.state == .ringing)
    }

    @Test func aNewServiceTakesCallsToItsGroupsQueue() async throws {
        let service = SwitchService(registry: registry, clock: clock, registryVersion: 1)
        _ = try await service.send(.login(extension: luan, paused: nil))
        await #expect(throws: SwitchRefusal.unknownService("Premium")) {
            try await service.send(.incoming(phone: customer, service: "Premium"))
        }
        await service.adopt(try changed(.add(.service(Service(number: "40009999", name: "Premium", group: "receptivas")))), version: 2)
        _ = try await service.send(.incoming(phone: customer, service: "Premium"))
        #expect(await service.line(luan)?.state == .ringing)
    }

    @Test func anAgentMovedToAnotherGroupGetsThatGroupsCallsAndKeepsTheCurrentOne() async throws {
        // Given luan (receptivas) talking to a Suporte customer, and a Cobranca (ativas) caller waiting,
        let service = SwitchService(registry: registry, clock: clock, registryVersion: 1)
        _ = try await service.send(.login(extension: luan, paused: nil))
        _ = try await service.send(.incoming(phone: customer, service: "Suporte"))
        _ = try await service.send(.answer(extension: luan))
        let talking = await service.line(luan)?.currentCall
        _ = try await service.send(.incoming(phone: otherCustomer, service: "Cobranca"))
        // when an admin moves him to ativas,
        var moved = try #require(registry.agent("luan"))
        moved.groups = ["ativas"]
        await service.adopt(try changed(.edit(.agent(moved))), version: 2)
        // then he keeps his call, and the waiting Cobranca caller rings him once it ends;
        #expect(await service.line(luan)?.currentCall == talking)
        #expect(await service.line(luan)?.groups == ["ativas"])
        clock.advance(by: 5)
        _ = try await service.send(.hangup(extension: luan))
        let ringing = try #require(await service.line(luan)?.currentCall)
        #expect(await service.snapshot(for: .everything).calls.first { $0.id == ringing }?.service == "Cobranca")
        // and a Suporte call no longer goes to him.
        _ = try await service.send(.hangup(extension: luan))
        _ = try await service.send(.incoming(phone: "+5548988887777", service: "Suporte"))
        #expect(await service.line(luan)?.state != .ringing)
        #expect(await service.snapshot(for: .everything).queues.first { $0.group == "receptivas" }?.waiting == 1)
    }

    @Test func aSeatedAgentWhoseExtensionChangedKeepsTheSeatUntilLogout() async throws {
        let service = SwitchService(registry: registry, clock: clock, registryVersion: 1)
        _ = try await service.send(.login(extension: luan, paused: nil))
        var moved = try #require(registry.agent("luan"))
        moved.extension = "2072"
        await service.adopt(try changed(.edit(.agent(moved))), version: 2)
        // Still seated at 2071 (a call there is not cut); the new extension is there, logged out.
        #expect(await service.line(luan)?.loggedIn == true)
        #expect(await service.line("2072")?.loggedIn == false)
        _ = try await service.send(.logout(extension: luan))
        // Once logged out, the old extension goes; the next login is at the new one.
        #expect(await service.line(luan) == nil)
        _ = try await service.send(.login(extension: "2072", paused: nil, agent: "luan"))
        #expect(await service.line("2072")?.nickname == "luan")
    }

    @Test func anOlderRegistryVersionDoesNotReplaceANewerOne() async throws {
        let service = SwitchService(registry: registry, clock: clock, registryVersion: 1)
        await service.adopt(try changed(.add(.agent(Self.maria))), version: 3)
        await service.adopt(registry, version: 2)
        #expect(service.registryVersion == 3)
        #expect(await service.line("2090") != nil)
    }
}
