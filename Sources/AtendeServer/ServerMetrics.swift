import Prometheus
import Synchronization

/// What `GET /metrics` shows, in Prometheus text: sessions, calls offered / answered / abandoned,
/// queue depth per group, and the latency from an event's publication to its write on a socket.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let sessions: Gauge
    let offered: Counter
    let answered: Counter
    let abandoned: Counter
    let logins: Counter
    let loginFailures: Counter
    let eventLatency: DurationHistogram
    private let queueDepth: Mutex<[String: Gauge]> = Mutex([:])
    /// When each recent batch was published, by its sequence number (the newest 8,192).
    private let published: Mutex<(times: [UInt64: ContinuousClock.Instant], order: [UInt64])> = Mutex(([:], []))

    init() {
        sessions = registry.makeGauge(name: "atende_sessions", help: "WebSocket sessions of workstations and monitors open now.")
        offered = registry.makeCounter(name: "atende_calls_offered_total", help: "Customer calls that entered a queue.")
        answered = registry.makeCounter(name: "atende_calls_answered_total", help: "Queue calls answered by an agent.")
        abandoned = registry.makeCounter(name: "atende_calls_abandoned_total", help: "Callers who gave up, in queue or ringing.")
        logins = registry.makeCounter(name: "atende_logins_total", help: "Successful logins.")
        loginFailures = registry.makeCounter(name: "atende_login_failures_total", help: "Refused logins (wrong password, locked).")
        eventLatency = registry.makeDurationHistogram(
            name: "atende_event_latency_seconds",
            buckets: [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
                .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)],
            help: "From a switch event's publication to its write on a session's socket.")
    }

    func setQueueDepth(_ group: String, _ waiting: Int) {
        let gauge = queueDepth.withLock { gauges in
            if let g = gauges[group] { return g }
            let g = registry.makeGauge(
                name: "atende_queue_waiting", labels: [("group", group)], help: "Callers waiting in a group's queue.")
            gauges[group] = g
            return g
        }
        gauge.set(Double(waiting))
    }

    func published(through sequence: UInt64) {
        let now = ContinuousClock.now
        published.withLock { state in
            state.times[sequence] = now
            state.order.append(sequence)
            if state.order.count > 8192 {
                let old = state.order.prefix(state.order.count - 8192)
                for s in old { state.times[s] = nil }
                state.order.removeFirst(old.count)
            }
        }
    }

    func delivered(through sequence: UInt64) {
        guard let at = published.withLock({ $0.times[sequence] }) else { return }
        eventLatency.recordNanoseconds(Int64((ContinuousClock.now - at).nanoseconds))
    }

    func text() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, a) = components
        return s * 1_000_000_000 + a / 1_000_000_000
    }
}
