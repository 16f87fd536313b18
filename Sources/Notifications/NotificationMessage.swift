package import Foundation
package import PulseCore

/// What one notification says: one alert, a group of alerts, resolved alerts, or a test.
package struct NotificationMessage: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable {
        case fired, grouped, resolved, test
    }

    package var kind: Kind
    package var alerts: [Alert]
    package var at: Date

    /// Every stored property, in declaration order (for the modules that build this value: patrol's findings).
    package init(kind: Kind, alerts: [Alert], at: Date) {
        self.kind = kind
        self.alerts = alerts
        self.at = at
    }

    var title: String {
        switch kind {
        case .fired: "Pulse \(alerts.first?.level.rawValue ?? "alert"): \(alerts.first?.resourceName ?? "")"
        case .grouped: "Pulse: \(alerts.count) alerts"
        case .resolved: alerts.count == 1 ? "Pulse resolved: \(alerts[0].resourceName)" : "Pulse: \(alerts.count) alerts resolved"
        case .test: "Pulse test notification"
        }
    }

    package var text: String {
        switch kind {
        case .test: "This is a test notification from Pulse."
        case .resolved: alerts.map { "Resolved: \($0.message)" }.joined(separator: "\n")
        default: alerts.map { "[\($0.level.rawValue.uppercased())] \($0.message)" }.joined(separator: "\n")
        }
    }

    var isCritical: Bool { alerts.contains { $0.level == .critical } && kind != .resolved }

    /// A made-up alert for test notifications.
    package static func test(at now: Date) -> NotificationMessage {
        let alert = Alert(
            id: "test-alert", type: "test", level: .warning, resourceId: "test", resourceName: "Test resource", node: "", instance: "",
            message: "This is a test notification from Pulse", value: 0, threshold: 0, startTime: now, lastSeen: now, acknowledged: false)
        return NotificationMessage(kind: .test, alerts: [alert], at: now)
    }
}
