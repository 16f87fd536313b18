import AgentProtocol
import ArgumentParser
import Foundation
import PulseAPI
import PulseCore
import PulseSupport

/// The flags of single sign-on, with Pulse's `OIDC_*` variables. Each one set fixes its setting:
/// the API reports it in `envOverrides` and refuses to change it.
///
/// The client secret is accepted as a flag only in the form of a file path, like the server's
/// other secrets: on the command line it would be in every user's process list.
struct OIDCOptions: ParsableArguments {
    @Option(name: .customLong("oidc-enabled"), help: "Turn single sign-on on or off: true or false. (env: OIDC_ENABLED)")
    var enabled: String?

    @Option(
        name: .customLong("oidc-issuer-url"), help: "The provider's issuer; discovery is read below it. (env: OIDC_ISSUER_URL)")
    var issuerURL: String?

    @Option(name: .customLong("oidc-client-id"), help: "Pulse's client ID at the provider. (env: OIDC_CLIENT_ID)")
    var clientID: String?

    @Option(
        name: .customLong("oidc-client-secret-file"),
        help: "File holding Pulse's client secret at the provider. (env: OIDC_CLIENT_SECRET holds the value)")
    var clientSecretFile: String?

    @Option(
        name: .customLong("oidc-redirect-url"),
        help: "The callback URL registered at the provider. (env: OIDC_REDIRECT_URL; default PUBLIC_URL/api/oidc/callback)")
    var redirectURL: String?

    @Option(name: .customLong("oidc-logout-url"), help: "Where Log out sends an SSO user (the provider's logout). (env: OIDC_LOGOUT_URL)")
    var logoutURL: String?

    @Option(name: .customLong("oidc-scopes"), help: "Scopes to request, comma or space separated. (env: OIDC_SCOPES; default openid profile email)")
    var scopes: String?

    @Option(name: .customLong("oidc-username-claim"), help: "Claim naming the user. (env: OIDC_USERNAME_CLAIM; default preferred_username)")
    var usernameClaim: String?

    @Option(name: .customLong("oidc-email-claim"), help: "Claim holding the e-mail address. (env: OIDC_EMAIL_CLAIM; default email)")
    var emailClaim: String?

    @Option(name: .customLong("oidc-groups-claim"), help: "Claim listing the user's groups, e.g. groups. (env: OIDC_GROUPS_CLAIM)")
    var groupsClaim: String?

    @Option(name: .customLong("oidc-allowed-groups"), help: "Only members of these groups may sign in. (env: OIDC_ALLOWED_GROUPS)")
    var allowedGroups: String?

    @Option(name: .customLong("oidc-allowed-domains"), help: "Only these e-mail domains may sign in. (env: OIDC_ALLOWED_DOMAINS)")
    var allowedDomains: String?

    @Option(name: .customLong("oidc-allowed-emails"), help: "Only these e-mail addresses may sign in. (env: OIDC_ALLOWED_EMAILS)")
    var allowedEmails: String?

    @Option(
        name: .customLong("oidc-group-role-mappings"),
        help:
            "group=role pairs, comma separated; admin makes an admin, other roles a viewer; without mappings every SSO user is an admin. (env: OIDC_GROUP_ROLE_MAPPINGS)"
    )
    var groupRoleMappings: String?

    @Option(
        name: .customLong("oidc-ca-bundle"), help: "PEM file of CAs that sign the provider's certificate, besides the system's. (env: OIDC_CA_BUNDLE)"
    )
    var caBundle: String?

    /// What these flags and `environment` fix. Throws naming the setting that is wrong.
    func resolve(environment: [String: String]) throws -> LiveOIDCSettings.Fixed {
        func value(_ flag: String?, _ variable: String) -> String? {
            if let flag { return flag.trimmingCharacters(in: .whitespaces) }
            return environment[variable]?.trimmingCharacters(in: .whitespaces)
        }
        var values: [String: JSONValue] = [:]
        if let text = value(enabled, "OIDC_ENABLED") {
            values["enabled"] = .bool(["1", "true", "yes", "y", "on"].contains(text.lowercased()))
        }
        let texts: [(key: String, flag: String?, variable: String)] = [
            ("issuerUrl", issuerURL, "OIDC_ISSUER_URL"), ("clientId", clientID, "OIDC_CLIENT_ID"),
            ("redirectUrl", redirectURL, "OIDC_REDIRECT_URL"), ("logoutUrl", logoutURL, "OIDC_LOGOUT_URL"),
            ("scopes", scopes, "OIDC_SCOPES"), ("usernameClaim", usernameClaim, "OIDC_USERNAME_CLAIM"),
            ("emailClaim", emailClaim, "OIDC_EMAIL_CLAIM"), ("groupsClaim", groupsClaim, "OIDC_GROUPS_CLAIM"),
            ("allowedGroups", allowedGroups, "OIDC_ALLOWED_GROUPS"), ("allowedDomains", allowedDomains, "OIDC_ALLOWED_DOMAINS"),
            ("allowedEmails", allowedEmails, "OIDC_ALLOWED_EMAILS"), ("groupRoleMappings", groupRoleMappings, "OIDC_GROUP_ROLE_MAPPINGS"),
            ("caBundle", caBundle, "OIDC_CA_BUNDLE"),
        ]
        var variables: [String: String] = ["enabled": "OIDC_ENABLED"]
        for item in texts {
            variables[item.key] = item.variable
            if let text = value(item.flag, item.variable) { values[item.key] = .string(text) }
        }
        let secret = try clientSecretFile.map(ServerOptions.readSecretFile) ?? environment["OIDC_CLIENT_SECRET"]
        let fixed = LiveOIDCSettings.Fixed(patch: OIDCSettingsPatch(values: values), clientSecret: secret)
        do {
            let settings = try fixed.patch.applied(to: OIDCSettings(), locked: [])
            // Only a complete configuration from variables alone can be checked here; the rest may be stored.
            if values["issuerUrl"] != nil, values["clientId"] != nil { try settings.validate() }
        } catch let error as DomainError {
            let field = error.details?["field"] ?? ""
            throw ValidationError("\(variables[field] ?? "OIDC"): \(error.message)")
        }
        return fixed
    }
}
