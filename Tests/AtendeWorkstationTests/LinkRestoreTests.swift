import AtendeCore
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation
import Testing
import TestSupport

/// A link to a switch that can go down and come back as a new server process would: a fresh
/// switch with nobody seated, its numbering from `startingAt`. The network between is under the
/// test's hand: batches can be held back (the reply of a request arrives before its events, as
/// on a real socket), and logins can be refused as unreachable for a while.
actor RestartingSwitchLink: SwitchLink {
    let registry: Registry
    let clock: any AtendeClock
    private(set) var service: SwitchService
    private var up = true
    private var follower: AsyncStream<SwitchFeed>.Continuation?
    private var forwarding: Task<Void, Never>?
    private var held: [SwitchBatch]?
    private var requests: [SwitchRequest] = []
    private var requestWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Logins refused as unreachable before one goes through.
    var unreachableLogins = 0

    init(registry: Registry, clock: any AtendeClock) {
        self.registry = registry
        self.clock = clock
        service = SwitchService(registry: registry, clock: clock)
    }

    func send(_ request: SwitchRequest) async throws(SwitchRefusal) -> SwitchReceipt {
        guard up else { throw .unreachable }
        if case .login = request, unreachableLogins > 0 {
            unreachableLogins -= 1
            throw .unreachable
        }
        let receipt = try await service.send(request)
        requests.append(request)
        let ready = requestWaiters.filter { $0.count <= requests.count }
        requestWaiters.removeAll { $0.count <= requests.count }
        ready.forEach { $0.continuation.resume() }
        return receipt
    }

    func events(for audience: SwitchAudience) async -> AsyncStream<SwitchFeed> {
        let (feed, continuation) = AsyncStream.makeStream(of: SwitchFeed.self)
        follower = continuation
        await follow()
        return feed
    }

    func snapshot(for audience: SwitchAudience) async -> SwitchSnapshot {
        await service.snapshot(for: audience)
    }

    /// Waits until the switch carried out `count` requests in all (any kind) since the start.
    func waitForRequests(_ count: Int) async {
        guard requests.count < count else { return }
        await withCheckedContinuation { requestWaiters.append((count, $0)) }
    }

    var requestCount: Int { requests.count }

    /// Batches are kept back from now on, until ``releaseFeed()``.
    func holdFeed() { if held == nil { held = [] } }

    func releaseFeed() {
        let batches = held ?? []
        held = nil
        batches.forEach { follower?.yield(.batch($0)) }
    }

    /// The connection drops: what was held back is gone with it, requests are refused.
    func drop() {
        forwarding?.cancel()
        held = nil
        up = false
        follower?.yield(.lost)
    }

    /// A new server process is there: the link comes back with its snapshot.
    /// `seated` are agents (extension, nickname) the new switch has seated before the link is back.
    func restart(startingAt sequence: UInt64, holdingFeed: Bool = false, seated: [(String, String)] = []) async {
        if up { drop() }
        service = SwitchService(registry: registry, clock: clock, startingAt: sequence)
        for (ext, agent) in seated { _ = try? await service.send(.login(extension: ext, paused: nil, agent: agent)) }
        up = true
        if holdingFeed { held = [] }
        await follow()
        follower?.yield(.restored(await service.snapshot(for: .everything)))
    }

    private func follow() async {
        let batches = await service.subscribe(.everything)
        forwarding = Task { for await b in batches { self.deliver(b) } }
    }

    private func deliver(_ batch: SwitchBatch) {
        guard !Task.isCancelled, up else { return }
        if held != nil { held?.append(batch) } else { follower?.yield(.batch(batch)) }
    }
}

