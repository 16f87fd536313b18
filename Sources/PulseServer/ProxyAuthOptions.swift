import ArgumentParser
import Foundation
import PulseAPI

/// The flags of sign-in by a reverse proxy, with Pulse's `PROXY_AUTH_*` variables.
///
/// The shared secret is accepted as a flag only in the form of a file path, like the server's
/// other secrets: on the command line it would be in every user's process list.
struct ProxyAuthOptions: ParsableArguments {
    @Option(
        name: .customLong("proxy-auth-secret-file"),
        help:
            "File holding the secret a reverse proxy sends in X-Proxy-Secret; turns on proxy sign-in, honoured only from --trusted-proxy-cidrs. (env: PROXY_AUTH_SECRET holds the value)"
    )
    var secretFile: String?

    @Option(
        name: .customLong("proxy-auth-user-header"),
        help: "Header in which the proxy names the signed-in user, e.g. Remote-User. (env: PROXY_AUTH_USER_HEADER)")
    var userHeader: String?

    @Option(
        name: .customLong("proxy-auth-role-header"),
        help: "Header in which the proxy lists the user's roles; without it every proxy user is an admin. (env: PROXY_AUTH_ROLE_HEADER)")
    var roleHeader: String?

    @Option(
        name: .customLong("proxy-auth-role-separator"),
        help: "Separator between roles in the role header. (env: PROXY_AUTH_ROLE_SEPARATOR; default |)")
    var roleSeparator: String?

    @Option(
        name: .customLong("proxy-auth-admin-role"),
        help: "Role that makes a proxy user an admin; other users are viewers (read only). (env: PROXY_AUTH_ADMIN_ROLE; default admin)")
    var adminRole: String?

    @Option(
        name: .customLong("proxy-auth-logout-url"),
        help: "Where the dashboard's Log out sends a proxy user (the proxy's own logout). (env: PROXY_AUTH_LOGOUT_URL)")
    var logoutURL: String?

    /// The proxy sign-in these flags and `environment` describe: nil when no secret is set.
    /// Throws naming the setting that is wrong.
    func resolve(environment: [String: String]) throws -> ProxyAuthentication? {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        let secret = try secretFile.map(ServerOptions.readSecretFile) ?? environment["PROXY_AUTH_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        let userHeaderName = value(userHeader, "PROXY_AUTH_USER_HEADER")
        guard let secret, !secret.isEmpty else {
            if userHeaderName != nil {
                throw ValidationError("PROXY_AUTH_USER_HEADER is set but PROXY_AUTH_SECRET is not: proxy sign-in needs the shared secret")
            }
            return nil
        }
        guard let userHeaderName else {
            throw ValidationError("PROXY_AUTH_SECRET needs PROXY_AUTH_USER_HEADER, the header in which the proxy names the user")
        }
        let roleHeaderName = value(roleHeader, "PROXY_AUTH_ROLE_HEADER")
        for (name, variable) in [(userHeaderName, "PROXY_AUTH_USER_HEADER"), (roleHeaderName, "PROXY_AUTH_ROLE_HEADER")] {
            if let name, !ProxyAuthentication.isHeaderName(name) { throw ValidationError("\(variable) '\(name)' is not a header name") }
        }
        let logout = value(logoutURL, "PROXY_AUTH_LOGOUT_URL")
        if let logout, !(logout.hasPrefix("/") || ["http", "https"].contains(URL(string: logout)?.scheme ?? "")) {
            throw ValidationError("PROXY_AUTH_LOGOUT_URL must be an http(s) URL or a path, got '\(logout)'")
        }
        let separator = environment["PROXY_AUTH_ROLE_SEPARATOR"].flatMap { $0.isEmpty ? nil : $0 }
        let proxy = ProxyAuthentication(
            secret: secret, userHeaderName: userHeaderName, roleHeaderName: roleHeaderName,
            roleSeparator: roleSeparator.flatMap { $0.isEmpty ? nil : $0 } ?? separator ?? "|",
            adminRole: value(adminRole, "PROXY_AUTH_ADMIN_ROLE") ?? "admin", logoutURL: logout)
        guard let proxy else { throw ValidationError("PROXY_AUTH_USER_HEADER or PROXY_AUTH_ROLE_HEADER is not a header name") }
        return proxy
    }
}
