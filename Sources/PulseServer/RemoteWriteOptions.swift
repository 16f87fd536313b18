import ArgumentParser
import Foundation
import PulseCore
import RemoteWrite

/// The flags of Prometheus remote write (`PULSE_REMOTE_WRITE_*`; the `pulse_instance` label is
/// the server's `PULSE_INSTANCE_NAME`).
///
/// The URL, credentials and TLS settings are read as `EngineEndpoint` reads the history engine's.
struct RemoteWriteOptions: ParsableArguments {
    @Option(
        name: .customLong("remote-write-url"),
        help:
            "Prometheus remote write receiver (e.g. http://victoria:8428/api/v1/write): every metrics sample is also sent there. Operator configuration only (not settable through the API), so private and loopback addresses are allowed. (env: PULSE_REMOTE_WRITE_URL; default: off)"
    )
    var url: String?

    @Option(
        name: .customLong("remote-write-bearer-token-file"),
        help:
            "File (mode 0600) holding the bearer token sent to the receiver. (env: PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE; PULSE_REMOTE_WRITE_BEARER_TOKEN holds the value itself)"
    )
    var bearerTokenFile: String?

    @Option(
        name: .customLong("remote-write-username"),
        help: "Username for basic authentication at the receiver, with --remote-write-password-file. (env: PULSE_REMOTE_WRITE_USERNAME)")
    var username: String?

    @Option(
        name: .customLong("remote-write-password-file"),
        help: "File (mode 0600) holding the basic authentication password. (env: PULSE_REMOTE_WRITE_PASSWORD_FILE)")
    var passwordFile: String?

    @Option(
        name: .customLong("remote-write-ca-file"),
        help: "PEM CA bundle to verify the receiver's certificate with instead of the system's. (env: PULSE_REMOTE_WRITE_CA_FILE)")
    var caFile: String?

    @Option(
        name: .customLong("remote-write-insecure-skip-verify"),
        help: "true: do not verify the receiver's TLS certificate. (env: PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY; default false)")
    var insecureSkipVerify: String?

    @Option(
        name: .customLong("remote-write-labels"),
        help:
            "Extra labels on every sent series, name=value separated by commas; a series' own label of the same name wins. (env: PULSE_REMOTE_WRITE_LABELS)"
    )
    var labels: String?

    @Option(
        name: .customLong("remote-write-queue-max-bytes"),
        help:
            "Bytes of unsent batches kept on disk (<data-dir>/remote-write) while the receiver is unreachable; beyond them the oldest are dropped. (env: PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES; default 536870912, 512 MiB)"
    )
    var queueMaxBytes: Int?

    @Option(
        name: .customLong("remote-write-batch-samples"),
        help: "Samples sent in one request at most. (env: PULSE_REMOTE_WRITE_BATCH_SAMPLES; default 5000)")
    var batchSamples: Int?

    static let minimumQueueBytes = 1024 * 1024
    static let batchSampleRange = 1...100_000

    /// The remote write configuration, nil when no URL is set; throws naming the setting that is wrong.
    /// `instanceName` is the server's `PULSE_INSTANCE_NAME` (checked by `ServerOptions`).
    func resolve(environment: [String: String], instanceName instance: String) throws -> RemoteWriteSettings? {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        let flags = EngineEndpoint.Flags(
            url: url, bearerTokenFile: bearerTokenFile, username: username, passwordFile: passwordFile, caFile: caFile,
            insecureSkipVerify: insecureSkipVerify)
        guard let endpoint = try EngineEndpoint.resolve("PULSE_REMOTE_WRITE", flags: flags, environment: environment) else { return nil }
        var settings = RemoteWriteSettings(url: endpoint.url, instanceName: instance)
        settings.authorization = endpoint.authorization
        settings.tls = endpoint.tls
        if let text = value(labels, "PULSE_REMOTE_WRITE_LABELS") {
            do {
                settings.extraLabels = try RemoteWriteLabels.parse(text)
            } catch {
                throw ValidationError("PULSE_REMOTE_WRITE_LABELS: \(error)")
            }
        }
        if let text = value(queueMaxBytes.map { String($0) }, "PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES") {
            guard let bytes = Int(text), bytes >= Self.minimumQueueBytes else {
                throw ValidationError(
                    "PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES must be a number of bytes of at least \(Self.minimumQueueBytes), got '\(text)'")
            }
            settings.queueMaxBytes = bytes
        }
        if let text = value(batchSamples.map { String($0) }, "PULSE_REMOTE_WRITE_BATCH_SAMPLES") {
            guard let count = Int(text), Self.batchSampleRange.contains(count) else {
                throw ValidationError(
                    "PULSE_REMOTE_WRITE_BATCH_SAMPLES must be a whole number from \(Self.batchSampleRange.lowerBound) to \(Self.batchSampleRange.upperBound), got '\(text)'"
                )
            }
            settings.batchSamples = count
        }
        return settings
    }
}
