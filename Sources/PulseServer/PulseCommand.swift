import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Persistence
import PulseAPI
import PulseSupport
import ServiceLifecycle
import UnixSignals

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
        let restart = ServerRestart()
        resolved.updates.restarter = restart
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
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app.application),
                    .init(service: restart.watch, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if let plan = restart.plan {
            // The server has stopped: finish the update offline, then start the binary now in place.
            do {
                try app.dependencies.database.close()
            } catch {
                logger.warning("the database did not close cleanly: \(error)")
            }
            do {
                try plan.completeAfterShutdown()
            } catch {
                logger.critical("finishing the update offline failed; starting the binary in place anyway: \(error)")
            }
            ServerRestart.handOver(plan, deployment: app.dependencies.updater.settings.deployment, logger: logger)
            throw ExitCode.failure
        }
    }
}
