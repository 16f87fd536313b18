import Foundation

/// How this server was started, as far as can be told from the environment; it decides how the
/// server restarts after an update (`deploymentType` in `/api/version` and the update check).
package enum DeploymentKind: String, Sendable {
    /// A systemd service: the server exits after an update and systemd starts the new binary.
    case systemd
    /// A container: the image is replaced from outside, never the binary inside it.
    case docker
    /// Anything else: the server starts the new binary in its own place (`execv`).
    case manual

    package static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> DeploymentKind {
        if FileManager.default.fileExists(atPath: "/.dockerenv") { return .docker }
        if environment["INVOCATION_ID"] != nil || environment["NOTIFY_SOCKET"] != nil { return .systemd }
        return .manual
    }
}
