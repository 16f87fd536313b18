package import AgentProtocol
import Foundation
package import PulseSupport

/// A partial update of `SystemSettings` (`POST /api/system/settings/update`, `PUT /api/config/system`):
/// the keys present change, the others stay. Keys the settings do not have (a client sending back
/// what it read, `envOverrides` included) are ignored.
package struct SystemSettingsPatch: Decodable, Sendable {
    package var values: [String: JSONValue]

    package init(values: [String: JSONValue]) {
        self.values = values
    }

    package init(from decoder: any Decoder) throws {
        let all = try [String: JSONValue](from: decoder)
        values = all.filter { SystemSettings.keys.contains($0.key) }
    }

    /// `settings` with every present key applied, after checking all of them: a bad value or a
    /// key in `locked` (set by a flag or environment variable) throws naming the field, and then
    /// nothing is applied.
    package func applied(to settings: SystemSettings, locked: Set<String>) throws -> SystemSettings {
        var result = settings
        for key in values.keys.sorted() {
            guard let value = values[key] else { continue }
            if locked.contains(key) {
                throw DomainError(
                    .conflict, code: .lockedByEnvironment, message: "\(key) is set by a flag or environment variable and cannot be changed here",
                    details: ["field": key])
            }
            try apply(key, value, to: &result)
        }
        return result
    }

    // swift-format-ignore: all
    private func apply(_ key: String, _ value: JSONValue, to s: inout SystemSettings) throws {
        switch key {
        case "pvePollingInterval": s.pvePollingInterval = try int(key, value, 10...3600)
        case "pbsPollingInterval": s.pbsPollingInterval = try int(key, value, 10...3600)
        case "pmgPollingInterval": s.pmgPollingInterval = try int(key, value, 10...3600)
        case "backupPollingInterval":
            let seconds = try int(key, value, 0...604_800)
            guard seconds == 0 || seconds >= 60 else { throw DomainError.invalid("\(key) is 0 (the default) or at least 60 seconds", field: key) }
            s.backupPollingInterval = seconds
        case "backupPollingEnabled": s.backupPollingEnabled = try bool(key, value)
        case "allowedOrigins": s.allowedOrigins = try origins(key, value, allowStar: true)
        case "connectionTimeout": s.connectionTimeout = try int(key, value, 1...300)
        case "updateChannel": s.updateChannel = try choice(key, value, ["stable", "rc"])
        case "autoUpdateEnabled": s.autoUpdateEnabled = try bool(key, value)
        case "autoUpdateCheckInterval": s.autoUpdateCheckInterval = try int(key, value, 1...168)
        case "autoUpdateTime": s.autoUpdateTime = try timeOfDay(key, value)
        case "logLevel": s.logLevel = try choice(key, value, ["debug", "info", "warn", "error"])
        case "discoveryEnabled": s.discoveryEnabled = try bool(key, value)
        case "discoverySubnet": s.discoverySubnet = try subnets(key, value)
        case "theme": s.theme = try choice(key, value, ["", "light", "dark"])
        case "fullWidthMode": s.fullWidthMode = try bool(key, value)
        case "allowEmbedding": s.allowEmbedding = try bool(key, value)
        case "allowedEmbedOrigins": s.allowedEmbedOrigins = try origins(key, value, allowStar: false)
        case "temperatureMonitoringEnabled": s.temperatureMonitoringEnabled = try bool(key, value)
        case "webhookAllowedPrivateCIDRs": s.webhookAllowedPrivateCIDRs = try cidrs(key, value)
        case "hideLocalLogin": s.hideLocalLogin = try bool(key, value)
        case "publicURL": s.publicURL = try url(key, value)
        case "metricsRetentionRawHours": s.metricsRetentionRawHours = try int(key, value, 1...720)
        case "metricsRetentionMinuteHours": s.metricsRetentionMinuteHours = try int(key, value, 1...2160)
        case "metricsRetentionHourlyDays": s.metricsRetentionHourlyDays = try int(key, value, 1...365)
        case "metricsRetentionDailyDays": s.metricsRetentionDailyDays = try int(key, value, 1...3650)
        default: break
        }
    }

    private func int(_ key: String, _ value: JSONValue, _ range: ClosedRange<Int>) throws -> Int {
        guard case .number(let number) = value, number.rounded() == number, let whole = Int(exactly: number), range.contains(whole) else {
            throw DomainError.invalid("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: key)
        }
        return whole
    }

    private func bool(_ key: String, _ value: JSONValue) throws -> Bool {
        guard case .bool(let flag) = value else { throw DomainError.invalid("\(key) must be true or false", field: key) }
        return flag
    }

    private func string(_ key: String, _ value: JSONValue, maximum: Int = 2048) throws -> String {
        guard case .string(let text) = value, text.count <= maximum,
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw DomainError.invalid("\(key) must be a single-line string of at most \(maximum) characters", field: key) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private func choice(_ key: String, _ value: JSONValue, _ allowed: [String]) throws -> String {
        let text = try string(key, value).lowercased()
        guard allowed.contains(text) else {
            throw DomainError.invalid("\(key) must be one of \(allowed.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", "))", field: key)
        }
        return text
    }

    private func timeOfDay(_ key: String, _ value: JSONValue) throws -> String {
        let text = try string(key, value)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { throw DomainError.invalid("\(key) must be a time of day as HH:MM", field: key) }
        return text
    }

    /// "" or an absolute http(s) URL without credentials, query or fragment.
    private func url(_ key: String, _ value: JSONValue) throws -> String {
        let text = try string(key, value)
        guard !text.isEmpty else { return "" }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil
        else { throw DomainError.invalid("\(key) must be an absolute http or https URL", field: key) }
        return text
    }

    /// Comma-separated `scheme://host[:port]` origins; `*` alone when `allowStar`.
    private func origins(_ key: String, _ value: JSONValue, allowStar: Bool) throws -> String {
        let items = try string(key, value).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for item in items where !(allowStar && item == "*") {
            guard let url = URL(string: item), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
            else { throw DomainError.invalid("\(key) must list origins such as https://example.com:8443", field: key) }
        }
        return items.joined(separator: ",")
    }

    private func cidrs(_ key: String, _ value: JSONValue) throws -> String {
        let items = try string(key, value).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for item in items where IPRange(item) == nil {
            throw DomainError.invalid("\(key) must list networks such as 10.0.0.0/8", field: key)
        }
        return items.joined(separator: ",")
    }

    /// `auto` (also for "") or private IPv4 networks a discovery scan may cover (`DiscoverySubnet`).
    private func subnets(_ key: String, _ value: JSONValue) throws -> String {
        let text = try string(key, value)
        return text.isEmpty ? "auto" : try DiscoverySubnet.parse(text, field: key).description
    }
}

extension DomainError.Code {
    /// A setting a flag or environment variable fixes.
    package static let lockedByEnvironment = DomainError.Code(rawValue: "locked_by_environment")
}
