import Foundation
package import Persistence
package import PulseSupport

/// Email delivery settings (`/api/notifications/email`).
package struct EmailConfig: Codable, Sendable, Equatable {
    package var enabled = false
    package var provider = ""
    package var server = ""
    package var port = 587
    package var username = ""
    package var password = ""
    package var from = ""
    package var to: [String] = []
    /// Implicit TLS (`smtps://`, usually port 465).
    package var tls = false
    /// STARTTLS on a plain connection (usually port 587).
    package var startTLS = true
}

/// Apprise delivery (`/api/notifications/apprise`): the `apprise` CLI, or an Apprise API server.
package struct AppriseConfig: Codable, Sendable, Equatable {
    package var enabled = false
    /// `cli` or `http`.
    package var mode = "cli"
    /// Apprise URLs (they hold the services' secrets).
    package var targets: [String] = []
    var serverUrl = ""
    var configKey = ""
    var apiKeyHeader = "X-API-KEY"
    package var apiKey = ""
    var skipTLSVerify = false
    var timeoutSeconds = 15
}

/// A webhook destination (`/api/notifications/webhooks`).
package struct Webhook: Codable, Sendable, Equatable, Identifiable {
    package var id: String
    package var name: String
    package var url: String
    package var method = "POST"
    package var headers: [String: String] = [:]
    package var enabled = true
    /// `discord`, `slack`, `telegram`, `teams`, `teams-adaptive`, `pagerduty`, `pushover`,
    /// `gotify`, `ntfy` or `generic`.
    package var service = "generic"
    /// A Go-template body (`{{.Level}}: {{.Message}}`); the preset's body when empty.
    package var template: String?
    /// Preset fields such as pushover's `app_token`/`user_token` or telegram's `chat_id`.
    package var customFields: [String: String] = [:]

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        id: String, name: String, url: String, method: String = "POST", headers: [String: String] = [:], enabled: Bool = true,
        service: String = "generic", template: String? = nil, customFields: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.url = url
        self.method = method
        self.headers = headers
        self.enabled = enabled
        self.service = service
        self.template = template
        self.customFields = customFields
    }
}

/// How notifications are spread out, and which private targets the admin allows.
package struct NotificationSettings: Codable, Sendable, Equatable {
    /// CIDRs webhook and Apprise URLs may resolve to although private (e.g. `10.0.0.0/8` for an
    /// internal chat server). Empty: only public addresses.
    package var allowedPrivateTargets: [String] = []
}

/// Everything the notification settings hold; stored sealed (URLs and headers carry secrets).
package struct NotificationConfig: Codable, Sendable, Equatable {
    package var email = EmailConfig()
    package var apprise = AppriseConfig()
    package var webhooks: [Webhook] = []
    package var settings = NotificationSettings()
}

/// The notification settings, sealed with the data folder's key in the database.
package actor NotificationConfigStore {
    private let secrets: SecretStore
    private let time: any TimeSource
    package private(set) var config: NotificationConfig
    static let secretName = "notifications"

    package init(secrets: SecretStore, time: any TimeSource) throws {
        self.secrets = secrets
        self.time = time
        config =
            try secrets.get(Self.secretName).map { try JSONDecoder().decode(NotificationConfig.self, from: Data($0.utf8)) }
            ?? NotificationConfig()
    }

    package func update(_ change: (inout NotificationConfig) throws -> Void) throws -> NotificationConfig {
        var updated = config
        try change(&updated)
        try secrets.put(String(decoding: try JSONEncoder().encode(updated), as: UTF8.self), named: Self.secretName, at: time.now())
        config = updated
        return updated
    }
}