/// After a restart of the server the workstation takes its agent's seat again, before it says
/// the link is back; waits for events end when the link goes; a seat not taken is asked for
/// again on the clock, and the agent is told when it cannot be had.
@Suite(.timeLimit(.minutes(1))) struct LinkRestoreTests {
    let dir = TemporaryDirectory()
    let clock: ManualClock
    let link: RestartingSwitchLink
    let workstation: Workstation

    init() throws {
        clock = ManualClock(now: Date(timeIntervalSince1970: 1_791_000_000))
        let store = try Store(path: dir.file("atende.sqlite").path, clock: clock)
        link = RestartingSwitchLink(registry: WorkstationFixture.registry, clock: clock)
        workstation = try Workstation(
            store: store,
            settings: WorkstationSettings(defaults: WorkstationFixture.defaults, registry: WorkstationFixture.registry),
            clock: clock, link: link)
    }

    func login() async throws {
        _ = try await workstation.firstLogin(nickname: "fabio", group: "receptivas", password: "pw-1234", confirmation: "pw-1234")
        #expect(await workstation.line?.state == .free)
    }

    /// The events published after `mark`, once `match` is among them (they come from the pump).
    func events(after mark: UInt64, until match: @escaping @Sendable (WorkstationEvent) -> Bool) async -> [WorkstationEvent] {
        let stream = workstation.subscribe()
        let already = workstation.events(since: mark)
        if already.contains(where: match) { return already }
        for await e in stream where match(e.event) { break }
        return workstation.events(since: mark)
    }

    @Test func theLinkIsSaidToBeBackOnlyOnceTheSeatIsTakenAgainAndInTheMirror() async throws {
        // Given an agent seated, when the server restarts (its numbering lower than before) and
        // the new switch's events are slow to come,
        try await login()
        let before = await link.requestCount
        let mark = workstation.lastEvent
        await link.restart(startingAt: 0, holdingFeed: true)
        await link.waitForRequests(before + 1)
        // then the login reached the switch but the link is not yet said to be back,
        #expect(!workstation.events(since: mark).contains(.linkRestored))
        // and once the events come, it is, with the agent free at the seat.
        await link.releaseFeed()
        let seen = await events(after: mark) { $0 == .linkRestored }
        #expect(seen.filter { $0 == .linkLost || $0 == .linkRestored } == [.linkLost, .linkRestored])
        #expect(await workstation.line?.loggedIn == true)
        #expect(await workstation.line?.state == .free)
        #expect(await link.service.line("2050")?.loggedIn == true)
    }

    @Test func aCommandWaitingForItsEventsIsReleasedWhenTheLinkDrops() async throws {
        // Given a pause the switch carried out, whose events are still on the way,
        try await login()
        await link.holdFeed()
        let before = await link.requestCount
        let pausing = Task { try await workstation.pause(nil) }
        await link.waitForRequests(before + 1)
        // when the connection drops, the command returns (its events will never come),
        await link.drop()
        _ = try await pausing.value
        // and a server that comes back with a lower numbering gives the seat back, paused as it was.
        let mark = workstation.lastEvent
        await link.restart(startingAt: 0)
        _ = await events(after: mark) { $0 == .linkRestored }
        #expect(await workstation.line?.pause == "Almoço")
        // The timer loop is not stuck on the old numbering either.
        await workstation.fireDue()
    }

    @Test func aSeatNotTakenForATransientReasonIsAskedForAgainWithBackOff() async throws {
        // Given an agent seated, when the server comes back but the first two logins do not get through,
        try await login()
        await link.setUnreachableLogins(2)
        let mark = workstation.lastEvent
        await link.restart(startingAt: 40)
        _ = await events(after: mark) { $0 == .linkRestored }
        // then the link is back, the seat not yet, and a try is due in 1 s, then in 2 s.
        #expect(await workstation.line?.loggedIn == false)
        let start = clock.now()
        #expect(await workstation.nextDeadline() == start.addingTimeInterval(1))
        clock.advance(by: 1)
        await workstation.fireDue()
        #expect(await workstation.line?.loggedIn == false)
        #expect(await workstation.nextDeadline() == start.addingTimeInterval(3))
        clock.advance(by: 2)
        await workstation.fireDue()
        #expect(await workstation.line?.loggedIn == true)
        #expect(await workstation.nextDeadline() == nil)
        #expect(!workstation.events(since: mark).contains(.seatNotTaken(extension: "2050")))
    }

    @Test func theAgentIsToldWhenTheSeatCannotBeTakenAgain() async throws {
        // Given an agent seated, when the server comes back and never lets the login through,
        try await login()
        await link.setUnreachableLogins(100)
        let mark = workstation.lastEvent
        await link.restart(startingAt: 0)
        _ = await events(after: mark) { $0 == .linkRestored }
        // then each try waits longer (1, 2, 4, 8, 16, 30 s), and after the last the agent is told.
        var waits: [TimeInterval] = []
        while let next = await workstation.nextDeadline() {
            waits.append(next.timeIntervalSince(clock.now()))
            clock.set(next)
            await workstation.fireDue()
        }
        #expect(waits == [1, 2, 4, 8, 16, 30])
        #expect(workstation.events(since: mark).filter { $0 == .seatNotTaken(extension: "2050") }.count == 1)
        #expect(await workstation.line?.loggedIn == false)
    }

    @Test func aSeatRefusedByTheSwitchIsToldAtOnce() async throws {
        // Given an agent seated, when the server comes back with the agent seated at another
        // extension (another workstation of theirs took it),
        try await login()
        let mark = workstation.lastEvent
        await link.restart(startingAt: 0, seated: [("2071", "fabio")])
        // then the login is refused, the agent told at once, and no retry is due.
        let seen = await events(after: mark) { $0 == .seatNotTaken(extension: "2050") }
        #expect(seen.contains(.linkRestored))
        #expect(await workstation.line?.loggedIn == false)
        #expect(await workstation.nextDeadline() == nil)
    }
}

extension RestartingSwitchLink {
    func setUnreachableLogins(_ n: Int) { unreachableLogins = n }
}
