import ArgumentParser
import Foundation
import PulseAPI
import PulseSupport

/// The flags of the server's self-update, with Pulse's `PULSE_UPDATE_SERVER` and our own
/// `PULSE_UPDATE_*` variables.
struct UpdateOptions: ParsableArguments {
    @Option(
        name: .customLong("update-server"),
        help: "URL of the release feed (JSON) updates are checked against; none: no update checks. (env: PULSE_UPDATE_SERVER)")
    var server: String?

    @Option(
        name: .customLong("update-public-key"),
        help:
            "Ed25519 key release archives must be signed with: base64 of the 32 raw bytes, or a PEM public key; without it updates are checked but never applied. (env: PULSE_UPDATE_PUBLIC_KEY)"
    )
    var publicKey: String?

    @Option(
        name: .customLong("update-allowed-private-cidrs"),
        help:
            "Private ranges (comma separated CIDRs) the release feed and its archives may be fetched from. (env: PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS)")
    var allowedPrivateCIDRs: String?

    /// The update configuration these flags and `environment` describe; throws naming the
    /// setting that is wrong.
    func resolve(environment: [String: String]) throws -> ServerConfiguration.Updates {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        var updates = ServerConfiguration.Updates()
        if let url = value(server, "PULSE_UPDATE_SERVER") {
            guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https"].contains(scheme), URL(string: url)?.host != nil else {
                throw ValidationError("PULSE_UPDATE_SERVER must be an http(s) URL of the release feed, got '\(url)'")
            }
            updates.feedURL = url
        }
        if let text = value(publicKey, "PULSE_UPDATE_PUBLIC_KEY") {
            // A PEM key in a variable often arrives with its line breaks written as "\n".
            guard let key = ReleaseKey(text: text.replacingOccurrences(of: "\\n", with: "\n")) else {
                throw ValidationError("PULSE_UPDATE_PUBLIC_KEY must be base64 of a 32-byte Ed25519 key or a PEM public key")
            }
            updates.releaseKey = key
        }
        if let text = value(allowedPrivateCIDRs, "PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS") {
            let ranges = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for range in ranges where IPRange(range) == nil {
                throw ValidationError("PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS entry '\(range)' is not a CIDR range")
            }
            updates.allowedPrivateTargets = ranges
        }
        return updates
    }
}

extension ServerConfiguration {
    /// The server's self-update.
    struct Updates: Sendable {
        /// The release feed (`PULSE_UPDATE_SERVER`).
        var feedURL: String?
        /// The key releases are signed with (`PULSE_UPDATE_PUBLIC_KEY`).
        var releaseKey: ReleaseKey?
        /// `PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS`.
        var allowedPrivateTargets: [String] = []
        /// The binary an update replaces: the running one unless set (tests).
        var binaryPath: String?
        /// The version the running binary reports (tests stand in for a newer build).
        var runningVersion = BuildInfo.version
        /// Detected from the environment unless set.
        var deployment: DeploymentKind?
        /// Asked to restart the server once an update or rollback is in place.
        var restarter: any ServerRestarter = ServerRestart()
    }
}
