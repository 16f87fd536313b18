package import Foundation
import Hummingbird
package import Persistence
package import PulseSupport

/// `GET /api/health` and `GET /api/version`: public, cheap, for load balancers and clients.
package struct HealthRoutes {
    package let database: PulseDatabase
    package let time: any TimeSource
    package let startedAt: Date

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
            let deployment = DeploymentKind.detect()
            return JSONResponse(
                Version(
                    version: BuildInfo.version, build: BuildInfo.build, buildTime: BuildInfo.buildTime,
                    runtime: BuildInfo.runtime, swiftVersion: BuildInfo.swiftVersion, channel: "stable",
                    deploymentType: deployment.rawValue, isDocker: deployment == .docker,
                    isDevelopment: BuildInfo.build == "debug", updateAvailable: false,
                    latestVersion: BuildInfo.version))
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase, time: any TimeSource, startedAt: Date) {
        self.database = database
        self.time = time
        self.startedAt = startedAt
    }
}

/// How this server was started, as far as can be told from the environment.
package enum DeploymentKind: String {
    case systemd, docker, manual

    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> DeploymentKind {
        if FileManager.default.fileExists(atPath: "/.dockerenv") { return .docker }
        if environment["INVOCATION_ID"] != nil { return .systemd }
        return .manual
    }
}
