import AgentProtocol
import Foundation

/// How serious an alert is: `critical` once the value reaches the trigger plus 10.
enum AlertLevel: String, Codable, Sendable, Comparable {
    case warning
    case critical

    static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool { lhs == .warning && rhs == .critical }
}

/// One alert, in Pulse's JSON shape (`activeAlerts` of `/api/state`, `/api/alerts/*`, and the
/// `alert` object of webhook bodies). Times are RFC 3339, as Pulse's raw models are.
struct Alert: Codable, Sendable, Equatable, Identifiable {
    /// `<resourceId>-<metric>`, `<kind>-offline-<id>`, `docker-container-<rule>-docker:<host>/<ctr>`,
    /// `host-<id>-raid-<md>`, …: stable, so the same condition always has the same ID.
    var id: String
    /// The metric or rule: `cpu`, `memory`, `disk`, `usage`, `temperature`, `offline`, `raid`, …
    var type: String
    var level: AlertLevel
    var resourceId: String
    var resourceName: String
    var node: String
    var instance: String
    var message: String
    var value: Double
    var threshold: Double
    var startTime: Date
    var lastSeen: Date
    var acknowledged: Bool
    var ackTime: Date?
    var ackUser: String?
    var metadata: AlertMetadata?
    var lastNotified: Date?
}

/// Context for user interfaces and notifications.
struct AlertMetadata: Codable, Sendable, Equatable {
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `pbs`, `pmg`,
    /// `kubernetesCluster`, `disk`.
    var resourceType: String
    /// The value at or below which the alert clears (hysteresis).
    var clearThreshold: Double?
    /// Free-form details of rule-based alerts (container state, RAID state, SMART attribute, …).
    var details: [String: String]?
}

/// An alert that has ended, kept in the history: the alert's fields plus `resolvedTime`.
struct ResolvedAlert: Codable, Sendable, Equatable {
    var alert: Alert
    var resolvedTime: Date

    init(alert: Alert, resolvedTime: Date) {
        self.alert = alert
        self.resolvedTime = resolvedTime
    }

    private enum CodingKeys: String, CodingKey { case resolvedTime }

    init(from decoder: any Decoder) throws {
        alert = try Alert(from: decoder)
        resolvedTime = try decoder.container(keyedBy: CodingKeys.self).decode(Date.self, forKey: .resolvedTime)
    }

    func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolvedTime, forKey: .resolvedTime)
    }
}

/// What the alert engine reports after an evaluation: the input of notifications.
enum AlertEvent: Sendable, Equatable {
    /// A new alert, or one whose level rose to critical.
    case fired(Alert)
    case resolved(Alert, at: Date)
}
