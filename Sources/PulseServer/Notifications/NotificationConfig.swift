import Foundation

/// Email delivery settings (`/api/notifications/email`).
struct EmailConfig: Codable, Sendable, Equatable {
    var enabled = false
    var provider = ""
    var server = ""
    var port = 587
    var username = ""
    var password = ""
    var from = ""
    var to: [String] = []
    /// Implicit TLS (`smtps://`, usually port 465).
    var tls = false
    /// STARTTLS on a plain connection (usually port 587).
    var startTLS = true
}

/// Apprise delivery (`/api/notifications/apprise`): the `apprise` CLI, or an Apprise API server.
struct AppriseConfig: Codable, Sendable, Equatable {
    var enabled = false
    /// `cli` or `http`.
    var mode = "cli"
    /// Apprise URLs (they hold the services' secrets).
    var targets: [String] = []
    var serverUrl = ""
    var configKey = ""
    var apiKeyHeader = "X-API-KEY"
    var apiKey = ""
    var skipTLSVerify = false
    var timeoutSeconds = 15
}

/// A webhook destination (`/api/notifications/webhooks`).
struct Webhook: Codable, Sendable, Equatable, Identifiable {
    var id: String
    var name: String
    var url: String
    var method = "POST"
    var headers: [String: String] = [:]
    var enabled = true
    /// `discord`, `slack`, `telegram`, `teams`, `teams-adaptive`, `pagerduty`, `pushover`,
    /// `gotify`, `ntfy` or `generic`.
    var service = "generic"
    /// A Go-template body (`{{.Level}}: {{.Message}}`); the preset's body when empty.
    var template: String?
    /// Preset fields such as pushover's `app_token`/`user_token` or telegram's `chat_id`.
    var customFields: [String: String] = [:]
}

/// How notifications are spread out, and which private targets the admin allows.
struct NotificationSettings: Codable, Sendable, Equatable {
    /// CIDRs webhook and Apprise URLs may resolve to although private (e.g. `10.0.0.0/8` for an
    /// internal chat server). Empty: only public addresses.
    var allowedPrivateTargets: [String] = []
}

/// Everything the notification settings hold; stored sealed (URLs and headers carry secrets).
struct NotificationConfig: Codable, Sendable, Equatable {
    var email = EmailConfig()
    var apprise = AppriseConfig()
    var webhooks: [Webhook] = []
    var settings = NotificationSettings()
}

/// The notification settings, sealed with the data folder's key in the database.
actor NotificationConfigStore {
    private let secrets: SecretStore
    private let time: any TimeSource
    private(set) var config: NotificationConfig
    static let secretName = "notifications"

    init(secrets: SecretStore, time: any TimeSource) throws {
        self.secrets = secrets
        self.time = time
        config = try secrets.get(Self.secretName).map { try JSONDecoder().decode(NotificationConfig.self, from: Data($0.utf8)) }
            ?? NotificationConfig()
    }

    func update(_ change: (inout NotificationConfig) throws -> Void) throws -> NotificationConfig {
        var updated = config
        try change(&updated)
        try secrets.put(String(decoding: try JSONEncoder().encode(updated), as: UTF8.self), named: Self.secretName, at: time.now())
        config = updated
        return updated
    }
}
