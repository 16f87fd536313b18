package import AgentProtocol
package import Foundation

/// One occurrence of an alert, from firing to resolution, with what happened to it on the way:
/// Pulse v5.1's incident timeline (`GET /api/alerts/incidents`).
package struct Incident: Codable, Sendable, Equatable {
    package var id: String
    package var alertId: String
    package var alertType: String
    package var level: String
    package var resourceId: String
    package var resourceName: String
    package var resourceType: String?
    package var node: String?
    package var instance: String?
    package var message: String?
    package var status: Status
    package var openedAt: Date
    package var closedAt: Date?
    package var acknowledged: Bool
    package var ackUser: String?
    package var ackTime: Date?
    /// Oldest first.
    package var events: [IncidentEvent]

    package enum Status: String, Codable, Sendable {
        case open, resolved
    }
}

/// One entry of an incident's timeline.
package struct IncidentEvent: Codable, Sendable, Equatable {
    package var id: String
    package var type: Kind
    package var timestamp: Date
    package var summary: String
    /// `type`, `level`, `value`, `threshold` when fired; `user` for acknowledgements and notes;
    /// `note` (the user's text, stored as given); `resolved_at`.
    package var details: [String: JSONValue]?

    package enum Kind: String, Codable, Sendable {
        case alertFired = "alert_fired"
        case alertAcknowledged = "alert_acknowledged"
        case alertUnacknowledged = "alert_unacknowledged"
        case alertResolved = "alert_resolved"
        case note
    }
}
