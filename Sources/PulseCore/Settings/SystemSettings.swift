import AgentProtocol
import Foundation

/// The settings an admin changes at run time (`GET /api/system/settings`), under Pulse v5's keys.
/// Stored in the database; a value set by a flag or environment variable wins and is reported
/// as locked (`envOverrides`). Intervals are seconds unless the key says otherwise.
package struct SystemSettings: Codable, Sendable, Equatable {
    package var pvePollingInterval = 10
    package var pbsPollingInterval = 60
    package var pmgPollingInterval = 60
    /// 0: the default (every PBS/PVE poll reads backups as it does now).
    package var backupPollingInterval = 0
    package var backupPollingEnabled = true
    /// Comma-separated web origins whose pages may open `/ws` (`*`: any).
    package var allowedOrigins = ""
    /// Seconds one Proxmox API request may take.
    package var connectionTimeout = 10
    /// `stable` or `rc`.
    package var updateChannel = "stable"
    package var autoUpdateEnabled = false
    /// Hours between update checks.
    package var autoUpdateCheckInterval = 24
    /// `HH:MM`, server time.
    package var autoUpdateTime = "03:00"
    /// `debug`, `info`, `warn` or `error`.
    package var logLevel = "info"
    package var discoveryEnabled = false
    /// `auto` or comma-separated CIDRs.
    package var discoverySubnet = "auto"
    /// "", `light` or `dark`.
    package var theme = ""
    package var fullWidthMode = false
    package var allowEmbedding = false
    /// Comma-separated origins that may embed the dashboard when `allowEmbedding` is on.
    package var allowedEmbedOrigins = ""
    package var temperatureMonitoringEnabled = true
    /// Comma-separated private CIDRs webhooks may reach.
    package var webhookAllowedPrivateCIDRs = ""
    package var hideLocalLogin = false
    /// The URL agents and browsers use to reach the server; "" to take it from each request.
    package var publicURL = ""
    package var metricsRetentionRawHours = 2
    package var metricsRetentionMinuteHours = 24
    package var metricsRetentionHourlyDays = 7
    package var metricsRetentionDailyDays = 90

    package init() {}

    /// Every key, in the order the API lists them.
    package static let keys = [
        "pvePollingInterval", "pbsPollingInterval", "pmgPollingInterval", "backupPollingInterval", "backupPollingEnabled",
        "allowedOrigins", "connectionTimeout", "updateChannel", "autoUpdateEnabled", "autoUpdateCheckInterval", "autoUpdateTime",
        "logLevel", "discoveryEnabled", "discoverySubnet", "theme", "fullWidthMode", "allowEmbedding", "allowedEmbedOrigins",
        "temperatureMonitoringEnabled", "webhookAllowedPrivateCIDRs", "hideLocalLogin", "publicURL", "metricsRetentionRawHours",
        "metricsRetentionMinuteHours", "metricsRetentionHourlyDays", "metricsRetentionDailyDays",
    ]

    /// Decodes a stored document; a key it lacks (an older server wrote it) keeps its default.
    package init(from decoder: any Decoder) throws {
        self.init()
        let patch = try SystemSettingsPatch(from: decoder)
        self = try patch.applied(to: self, locked: [])
    }
}

extension SystemSettings {
    /// Takes the value of `key` from `other` (for keys a flag or variable locks).
    package mutating func copy(_ key: String, from other: SystemSettings) {
        guard let data = try? JSONEncoder().encode(other),
            let values = try? JSONDecoder().decode([String: JSONValue].self, from: data), let value = values[key],
            let updated = try? SystemSettingsPatch(values: [key: value]).applied(to: self, locked: [])
        else { return }
        self = updated
    }
}
