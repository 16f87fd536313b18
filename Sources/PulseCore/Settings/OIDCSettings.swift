import Foundation
import PulseSupport

/// Single sign-on through an OpenID Connect provider (`GET /api/security/oidc`), under Pulse v5's
/// keys. The client secret is not here: it is stored sealed and only ever reported as
/// `clientSecretSet`.
package struct OIDCSettings: Codable, Sendable, Equatable {
    package var enabled = false
    /// Must equal the `iss` of the provider's ID tokens; discovery is read below it.
    package var issuerUrl = ""
    package var clientId = ""
    /// Where the provider sends the browser back; "" derives it from the public URL or the request.
    package var redirectUrl = ""
    /// Where the dashboard's Log out sends an SSO user (the provider's end-session page).
    package var logoutUrl = ""
    package var scopes = OIDCSettings.defaultScopes
    package var usernameClaim = "preferred_username"
    package var emailClaim = "email"
    /// "" reads no groups, so an allowed-groups list or a mapping then admits no one.
    package var groupsClaim = ""
    package var allowedGroups: [String] = []
    /// E-mail domains (`example.com`); compared case-insensitively.
    package var allowedDomains: [String] = []
    package var allowedEmails: [String] = []
    /// Group → Pulse role. `admin` makes an admin; any other role (Pulse also has `operator`,
    /// `auditor`) a read-only viewer.
    package var groupRoleMappings: [String: String] = [:]
    /// A PEM file of the CAs that sign the provider's certificate, besides the system's.
    package var caBundle = ""

    package static let defaultScopes = ["openid", "profile", "email"]
    /// The callback path; Pulse v5's, so the redirect URI registered at the provider stays valid.
    package static let callbackPath = "/api/oidc/callback"

    package init() {}

    /// Every key, in the order the API lists them.
    package static let keys = [
        "enabled", "issuerUrl", "clientId", "redirectUrl", "logoutUrl", "scopes", "usernameClaim", "emailClaim", "groupsClaim",
        "allowedGroups", "allowedDomains", "allowedEmails", "groupRoleMappings", "caBundle",
    ]

    /// Decodes a stored document; a key it lacks keeps its default.
    package init(from decoder: any Decoder) throws {
        self.init()
        self = try OIDCSettingsPatch(from: decoder).applied(to: self, locked: [])
    }

    /// Problems that keep sign-in from working, checked when `enabled` is on.
    package func validate() throws {
        guard enabled else { return }
        guard !issuerUrl.isEmpty else { throw DomainError.invalid("issuerUrl is required when OIDC is enabled", field: "issuerUrl") }
        guard !clientId.isEmpty else { throw DomainError.invalid("clientId is required when OIDC is enabled", field: "clientId") }
        guard scopes.contains("openid") else { throw DomainError.invalid("scopes must include openid", field: "scopes") }
    }

    /// The role a user with `groups` gets: without mappings every admitted user is an admin (as
    /// in Pulse without role mappings); with mappings, an admin only through a group mapped to
    /// `admin`, else a viewer (a configured mapping is authoritative).
    package func isAdmin(groups: [String]) -> Bool {
        guard !groupRoleMappings.isEmpty else { return true }
        return groups.contains { groupRoleMappings[$0]?.lowercased() == "admin" }
    }

    /// Why `email` and `groups` are not admitted, or nil when they are. Lists compare
    /// case-insensitively; an empty list admits everyone.
    package func refusal(email: String, groups: [String]) -> OIDCRefusal? {
        let email = email.lowercased()
        if !allowedEmails.isEmpty, email.isEmpty || !allowedEmails.contains(where: { $0.lowercased() == email }) {
            return .emailRestricted
        }
        if !allowedDomains.isEmpty {
            let domain = email.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            guard email.contains("@"), allowedDomains.contains(where: { $0.lowercased().trimmingPrefix("@") == domain }) else {
                return .domainRestricted
            }
        }
        if !allowedGroups.isEmpty {
            let held = Set(groups.map { $0.lowercased() })
            guard allowedGroups.contains(where: { held.contains($0.lowercased()) }) else { return .groupRestricted }
        }
        return nil
    }
}

/// Why an authenticated provider user may not sign in; the raw value is Pulse's `oidc_error`.
package enum OIDCRefusal: String, Sendable {
    case emailRestricted = "email_restricted"
    case domainRestricted = "domain_restricted"
    case groupRestricted = "group_restricted"
}

/// Pulse's text form of the mappings (`OIDC_GROUP_ROLE_MAPPINGS`): `group=role` pairs separated
/// by commas or white space; a pair without `=` or with an empty side is skipped, as in Pulse.
package enum OIDCGroupRoleMappings {
    package static func parse(_ text: String) -> [String: String] {
        var mappings: [String: String] = [:]
        for pair in OIDCList.split(text) {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let group = pair[..<equals].trimmingCharacters(in: .whitespaces)
            let role = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if !group.isEmpty, !role.isEmpty { mappings[group] = role }
        }
        return mappings
    }
}

/// Pulse's list form in variables (`OIDC_SCOPES`, `OIDC_ALLOWED_*`): separated by commas or white
/// space, blanks dropped, duplicates (ignoring case) dropped in order.
package enum OIDCList {
    package static func split(_ text: String) -> [String] {
        normalised(text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
    }

    package static func normalised(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
