import AgentProtocol
import Hummingbird
import NIOCore
package import PulseCore

/// `GET /metrics`: the monitored data in Prometheus's text format (Pulse v5 has no such endpoint).
package struct PrometheusRoutes {
    package let state: MonitoringState
    package let access: Access
    /// Remote write's figures, appended after the monitored data; nil when it is off.
    package let remoteWrite: @Sendable () async -> RemoteWriteStatistics?
    /// The history engine's fallbacks, counted beside the monitored data.
    package let historyFallbacks: HistoryFallbacks?

    /// Who may read `/metrics` (`PULSE_METRICS_ACCESS`).
    package enum Access: String, Sendable {
        /// A token with `monitoring:read` (Prometheus sends it as a bearer token).
        case token
        /// Anyone who can reach the port: for scrapers on a trusted network.
        case open
    }

    package init(
        state: MonitoringState, access: Access, remoteWrite: @escaping @Sendable () async -> RemoteWriteStatistics? = { nil },
        historyFallbacks: HistoryFallbacks? = nil
    ) {
        self.state = state
        self.access = access
        self.remoteWrite = remoteWrite
        self.historyFallbacks = historyFallbacks
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/metrics", access: access == .open ? .open : .scope(.monitoringRead)) { _, _ in
            var families = await state.snapshot().expositionFamilies()
            if let statistics = await remoteWrite() { families += statistics.expositionFamilies() }
            let text = PrometheusText.render(families) + (historyFallbacks?.exposition() ?? "")
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
