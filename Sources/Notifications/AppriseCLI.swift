import Foundation
import SystemCommand

/// The Apprise command-line program, as the operator chose it (`--apprise-cli`,
/// `PULSE_APPRISE_CLI`) and resolved once at start. The API and configuration imports never
/// choose what runs: a path from a request once reached `/usr/bin/env -S` and ran a shell.
package struct AppriseCLI: Sendable {
    /// What the operator configured (a name or an absolute path), shown to API clients.
    package let configured: String
    /// The absolute path found at start, or nil when there is no such program.
    package let path: String?
    /// The server's `PATH`, so a script's interpreter (`#!/usr/bin/env python3`) is found.
    package let searchPath: String
    /// A slow or stuck Apprise is killed after this long.
    package var timeout: Duration = .seconds(30)
    /// Apprise prints little; more than this is not read.
    static let maximumOutput = 64 * 1024

    package init(configured: String, searchPath: String) {
        self.configured = configured
        self.searchPath = searchPath
        path = Command.find(configured, searchPath: searchPath)
    }

    /// Runs Apprise with the targets in `configFile`: an argv array, no shell, a time limit.
    /// Values are joined to their options (`--title=…`), so a title that starts with `-` is
    /// never read as another option.
    package func notify(configFile: String, type: String, title: String, body: String) async throws {
        guard let path else {
            throw NotificationSender.DeliveryError(description: "apprise CLI '\(configured)' was not found when the server started")
        }
        let result: Command.Result
        do {
            result = try await Command.run(
                path, ["--config=\(configFile)", "--notification-type=\(type)", "--title=\(title)", "--body=\(body)"],
                timeout: timeout, environment: searchPath.isEmpty ? [:] : ["PATH": searchPath], maximumOutput: Self.maximumOutput)
        } catch let failure as Command.Failure {
            throw NotificationSender.DeliveryError(description: "apprise CLI: \(failure.description)")
        }
        guard result.status == 0 else {
            throw NotificationSender.DeliveryError(description: "apprise CLI exited with status \(result.status)")
        }
    }
}
