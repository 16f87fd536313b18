package import CurlHTTP

/// How Pulse reaches a Prometheus-compatible engine (Prometheus, VictoriaMetrics, a Mimir or
/// Thanos query frontend) for history: operator configuration only, never set through the API.
package struct HistoryEngineSettings: Sendable {
    /// The engine's base URL; `/api/v1/query_range` is appended.
    package var url: String
    /// Bearer token or basic credentials; printed it shows only its kind.
    package var authorization: RequestAuthorization = .none
    /// The CA bundle the engine's certificate must chain to (nil: the system's), or none
    /// checked at all (a lab engine with a self-signed one).
    package var tls = TLSSettings()
    /// The longest a query may take before the local store answers instead.
    package var timeout: Duration = .seconds(5)
    /// This server's `pulse_instance` label value: every query selects only its series.
    package var instanceName: String

    /// Every stored property without a default, in declaration order.
    package init(url: String, instanceName: String) {
        self.url = url
        self.instanceName = instanceName
    }
}
