/// The answers of the agent's health endpoint, apart from any socket:
/// `/healthz` (the process runs), `/readyz` (reports reach the server), `/metrics` (Prometheus text).
struct HealthResponder: Sendable {
    let status: AgentStatus
    let version: String
    let intervalSeconds: Int
    let startedAt: Double

    struct Reply: Equatable {
        let status: Int
        let contentType: String
        let body: String
    }

    /// Ready while a report reached the server within three intervals (at least 60 s).
    var readinessWindow: Double { Double(max(60, 3 * intervalSeconds)) }

    func reply(method: String, path: String) -> Reply {
        guard method == "GET" || method == "HEAD" else { return text(405, "method not allowed\n") }
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/healthz": return text(200, "ok\n")
        case "/readyz": return readiness()
        case "/metrics": return Reply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics())
        default: return text(404, "not found; try /healthz, /readyz or /metrics\n")
        }
    }

    private func readiness() -> Reply {
        let snapshot = status.snapshot
        guard let last = snapshot.lastDeliveryAt else {
            return text(503, "not ready: no report has reached the server yet" + problem(snapshot) + "\n")
        }
        let age = status.now() - last
        guard age <= readinessWindow else {
            return text(503, "not ready: last report reached the server \(Int(age)) s ago" + problem(snapshot) + "\n")
        }
        return text(200, "ready\n")
    }

    private func problem(_ snapshot: AgentStatus.Snapshot) -> String {
        snapshot.lastProblem.map { " (\($0))" } ?? ""
    }

    func metrics() -> String {
        let snapshot = status.snapshot
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ value: String, labels: String = "") {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            lines.append("\(name)\(labels) \(value)")
        }
        metric("pulse_agent_info", "gauge", "The running pulse-agent build.", "1", labels: "{version=\"\(version)\"}")
        metric("pulse_agent_uptime_seconds", "gauge", "Seconds since the agent started.", format(status.now() - startedAt))
        metric("pulse_agent_reports_delivered_total", "counter", "Reports the server accepted.", String(snapshot.reportsDelivered))
        metric(
            "pulse_agent_reports_rejected_total", "counter", "Reports the server refused (4xx); they are not retried.",
            String(snapshot.reportsRejected))
        metric(
            "pulse_agent_delivery_failures_total", "counter", "Delivery attempts that found the server unreachable or failing.",
            String(snapshot.deliveryFailures))
        metric("pulse_agent_collection_failures_total", "counter", "Collections that produced no report.", String(snapshot.collectionFailures))
        metric("pulse_agent_reports_buffered", "gauge", "Reports waiting on disk for the server.", String(snapshot.buffered))
        if let seconds = snapshot.lastCollectionSeconds {
            metric("pulse_agent_collection_duration_seconds", "gauge", "Wall time of the last collection.", format(seconds))
        }
        if let last = snapshot.lastDeliveryAt {
            metric("pulse_agent_last_delivery_age_seconds", "gauge", "Seconds since a report last reached the server.", format(status.now() - last))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func text(_ code: Int, _ body: String) -> Reply {
        Reply(status: code, contentType: "text/plain; charset=utf-8", body: body)
    }

    private func format(_ value: Double) -> String {
        let milli = (value * 1000).rounded() / 1000
        return String(milli)
    }
}
