import AgentProtocol
package import Foundation

/// How serious an alert is: `critical` once the value reaches the trigger plus 10.
package enum AlertLevel: String, Codable, Sendable, Comparable {
    case warning
    case critical

    package static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool { lhs == .warning && rhs == .critical }
}

/// One alert, in Pulse's JSON shape (`activeAlerts` of `/api/state`, `/api/alerts/*`, and the
/// `alert` object of webhook bodies). Times are RFC 3339, as Pulse's raw models are.
package struct Alert: Codable, Sendable, Equatable, Identifiable {
    /// `<resourceId>-<metric>`, `<kind>-offline-<id>`, `docker-container-<rule>-docker:<host>/<ctr>`,
    /// `host-<id>-raid-<md>`, …: stable, so the same condition always has the same ID.
    package var id: String
    /// The metric or rule: `cpu`, `memory`, `disk`, `usage`, `temperature`, `offline`, `raid`, …
    package var type: String
    package var level: AlertLevel
    package var resourceId: String
    package var resourceName: String
    package var node: String
    package var instance: String
    package var message: String
    package var value: Double
    package var threshold: Double
    package var startTime: Date
    package var lastSeen: Date
    package var acknowledged: Bool
    package var ackTime: Date?
    package var ackUser: String?
    package var metadata: AlertMetadata?
    package var lastNotified: Date?

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        id: String, type: String, level: AlertLevel, resourceId: String, resourceName: String, node: String, instance: String, message: String,
        value: Double, threshold: Double, startTime: Date, lastSeen: Date, acknowledged: Bool, ackTime: Date? = nil, ackUser: String? = nil,
        metadata: AlertMetadata? = nil, lastNotified: Date? = nil
    ) {
        self.id = id
        self.type = type
        self.level = level
        self.resourceId = resourceId
        self.resourceName = resourceName
        self.node = node
        self.instance = instance
        self.message = message
        self.value = value
        self.threshold = threshold
        self.startTime = startTime
        self.lastSeen = lastSeen
        self.acknowledged = acknowledged
        self.ackTime = ackTime
        self.ackUser = ackUser
        self.metadata = metadata
        self.lastNotified = lastNotified
    }
}

/// Context for user interfaces and notifications.
package struct AlertMetadata: Codable, Sendable, Equatable {
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `pbs`, `pmg`,
    /// `kubernetesCluster`, `disk`.
    package var resourceType: String
    /// The value at or below which the alert clears (hysteresis).
    package var clearThreshold: Double?
    /// Free-form details of rule-based alerts (container state, RAID state, SMART attribute, …).
    package var details: [String: String]?

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(resourceType: String, clearThreshold: Double? = nil, details: [String: String]? = nil) {
        self.resourceType = resourceType
        self.clearThreshold = clearThreshold
        self.details = details
    }
}

/// An alert that has ended, kept in the history: the alert's fields plus `resolvedTime`.
package struct ResolvedAlert: Codable, Sendable, Equatable {
    package var alert: Alert
    package var resolvedTime: Date

    package init(alert: Alert, resolvedTime: Date) {
        self.alert = alert
        self.resolvedTime = resolvedTime
    }

    private enum CodingKeys: String, CodingKey { case resolvedTime }

    package init(from decoder: any Decoder) throws {
        alert = try Alert(from: decoder)
        resolvedTime = try decoder.container(keyedBy: CodingKeys.self).decode(Date.self, forKey: .resolvedTime)
    }

    package func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolvedTime, forKey: .resolvedTime)
    }
}

/// What the alert engine reports after an evaluation: the input of notifications.
package enum AlertEvent: Sendable, Equatable {
    /// A new alert, or one whose level rose to critical.
    case fired(Alert)
    case resolved(Alert, at: Date)
}
