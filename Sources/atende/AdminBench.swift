import ArgumentParser
import AtendeCore
import AtendeREPL
import AtendeStore
import AtendeSwitch
import AtendeWorkstation
import Foundation

extension Atende.Admin {
    /// `atende admin bench`: in-process timings of the store, for `Benchmarks/run.py` (one JSON line).
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time search, reports or simulated calls in-process and print one JSON object.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "search, reports, commands or calls.") var what: String
        @Option(help: "search: a file of queries, one per line.") var queries: String?
        @Option(help: "calls: how many simulated calls.") var calls = 10_000
        @Option(help: "commands: the attendance `attendance N` shows.") var attendance: Int?

        func run() async throws {
            let boot = try Bootstrap(common)
            // Closed whole at the end, the next start need not read the store in full (Store.close).
            defer { try? boot.store.close() }
            let result: [String: Double]
            switch what {
            case "search": result = try search(boot)
            case "reports": result = try reports(boot)
            case "commands": result = try await commands(boot)
            case "calls": result = try await simulatedCalls(boot)
            default: throw ValidationError("use search, reports, commands or calls")
            }
            let body = result.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
            print("{\"bench\":\"\(what)\",\(body)}")
        }

        static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        }

        static func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        func search(_ boot: Bootstrap) throws -> [String: Double] {
            guard let queries else { throw ValidationError("search needs --queries FILE") }
            let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n").map(String.init)
            // One pass to warm the page cache and the statement cache, as a working REPL would be.
            for q in lines.prefix(100) { _ = try boot.store.search.search(q) }
            var times: [Double] = []
            var twoWords: [Double] = []
            var hits = 0
            for q in lines {
                times.append(try Self.milliseconds { hits += try boot.store.search.search(q).count })
                if q.contains(" ") { twoWords.append(times[times.count - 1]) }
            }
            // Queries of two words (`Souza Intelbras`) are the tail: their p99 on its own.
            return ["queries": Double(lines.count), "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99),
                    "hits": Double(hits), "two_words_p99_ms": Self.percentile(twoWords, 0.99)]
        }

        func reports(_ boot: Bootstrap) throws -> [String: Double] {
            let store = boot.store
            let end = Date(timeIntervalSince1970: 1_790_000_000)
            let day = DateSpan(start: end.addingTimeInterval(-86_400 * 30), end: end.addingTimeInterval(-86_400 * 29))
            var dayRows = 0
            var lossRows = 0
            // Each report 21 times; the median, so one cold read or a busy core does not decide.
            func median(_ body: () throws -> Void) throws -> Double {
                var times: [Double] = []
                for _ in 0..<21 { times.append(try Self.milliseconds(body)) }
                return Self.percentile(times, 0.5)
            }
            let calls = try median { dayRows = try store.attendances.list(AttendanceQuery(span: day, agent: "fabio")).count }
            let losses = try median { lossRows = try store.losses.list(fromDay: "2026-08-01", toDay: "2026-08-31", group: "receptivas").count }
            let stats = try median { _ = try store.attendances.summary(AttendanceQuery(span: day, agent: "fabio")) }
            return ["calls_day_ms": calls, "calls_day_rows": Double(dayRows), "losses_month_ms": losses,
                    "losses_month_rows": Double(lossRows), "stats_day_ms": stats]
        }

        /// What the REPL's commands ask of the workstation, without parsing or rendering: the
        /// in-process side of each command `Benchmarks/run.py` pipes into the binary (fabio logged
        /// in; the dates are the generated history's). Each the median of 21, after one warm run.
        func commands(_ boot: Bootstrap) async throws -> [String: Double] {
            let ws = boot.workstation
            let agent = "fabio"
            let group = try require(boot.settings.registry.agent(agent)?.groups.first)
            if try await ws.loginStep(nickname: agent, group: group) == .createPassword {
                _ = try await ws.firstLogin(nickname: agent, group: group, password: "bench-pass", confirmation: "bench-pass")
            } else {
                _ = try await ws.login(nickname: agent, group: group, password: "bench-pass")
            }
            func median(_ body: () async throws -> Void) async throws -> Double {
                try await body()
                var times: [Double] = []
                for _ in 0..<21 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    try await body()
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                }
                return Self.percentile(times, 0.5)
            }
            var result: [String: Double] = [:]
            var rows = 0
            result["calls_ms"] = try await median { rows = try await ws.calls(CallsRequest(from: "22/08/2026")).attendances.count }
            result["calls_rows"] = Double(rows)
            result["losses_month_ms"] = try await median { rows = try await ws.losses(.days("01/08/2026", "31/08/2026")).count }
            result["losses_month_rows"] = Double(rows)
            result["stats_ms"] = try await median { _ = try await ws.stats(day: "22/08/2026") }
            result["search_maria_ms"] = try await median { _ = try await ws.search("maria") }
            result["search_souza_intelbras_ms"] = try await median { _ = try await ws.search("Souza Intelbras") }
            result["search_32819500_ms"] = try await median { _ = try await ws.search("32819500") }
            if let attendance {
                result["attendance_ms"] = try await median { _ = try await ws.attendance(attendance) }
            }
            result["contacts_souza_ms"] = try await median { _ = try await ws.findContacts("souza") }
            result["status_ms"] = try await median { _ = try await ws.status() }
            return result
        }

        func simulatedCalls(_ boot: Bootstrap) async throws -> [String: Double] {
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_790_000_000))
            let service = SwitchService(registry: boot.settings.registry, clock: clock)
            let ws = try AtendeWorkstation.Workstation(
                store: boot.store, settings: boot.settings, clock: clock, link: InProcessSwitchLink(service))
            let sim = CallCenterSimulation(simulator: SwitchSimulator(service: service), workstation: ws)
            let agent = try require(boot.settings.registry.agents.first)
            let group = agent.groups[0]
            if try await ws.loginStep(nickname: agent.nickname, group: group) == .createPassword {
                _ = try await ws.firstLogin(nickname: agent.nickname, group: group, password: "bench-pass", confirmation: "bench-pass")
            } else {
                _ = try await ws.login(nickname: agent.nickname, group: group, password: "bench-pass")
            }
            let queue = try require(boot.settings.registry.services.first { $0.group == group })
            let code = boot.settings.registry.qualificationCodes.first?.code ?? "INFO"
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<calls {
                _ = try await sim.incoming(phone: "+5548" + String(30_000_000 + i), service: queue.name)
                _ = try await ws.answer()
                clock.advance(by: 30)
                _ = try await ws.hangup()
                _ = try await ws.qualify(number: nil, code: code, comment: nil)
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            return ["calls": Double(calls), "ms": ms, "calls_per_second": Double(calls) / (ms / 1000)]
        }
    }
}

/// Unwraps or stops the benchmark with a clear line.
func `require`<T>(_ value: T?) throws -> T {
    guard let value else { throw ValidationError("the registry has no agent, group or service to benchmark with") }
    return value
}
