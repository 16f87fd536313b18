package import Foundation

/// `GET /api/ai/patrol/status`: whether patrol runs, when it ran and will run, what it found, and
/// its detectors with their thresholds. This build gates nothing: `license_required` is false.
package struct PatrolStatus: Encodable, Sendable {
    package struct Summary: Encodable, Sendable {
        package var critical = 0
        package var warning = 0
        package var watch = 0
        package var info = 0
    }

    package struct DetectorRule: Encodable, Sendable {
        package var name: String
        package var rule: String
    }

    package var running: Bool
    package var currentRunId: String?
    package var currentRunStartedAt: Date?
    /// Scheduled runs are on.
    package var enabled: Bool
    package var lastPatrolAt: Date?
    package var nextPatrolAt: Date?
    package var lastDurationMs: Int64
    package var resourcesChecked: Int
    package var findingsCount: Int
    /// Failed runs among the kept ones.
    package var errorCount: Int
    package var healthy: Bool
    package var intervalMs: Int64
    /// A model explains new findings.
    package var explanations: Bool
    /// New warning-or-worse findings go to the notification channels.
    package var notifications: Bool
    package var detectors: [DetectorRule]
    package var licenseRequired = false
    package var licenseStatus = "not_required"
    package var summary = Summary()

    enum CodingKeys: String, CodingKey {
        case running, currentRunId = "current_run_id", currentRunStartedAt = "current_run_started_at", enabled
        case lastPatrolAt = "last_patrol_at", nextPatrolAt = "next_patrol_at", lastDurationMs = "last_duration_ms"
        case resourcesChecked = "resources_checked", findingsCount = "findings_count", errorCount = "error_count", healthy
        case intervalMs = "interval_ms", explanations = "explanations_enabled", notifications = "notifications_enabled", detectors
        case licenseRequired = "license_required", licenseStatus = "license_status", summary
    }
}
