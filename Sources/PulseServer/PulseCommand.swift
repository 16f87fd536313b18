import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PulseAPI
import PulseSupport

/// `pulse`: the monitoring server. Run without a subcommand it serves; `pulse token …` manages
/// API tokens directly in the data folder (used by `make run` to mint the admin token).
@main
struct PulseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pulse",
        abstract: "Pulse monitoring server: agent reports, Proxmox polling, alerts, REST API and dashboard.",
        version: BuildInfo.version,
        subcommands: [TokenCommand.self, ResetPasswordCommand.self, BenchMetricsCommand.self, BenchDecodeCommand.self])

    @OptionGroup var options: ServerOptions

    func run() async throws {
        var resolved = try options.resolve(environment: ProcessInfo.processInfo.environment)
        let level = resolved.logLevel
        RuntimeLogLevel.shared.level = level
        resolved.runtimeLogLevel = .shared
        let configuration = resolved
        LoggingSystem.bootstrap { label in
            RuntimeLevelLogHandler(stream: StreamLogHandler.standardOutput(label: label))
        }
        let logger = Logger(label: "pulse")
        // Before the server is built: the default connection cap follows the raised limit.
        let files = OpenFileLimit.raiseToHardLimit()
        let maxConnections = configuration.maxConnections ?? ServerConfiguration.defaultMaxConnections(openFileLimit: files.after.soft)
        logger.info(
            "connection limits",
            metadata: [
                "openFiles": .string(files.before.soft == files.after.soft ? "\(files.after.soft)" : "\(files.before.soft) -> \(files.after.soft)"),
                "maxConnections": .stringConvertible(maxConnections), "perAddress": .stringConvertible(configuration.maxConnectionsPerAddress),
                "headerTimeout": .stringConvertible(configuration.headerTimeout), "idleTimeout": .stringConvertible(configuration.idleTimeout),
            ])
        if maxConnections > files.after.soft * 9 / 10 {
            logger.warning("max connections \(maxConnections) leaves too few of the \(files.after.soft) open files for the database and requests")
        }
        if configuration.webSocketOrigins.allowsEveryOrigin {
            logger.warning("ALLOWED_ORIGINS=* lets any web page open /ws with the session of a browser logged in here")
        }
        let app = try await buildApplication(configuration, logger: logger) { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            logger.notice("listening", metadata: ["address": .string(address), "tls": .stringConvertible(configuration.usesTLS)])
        }
        try await app.application.runService()
    }
}
