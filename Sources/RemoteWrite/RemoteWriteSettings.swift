package import CurlHTTP
package import PulseCore

/// Where and how batches are sent, and how much may wait on disk; the operator's configuration
/// (`PULSE_REMOTE_WRITE_*`), never settable through the API.
package struct RemoteWriteSettings: Sendable {
    /// How requests prove who sends them. Printed (or dumped with the settings) it shows only its
    /// kind, never the credentials.
    package enum Authorization: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        case none
        case bearer(token: String)
        case basic(username: String, password: String)

        /// `none`, `bearer` or `basic`, for diagnostics.
        package var kind: String {
            switch self {
            case .none: "none"
            case .bearer: "bearer"
            case .basic: "basic"
            }
        }

        package var description: String { kind }
        package var debugDescription: String { kind }
        package var customMirror: Mirror { Mirror(self, children: [:]) }
    }

    /// The receiver, e.g. `https://vm.example.com/api/v1/write`.
    package var url: String
    package var authorization: Authorization = .none
    /// CA bundle and whether to skip verification.
    package var tls = TLSSettings()
    /// `pulse_instance`'s value on every series this server sends.
    package var instanceName: String
    /// The operator's extra labels, already checked (`RemoteWriteLabels`).
    package var extraLabels: [MetricLabel] = []
    /// The queue on disk is kept within this many bytes by dropping its oldest batches.
    package var queueMaxBytes = 512 * 1024 * 1024
    /// A batch holds at most this many samples.
    package var batchSamples = 5_000
    /// One request's time limit.
    package var timeout: Duration = .seconds(30)

    /// Every property without a default.
    package init(url: String, instanceName: String) {
        self.url = url
        self.instanceName = instanceName
    }

    /// The URL as diagnostics may show it: without user information.
    package var displayURL: String { RemoteWriteURL.withoutUserInformation(url) }
}
