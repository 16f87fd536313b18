package import Foundation

/// One patrol run: when, why, how long, and what changed (`/api/ai/patrol/runs`).
package struct PatrolRun: Codable, Sendable, Equatable, Identifiable {
    package enum Trigger: String, Codable, Sendable {
        case scheduled, manual
    }

    package enum Status: String, Codable, Sendable {
        case running, completed, failed
    }

    package var id: String
    package var trigger: Trigger
    package var status: Status
    package var startedAt: Date
    package var completedAt: Date?
    package var durationMs: Int64
    package var resourcesChecked: Int
    /// Active findings after the run.
    package var findingsCount: Int
    /// Findings raised (or raised again) by this run.
    package var newFindings: Int
    /// Findings this run no longer detected.
    package var resolvedFindings: Int
    /// The IDs of the new findings.
    package var findingIds: [String]
    /// Why the run failed, when it did.
    package var error: String?

    enum CodingKeys: String, CodingKey {
        case id, trigger, status, startedAt = "started_at", completedAt = "completed_at", durationMs = "duration_ms"
        case resourcesChecked = "resources_checked", findingsCount = "findings_count", newFindings = "new_findings"
        case resolvedFindings = "resolved_findings", findingIds = "finding_ids", error
    }

    package init(id: String, trigger: Trigger, startedAt: Date) {
        self.id = id
        self.trigger = trigger
        status = .running
        self.startedAt = startedAt
        completedAt = nil
        durationMs = 0
        resourcesChecked = 0
        findingsCount = 0
        newFindings = 0
        resolvedFindings = 0
        findingIds = []
        error = nil
    }
}
