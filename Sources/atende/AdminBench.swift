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
        @Argument(help: "search, reports or calls.") var what: String
        @Option(help: "search: a file of queries, one per line.") var queries: String?
        @Option(help: "calls: how many simulated calls.") var calls = 10_000

        func run() async throws {
            let boot = try Bootstrap(common)
            let result: [String: Double]
            switch what {
            case "search": result = try search(boot)
            case "reports": result = try reports(boot)
            case "calls": result = try await simulatedCalls(boot)
            default: throw ValidationError("use search, reports or calls")
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
            var hits = 0
            for q in lines {
                times.append(try Self.milliseconds { hits += try boot.store.search.search(q).count })
            }
            return ["queries": Double(lines.count), "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99),
                    "hits": Double(hits)]
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
