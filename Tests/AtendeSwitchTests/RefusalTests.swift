import AtendeCore
import Foundation
import Testing

@testable import AtendeSwitch

@Suite("A refused command changes nothing")
struct RefusalTests {
    /// Random commands from every side of the switch: after each refused one, every line and
    /// every call is as it was (the switch undoes in place what the command had begun to change).
    @Test("random commands: every refusal leaves the floor as it was, every success publishes every line it changed", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func refusalsUndoEverything(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        let pabx = try makeSwitch(loggedIn: [fabio, luan])
        let exts = [fabio, luan, intelbras, "9999"]
        let phones = [customer, otherCustomer]
        var refused = 0
        var t: TimeInterval = 10
        for _ in 0..<600 {
            t += Double(Int.random(in: 0...3, using: &rng))
            let e = exts.randomElement(using: &rng)!
            let other = exts.randomElement(using: &rng)!
            let requests: [SwitchRequest] = [
                .login(extension: e, paused: nil, agent: nil), .logout(extension: e), .pause(extension: e, reason: "Lanche"),
                .unpause(extension: e), .wrapUp(extension: e, on: Bool.random(using: &rng)), .answer(extension: e), .hangup(extension: e),
                .dial(extension: e, phone: phones.randomElement(using: &rng)!), .call(extension: e, target: other),
                .hold(extension: e), .consult(extension: e, target: .agent(extension: other)), .transfer(extension: e, target: Bool.random(using: &rng) ? .agent(extension: other) : .customer(phone: otherCustomer)),
                .completeTransfer(extension: e), .returnToHeld(extension: e), .conference(extension: e), .capture(extension: e),
                .barge(extension: e, target: other), .incoming(phone: phones.randomElement(using: &rng)!, service: "Suporte"),
                .directIncoming(phone: customer, extension: e), .remoteAnswer(extension: e), .remoteHangup(extension: e),
                .abandonOldest,
            ]
            let request = requests.randomElement(using: &rng)!
            let lines = pabx.lines, calls = pabx.activeCalls, now = pabx.now
            defer { #expect(pabx.model.indexesAgree, "an index disagrees with the floor after \(request), seed \(seed)") }
            do {
                _ = try pabx.perform(request, now: at(t))
                // Only the lines the command touched are published again: none may be left behind.
                for seat in pabx.model.seats.values {
                    #expect(seat.line == seat.published, "\(seat.line.extension) not published after \(request), seed \(seed)")
                    #expect(seat.line.state == pabx.model.state(of: seat), "\(seat.line.extension) stale after \(request), seed \(seed)")
                    #expect(seat.line.currentCall == seat.current && seat.line.heldCall == seat.held)
                }
            } catch {
                refused += 1
                #expect(pabx.lines == lines, "\(request) refused (\(error)) but changed a line, seed \(seed)")
                #expect(pabx.activeCalls == calls, "\(request) refused (\(error)) but changed a call, seed \(seed)")
                #expect(pabx.now == now)
                // The next command starts from a clean slate: nothing of the refused one is published.
                #expect(pabx.model.events.isEmpty && pabx.model.requests.isEmpty, "\(request) left events behind, seed \(seed)")
            }
        }
        #expect(refused > 100)
    }
}

extension SwitchModel {
    /// Whether every index says what a scan of the seats and calls says.
    var indexesAgree: Bool {
        var queues: [String: [CallOrder]] = [:]
        var ringing: [CallOrder] = []
        for call in calls.values {
            if let (group, order) = CallIndex.queued(call) { queues[group, default: []].append(order) }
            if let order = CallIndex.ringingQueueCall(call) { ringing.append(order) }
        }
        var onCall: [CallID: Set<String>] = [:]
        var free: [String: Set<String>] = [:]
        for (ext, seat) in seats.storage {
            for id in [seat.current, seat.held].compactMap({ $0 }) { onCall[id, default: []].insert(ext) }
            if SeatIndex.takesQueueCalls(seat) {
                for group in seat.line.groups { free[Registry.nameKey(group), default: []].insert(ext) }
            }
        }
        return queues.mapValues { $0.sorted() } == calls.index.queues && ringing.sorted() == calls.index.ringing
            && onCall == seats.index.onCall && free == seats.index.free
    }
}

@Suite("The switch's undo journal")
struct JournaledTests {
    @Test("rollback puts back changed, added and removed entries; commit keeps them")
    func rollbackAndCommit() {
        var j = Journaled<String, Int, NoIndex<String, Int>>()
        j["a"] = 1
        j["b"] = 2
        j.begin()
        j["a"] = 10
        j["a"] = 11
        j["c"] = 3
        j.removeValue(forKey: "b")
        #expect(j.storage == ["a": 11, "c": 3])
        j.rollback()
        #expect(j.storage == ["a": 1, "b": 2])

        j.begin()
        j["a"] = 5
        j.removeValue(forKey: "b")
        j.commit()
        j.rollback()
        #expect(j.storage == ["a": 5])
    }

    /// Keeps the sum of the values, as the switch's indexes keep orders of its calls and seats.
    struct Sum: JournalIndex {
        var total = 0
        mutating func replace(_ old: Int?, with new: Int?, at key: String) { total += (new ?? 0) - (old ?? 0) }
    }

    @Test("the index follows every write, removal and rollback")
    func indexFollowsRollback() {
        var j = Journaled<String, Int, Sum>()
        j["a"] = 1
        j["b"] = 2
        j.begin()
        j["a"] = 10
        j["c"] = 3
        j.removeValue(forKey: "b")
        #expect(j.index.total == 13)
        j.rollback()
        #expect(j.index.total == 3 && j.storage.values.reduce(0, +) == 3)
    }
}

@Suite("Group names")
struct GroupNameTests {
    @Test("a group is the same group in any case, ASCII or not; other names are not")
    func sameGroup() {
        #expect(SwitchModel.same("Receptivas", "receptivas"))
        #expect(SwitchModel.same("COBRANÇA", "cobrança"))
        #expect(!SwitchModel.same("q01", "q10"))
        #expect(!SwitchModel.same("a@", "a`"))
        #expect(!SwitchModel.same("ativas", "ativa"))
        #expect(!SwitchModel.same(nil, "ativas"))
        // The key the switch indexes by puts together exactly the names that are the same.
        let names = ["Receptivas", "receptivas", "RECEPTIVAS", "COBRANÇA", "cobrança", "Cobrança", "q01", "q10", "a@", "a`", "ativa", "ativas"]
        for a in names {
            for b in names { #expect(Registry.sameName(a, b) == (Registry.nameKey(a) == Registry.nameKey(b)), "\(a) / \(b)") }
        }
    }
}
