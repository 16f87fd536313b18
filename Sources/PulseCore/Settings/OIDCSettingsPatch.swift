package import AgentProtocol
import Foundation
import PulseSupport

/// A partial update of `OIDCSettings` (`PUT /api/security/oidc`): the keys present change, the
/// others stay; unknown keys (`clientSecretSet`, `envOverrides` sent back) are ignored. The client
/// secret travels beside the settings (`clientSecret`, `clearClientSecret`), never inside them.
package struct OIDCSettingsPatch: Decodable, Sendable {
    package var values: [String: JSONValue]
    /// A new client secret; "" clears it, like `clearClientSecret`.
    package var clientSecret: String?
    package var clearClientSecret: Bool

    package init(values: [String: JSONValue], clientSecret: String? = nil, clearClientSecret: Bool = false) {
        self.values = values
        self.clientSecret = clientSecret
        self.clearClientSecret = clearClientSecret
    }

    package init(from decoder: any Decoder) throws {
        let all = try [String: JSONValue](from: decoder)
        values = all.filter { OIDCSettings.keys.contains($0.key) }
        switch all["clientSecret"] {
        case .string(let secret): clientSecret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        case nil, .null: clientSecret = nil
        default: throw DomainError.invalid("clientSecret must be a string", field: "clientSecret")
        }
        switch all["clearClientSecret"] {
        case .bool(let clear): clearClientSecret = clear
        case nil, .null: clearClientSecret = false
        default: throw DomainError.invalid("clearClientSecret must be true or false", field: "clearClientSecret")
        }
    }

    /// Whether the patch changes the client secret.
    package var changesSecret: Bool { clientSecret != nil || clearClientSecret }

    /// `settings` with every present key applied, after checking all of them: a bad value, or a
    /// changed value of a key in `locked` (fixed by a flag or variable), throws naming the field,
    /// and then nothing is applied. Sending a locked key back unchanged is allowed, so a client
    /// may PUT what it read.
    package func applied(to settings: OIDCSettings, locked: Set<String>) throws -> OIDCSettings {
        var result = settings
        for key in values.keys.sorted() {
            guard let value = values[key] else { continue }
            var candidate = result
            try apply(key, value, to: &candidate)
            if locked.contains(key), candidate != result {
                throw DomainError(
                    .conflict, code: .lockedByEnvironment, message: "\(key) is set by a flag or environment variable and cannot be changed here",
                    details: ["field": key])
            }
            result = candidate
        }
        if changesSecret, locked.contains("clientSecret") {
            throw DomainError(
                .conflict, code: .lockedByEnvironment, message: "clientSecret is set by a flag or environment variable and cannot be changed here",
                details: ["field": "clientSecret"])
        }
        return result
    }

    // swift-format-ignore: all
    private func apply(_ key: String, _ value: JSONValue, to s: inout OIDCSettings) throws {
        switch key {
        case "enabled": s.enabled = try bool(key, value)
        case "issuerUrl": s.issuerUrl = try url(key, value)
        case "clientId": s.clientId = try string(key, value)
        case "redirectUrl": s.redirectUrl = try url(key, value)
        case "logoutUrl": s.logoutUrl = try url(key, value)
        case "scopes": s.scopes = orDefault(try list(key, value), OIDCSettings.defaultScopes)
        case "usernameClaim": s.usernameClaim = orDefault(try string(key, value), "preferred_username")
        case "emailClaim": s.emailClaim = orDefault(try string(key, value), "email")
        case "groupsClaim": s.groupsClaim = try string(key, value)
        case "allowedGroups": s.allowedGroups = try list(key, value)
        case "allowedDomains": s.allowedDomains = try list(key, value)
        case "allowedEmails": s.allowedEmails = try list(key, value)
        case "groupRoleMappings": s.groupRoleMappings = try mappings(key, value)
        case "caBundle": s.caBundle = try path(key, value)
        default: break
        }
    }

    /// Empty means "the default", as in Pulse.
    private func orDefault<T: Collection>(_ value: T, _ fallback: T) -> T {
        value.isEmpty ? fallback : value
    }

    private func bool(_ key: String, _ value: JSONValue) throws -> Bool {
        guard case .bool(let flag) = value else { throw DomainError.invalid("\(key) must be true or false", field: key) }
        return flag
    }

    private func string(_ key: String, _ value: JSONValue, maximum: Int = 2048) throws -> String {
        if case .null = value { return "" }
        guard case .string(let text) = value, text.count <= maximum,
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw DomainError.invalid("\(key) must be a single-line string of at most \(maximum) characters", field: key) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// "" or an absolute http(s) URL without credentials or fragment.
    private func url(_ key: String, _ value: JSONValue) throws -> String {
        let text = try string(key, value)
        guard !text.isEmpty else { return "" }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.fragment == nil
        else { throw DomainError.invalid("\(key) must be an absolute http or https URL", field: key) }
        return text
    }

    /// "" or an absolute file path.
    private func path(_ key: String, _ value: JSONValue) throws -> String {
        let text = try string(key, value)
        guard text.isEmpty || text.hasPrefix("/") else { throw DomainError.invalid("\(key) must be an absolute file path", field: key) }
        return text
    }

    /// A JSON array of strings, or one string in Pulse's variable form (commas or spaces).
    private func list(_ key: String, _ value: JSONValue) throws -> [String] {
        switch value {
        case .null: return []
        case .string: return OIDCList.split(try string(key, value))
        case .array(let items):
            guard items.count <= 1000 else { throw DomainError.invalid("\(key) may list at most 1000 entries", field: key) }
            return OIDCList.normalised(try items.map { try string(key, $0, maximum: 512) })
        default: throw DomainError.invalid("\(key) must be a list of strings", field: key)
        }
    }

    /// A JSON object of group → role, or Pulse's `group=role,…` text.
    private func mappings(_ key: String, _ value: JSONValue) throws -> [String: String] {
        switch value {
        case .null: return [:]
        case .string: return OIDCGroupRoleMappings.parse(try string(key, value))
        case .object(let pairs):
            guard pairs.count <= 1000 else { throw DomainError.invalid("\(key) may hold at most 1000 mappings", field: key) }
            var result: [String: String] = [:]
            for (group, role) in pairs {
                let group = group.trimmingCharacters(in: .whitespaces)
                let role = try string(key, role, maximum: 64)
                if !group.isEmpty, !role.isEmpty { result[group] = role }
            }
            return result
        default: throw DomainError.invalid("\(key) must be an object of group to role", field: key)
        }
    }
}
