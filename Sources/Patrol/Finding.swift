package import Foundation

/// How much a finding matters, least first (Pulse's `info`, `watch`, `warning`, `critical`).
package enum FindingSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, watch, warning, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    package static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// What kind of problem a finding is; suppression rules match on it.
package enum FindingCategory: String, Codable, Sendable, CaseIterable {
    case capacity, performance, backup, reliability, security, maintenance
}

/// One problem a detector found on one resource, with its lifecycle (`/api/ai/patrol/findings`).
///
/// The ID is the same in every run for the same detector and resource (``Finding/stableID(detector:key:)``),
/// so a problem that persists is one finding seen again, and one no longer detected is resolved.
package struct Finding: Codable, Sendable, Equatable, Identifiable {
    package var id: String
    /// The detector that raised it (`disk_forecast`, `memory_growth`, …).
    package var detector: String
    package var severity: FindingSeverity
    package var category: FindingCategory
    package var resourceId: String
    package var resourceName: String
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `disk`, `agent`, `instance`.
    package var resourceType: String
    package var node: String
    package var title: String
    package var description: String
    /// What to do about it.
    package var recommendation: String
    /// The numbers behind it, by name (`days_to_full`, `daily_change_pct`, `current_pct`, …).
    package var evidence: [String: Double]
    /// A language model's explanation, when one is configured (`FindingExplainer`).
    package var explanation: String?
    package var detectedAt: Date
    package var lastSeenAt: Date
    package var resolvedAt: Date?
    /// Resolved because the detector no longer found it (not by a user).
    package var autoResolved: Bool
    package var resolveReason: String?
    package var acknowledgedAt: Date?
    /// Hidden from the active list until then.
    package var snoozedUntil: Date?
    package var dismissedAt: Date?
    /// `not_an_issue`, `expected_behavior` or `will_fix_later`.
    package var dismissedReason: String?
    package var userNote: String?
    /// How many runs have detected it since it was first raised.
    package var timesRaised: Int
    /// A suppression rule matches it.
    package var suppressed: Bool

    enum CodingKeys: String, CodingKey {
        case id, detector, severity, category
        case resourceId = "resource_id", resourceName = "resource_name", resourceType = "resource_type", node
        case title, description, recommendation, evidence, explanation
        case detectedAt = "detected_at", lastSeenAt = "last_seen_at", resolvedAt = "resolved_at", autoResolved = "auto_resolved"
        case resolveReason = "resolve_reason", acknowledgedAt = "acknowledged_at", snoozedUntil = "snoozed_until"
        case dismissedAt = "dismissed_at", dismissedReason = "dismissed_reason", userNote = "user_note"
        case timesRaised = "times_raised", suppressed
    }

    /// A new finding from a detection, first seen `now`.
    package init(_ detection: Detection, at now: Date) {
        id = detection.id
        detector = detection.detector
        severity = detection.severity
        category = detection.category
        resourceId = detection.resourceId
        resourceName = detection.resourceName
        resourceType = detection.resourceType
        node = detection.node
        title = detection.title
        description = detection.description
        recommendation = detection.recommendation
        evidence = detection.evidence
        explanation = nil
        detectedAt = now
        lastSeenAt = now
        resolvedAt = nil
        autoResolved = false
        resolveReason = nil
        acknowledgedAt = nil
        snoozedUntil = nil
        dismissedAt = nil
        dismissedReason = nil
        userNote = nil
        timesRaised = 1
        suppressed = false
    }

    /// Neither resolved nor dismissed.
    package var isOpen: Bool { resolvedAt == nil && dismissedAt == nil }

    /// Shown in the active list at `now`: open, not suppressed and not snoozed.
    package func isActive(at now: Date) -> Bool {
        isOpen && !suppressed && !(snoozedUntil.map { $0 > now } ?? false)
    }

    /// The same 16 hex digits for the same detector and resource key in every run.
    package static func stableID(detector: String, key: String) -> String {
        StableHash.hex("\(detector)\u{1F}\(key)")
    }
}
