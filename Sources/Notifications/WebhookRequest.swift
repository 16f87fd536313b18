import Alerting
import Foundation
import PulseCore
import PulseSupport

/// The HTTP request a webhook receives for a notification: each service's body shape, or the
/// admin's template, or Pulse's generic body.
package struct WebhookRequest: Sendable, Equatable {
    package var method: String
    package var headers: [String]
    package var body: [UInt8]

    package static let services = ["discord", "slack", "telegram", "teams", "teams-adaptive", "pagerduty", "pushover", "gotify", "ntfy", "generic"]

    package static func make(for webhook: Webhook, message: NotificationMessage) throws -> WebhookRequest {
        var headers = webhook.headers.map { "\($0.key): \($0.value)" }.sorted()
        let body: [UInt8]
        if let template = webhook.template, !template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let isJSON = template.trimmingCharacters(in: .whitespacesAndNewlines).first.map { "{[".contains($0) } ?? false
            body = Array(GoTemplate.render(template, values: templateValues(message, webhook), jsonEscaped: isJSON).utf8)
            headers.append("Content-Type: \(isJSON ? "application/json" : "text/plain; charset=utf-8")")
        } else if webhook.service == "ntfy" {
            body = Array(message.text.utf8)
            headers += [
                "Content-Type: text/plain; charset=utf-8", "Title: \(headerValue(message.title))",
                "Priority: \(message.isCritical ? "urgent" : message.kind == .resolved ? "default" : "high")",
                "Tags: \(message.kind == .resolved ? "white_check_mark" : message.isCritical ? "rotating_light" : "warning")",
            ]
        } else {
            body = try JSONSerialization.data(
                withJSONObject: jsonBody(for: webhook, message: message), options: [.sortedKeys, .withoutEscapingSlashes]
            ).map { $0 }
            headers.append("Content-Type: application/json")
        }
        return WebhookRequest(method: webhook.method.uppercased(), headers: headers, body: body)
    }

    /// A value from a report (a container or host name in a title) made fit for a header line:
    /// CR, LF and NUL become spaces, so a name cannot end the line and add headers of its own,
    /// nor make the whole delivery fail at `CurlClient`'s check.
    static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { "\r\n\0".unicodeScalars.contains($0) ? " " : $0 }))
    }

    private static func jsonBody(for webhook: Webhook, message: NotificationMessage) throws -> Any {
        let color = message.kind == .resolved ? 0x16a34a : message.isCritical ? 0xdc2626 : 0xd97706
        let fields = webhook.customFields
        switch webhook.service {
        case "discord":
            return ["content": message.title, "embeds": [["title": message.title, "description": message.text, "color": color]]]
        case "slack":
            return [
                "text": "\(message.title)\n\(message.text)",
                "blocks": [
                    ["type": "header", "text": ["type": "plain_text", "text": message.title]],
                    ["type": "section", "text": ["type": "mrkdwn", "text": message.text]],
                ],
            ]
        case "telegram":
            return ["chat_id": fields["chat_id"] ?? "", "text": "\(message.title)\n\(message.text)", "disable_web_page_preview": true]
        case "teams":
            return [
                "@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": message.title,
                "themeColor": String(format: "%06X", color), "title": message.title, "text": message.text,
            ]
        case "teams-adaptive":
            return [
                "type": "message",
                "attachments": [
                    [
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "content": [
                            "type": "AdaptiveCard", "version": "1.4",
                            "body": [
                                ["type": "TextBlock", "text": message.title, "weight": "Bolder", "size": "Medium"],
                                ["type": "TextBlock", "text": message.text, "wrap": true],
                            ],
                        ],
                    ]
                ],
            ]
        case "pagerduty":
            let first = message.alerts.first
            return [
                "routing_key": fields["routing_key"] ?? "", "event_action": message.kind == .resolved ? "resolve" : "trigger",
                "dedup_key": first?.id ?? "pulse",
                "payload": [
                    "summary": message.kind == .grouped ? message.title : (first?.message ?? message.title),
                    "severity": message.isCritical ? "critical" : "warning", "source": first?.node.isEmpty == false ? first!.node : "pulse",
                    "component": first?.resourceName ?? "", "custom_details": ["alerts": message.alerts.map(\.message)],
                ],
            ]
        case "pushover":
            return [
                "token": fields["app_token"] ?? "", "user": fields["user_token"] ?? "", "title": message.title,
                "message": message.text, "priority": message.isCritical ? 1 : 0,
            ]
        case "gotify":
            return ["title": message.title, "message": message.text, "priority": message.isCritical ? 8 : 5]
        default:
            return try genericBody(message)
        }
    }

    /// Pulse's own shapes: one alert, a group, or resolved alerts.
    static func genericBody(_ message: NotificationMessage) throws -> Any {
        let alerts = try message.alerts.map { try JSONSerialization.jsonObject(with: WireJSON.makeEncoder().encode($0)) }
        let timestamp = Int(message.at.timeIntervalSince1970)
        switch message.kind {
        case .grouped:
            return ["alerts": alerts, "count": alerts.count, "timestamp": timestamp, "source": "pulse-monitoring", "grouped": true]
        case .resolved:
            return [
                "event": "resolved", "alerts": alerts, "count": alerts.count, "resolvedAt": timestamp,
                "resolvedAtIso": ISO8601DateFormatter().string(from: message.at), "source": "pulse-monitoring",
            ]
        case .fired, .test:
            return ["alert": alerts.first ?? [:], "timestamp": timestamp, "source": "pulse-monitoring"]
        }
    }

    /// The fields a template may name, from the first alert (and the whole list as text).
    static func templateValues(_ message: NotificationMessage, _ webhook: Webhook) -> [String: String] {
        let alert = message.alerts.first
        var values: [String: String] = [
            "ID": alert?.id ?? "", "Level": alert?.level.rawValue ?? "", "Type": alert?.type ?? "",
            "ResourceName": alert?.resourceName ?? "", "ResourceID": alert?.resourceId ?? "", "Node": alert?.node ?? "",
            "Instance": alert?.instance ?? "", "Message": alert?.message ?? message.text,
            "Value": alert.map { AlertBook.format($0.value) } ?? "", "Threshold": alert.map { AlertBook.format($0.threshold) } ?? "",
            "StartTime": alert.map { ISO8601DateFormatter().string(from: $0.startTime) } ?? "",
            "Duration": alert.map { "\(Int(message.at.timeIntervalSince($0.startTime)))s" } ?? "",
            "Timestamp": ISO8601DateFormatter().string(from: message.at), "Alerts": message.text, "Event": message.kind.rawValue,
        ]
        for (key, value) in webhook.customFields { values["CustomFields.\(key)"] = value }
        return values
    }
}
