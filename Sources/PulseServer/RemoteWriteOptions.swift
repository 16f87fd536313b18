import ArgumentParser
import CurlHTTP
import Foundation
import PulseCore
import RemoteWrite

/// The flags of Prometheus remote write (`PULSE_REMOTE_WRITE_*`; the `pulse_instance` label is
/// the server's `PULSE_INSTANCE_NAME`).
///
/// Credentials are given as files (`--remote-write-bearer-token-file`, `--remote-write-password-file`)
/// or, for the token, as the `PULSE_REMOTE_WRITE_BEARER_TOKEN` variable: never as a flag, which
/// every user could read in the process list.
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
        guard let url = value(url, "PULSE_REMOTE_WRITE_URL") else { return nil }
        if let problem = RemoteWriteURL.problem(url) { throw ValidationError("PULSE_REMOTE_WRITE_URL \(problem), got '\(url)'") }
        var settings = RemoteWriteSettings(url: url, instanceName: instance)
        settings.authorization = try authorization(environment: environment)
        settings.tls.caCertificateFile = value(caFile, "PULSE_REMOTE_WRITE_CA_FILE")
        if let path = settings.tls.caCertificateFile, !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("PULSE_REMOTE_WRITE_CA_FILE: cannot read \(path)")
        }
        if let text = value(insecureSkipVerify, "PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY") {
            switch text.lowercased() {
            case "true", "1", "yes": settings.tls.insecure = true
            case "false", "0", "no": settings.tls.insecure = false
            default: throw ValidationError("PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY must be true or false, got '\(text)'")
            }
        }
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

    private func authorization(environment: [String: String]) throws -> RemoteWriteSettings.Authorization {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        let token: String?
        if let path = value(bearerTokenFile, "PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE") {
            token = try Self.readPrivateFile(path, setting: "PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE")
        } else {
            token = environment["PULSE_REMOTE_WRITE_BEARER_TOKEN"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let username = value(username, "PULSE_REMOTE_WRITE_USERNAME")
        let password = try value(passwordFile, "PULSE_REMOTE_WRITE_PASSWORD_FILE").map {
            try Self.readPrivateFile($0, setting: "PULSE_REMOTE_WRITE_PASSWORD_FILE")
        }
        for (secret, setting) in [
            (token, "PULSE_REMOTE_WRITE_BEARER_TOKEN"), (username, "PULSE_REMOTE_WRITE_USERNAME"), (password, "PULSE_REMOTE_WRITE_PASSWORD_FILE"),
        ] {
            if let secret, Self.hasControlCharacter(secret) {
                throw ValidationError("\(setting) must not contain line breaks or other control characters")
            }
        }
        switch (token, username, password) {
        case (nil, nil, nil): return .none
        case (let token?, nil, nil): return .bearer(token: token)
        case (nil, let username?, let password?):
            guard !username.contains(":") else { throw ValidationError("PULSE_REMOTE_WRITE_USERNAME must not contain ':'") }
            return .basic(username: username, password: password)
        case (nil, _, _):
            throw ValidationError("PULSE_REMOTE_WRITE_USERNAME and PULSE_REMOTE_WRITE_PASSWORD_FILE must be set together")
        default:
            throw ValidationError("PULSE_REMOTE_WRITE_BEARER_TOKEN(_FILE) and basic authentication (PULSE_REMOTE_WRITE_USERNAME) exclude each other")
        }
    }

    /// A secret file's content, trimmed; refused when others than its owner may read it.
    static func readPrivateFile(_ path: String, setting: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ValidationError("\(setting): cannot read \(path): \(error.localizedDescription)")
        }
        guard let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0 else {
            throw ValidationError("\(setting): \(path) may be read by others than its owner; make it mode 0600")
        }
        let text = try ServerOptions.readSecretFile(path)
        guard !text.isEmpty else { throw ValidationError("\(setting): \(path) is empty") }
        return text
    }

    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
