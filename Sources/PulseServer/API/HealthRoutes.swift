import Foundation
import Hummingbird

/// `GET /api/health` and `GET /api/version`: public, cheap, for load balancers and clients.
struct HealthRoutes {
    let database: PulseDatabase
    let time: any TimeSource
    let startedAt: Date

    struct Health: Encodable, Sendable {
        let status: String
        /// Unix seconds.
        let timestamp: Int64
        /// Seconds since the server started.
        let uptime: Double
        let database: String
    }

    struct Version: Encodable, Sendable {
        let version: String
        let build: String
        let buildTime: String?
        let runtime: String
        let swiftVersion: String
        let channel: String
        let deploymentType: String
        let isDocker: Bool
        let isDevelopment: Bool
        let updateAvailable: Bool
        let latestVersion: String
    }

    func register(on routes: ScopedRouter) {
        routes.get("/api/health", access: .open) { _, _ in
            let now = time.now()
            let databaseReachable = (try? database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) != nil
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
}

/// How this server was started, as far as can be told from the environment.
enum DeploymentKind: String {
    case systemd, docker, manual

    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> DeploymentKind {
        if FileManager.default.fileExists(atPath: "/.dockerenv") { return .docker }
        if environment["INVOCATION_ID"] != nil { return .systemd }
        return .manual
    }
}
