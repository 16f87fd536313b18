package import Foundation
import Hummingbird
package import Persistence
package import PulseSupport

/// `GET /api/health` and `GET /api/version`: public, cheap, for load balancers and clients.
package struct HealthRoutes {
    package let database: PulseDatabase
    package let time: any TimeSource
    package let startedAt: Date
    /// Its last check says whether an update is available; its settings how this server runs.
    package let updater: ServerUpdater

    package struct Health: Encodable, Sendable {
        package let status: String
        /// Unix seconds.
        package let timestamp: Int64
        /// Seconds since the server started.
        package let uptime: Double
        package let database: String
    }

    package struct Version: Encodable, Sendable {
        package let version: String
        package let build: String
        package let buildTime: String?
        package let runtime: String
        package let swiftVersion: String
        package let channel: String
        let deploymentType: String
        let isDocker: Bool
        let isDevelopment: Bool
        let updateAvailable: Bool
        let latestVersion: String
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/health", access: .open) { _, _ in
            let now = time.now()
            let databaseReachable = database.isReachable
            let health = Health(
                status: databaseReachable ? "healthy" : "degraded",
                timestamp: Int64(now.timeIntervalSince1970),
                uptime: (now.timeIntervalSince(startedAt) * 1000).rounded() / 1000,
                database: databaseReachable ? "ok" : "unreachable")
            return JSONResponse(health, status: databaseReachable ? .ok : .serviceUnavailable)
        }

        routes.get("/api/version", access: .open) { _, _ in
            let deployment = updater.settings.deployment
            let lastCheck = await updater.lastCheck
            return JSONResponse(
                Version(
                    version: updater.settings.runningVersion, build: BuildInfo.build, buildTime: BuildInfo.buildTime,
                    runtime: BuildInfo.runtime, swiftVersion: BuildInfo.swiftVersion, channel: updater.defaultChannel().rawValue,
                    deploymentType: deployment.rawValue, isDocker: deployment == .docker,
                    isDevelopment: BuildInfo.build == "debug", updateAvailable: lastCheck?.available ?? false,
                    latestVersion: lastCheck?.latestVersion ?? updater.settings.runningVersion))
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase, time: any TimeSource, startedAt: Date, updater: ServerUpdater) {
        self.database = database
        self.time = time
        self.startedAt = startedAt
        self.updater = updater
    }
}
