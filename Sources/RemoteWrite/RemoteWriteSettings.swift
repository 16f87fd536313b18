package import CurlHTTP
package import PulseCore

/// Where and how batches are sent, and how much may wait on disk; the operator's configuration
/// (`PULSE_REMOTE_WRITE_*`), never settable through the API.
package struct RemoteWriteSettings: Sendable {
    /// The receiver, e.g. `https://vm.example.com/api/v1/write`.
    package var url: String
    /// Bearer token or basic credentials; printed it shows only its kind.
    package var authorization: RequestAuthorization = .none
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
