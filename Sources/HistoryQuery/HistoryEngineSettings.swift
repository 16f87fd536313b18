/// How Pulse reaches a Prometheus-compatible engine (Prometheus, VictoriaMetrics, a Mimir or
/// Thanos query frontend) for history: operator configuration only, never set through the API.
package struct HistoryEngineSettings: Sendable {
    /// The engine's base URL; `/api/v1/query_range` is appended.
    package var url: String
    package var credentials: Credentials = .none
    /// A PEM bundle of the CAs the engine's certificate must chain to; nil: the system's.
    package var caFile: String?
    /// Accept any certificate (a lab engine with a self-signed one).
    package var insecureSkipVerify = false
    /// The longest a query may take before the local store answers instead.
    package var timeout: Duration = .seconds(5)
    /// This server's `pulse_instance` label value: every query selects only its series.
    package var instanceName: String

    /// How requests authenticate. Its description never shows the secret.
    package enum Credentials: Sendable, Equatable, CustomStringConvertible {
        case none
        case bearer(String)
        case basic(username: String, password: String)

        package var description: String {
            switch self {
            case .none: "none"
            case .bearer: "bearer token"
            case .basic(let username, _): "basic auth as \(username)"
            }
        }
    }

    /// Every stored property without a default, in declaration order.
    package init(url: String, instanceName: String) {
        self.url = url
        self.instanceName = instanceName
    }
}
