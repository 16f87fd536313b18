import ArgumentParser
import CurlHTTP
import Foundation
import RemoteWrite

/// Where and how the server reaches a time-series engine, as remote write's receiver
/// (`PULSE_REMOTE_WRITE_*`) and the history engine (`PULSE_HISTORY_QUERY_*`) both configure it:
/// the URL, a bearer token or basic credentials, the CA bundle and whether to verify. One
/// resolver reads either under its prefix, so every refusal names the exact variable.
///
/// Credentials come from files only its owner may read (`_BEARER_TOKEN_FILE`,
/// `_PASSWORD_FILE`) or, for the token, the `_BEARER_TOKEN` variable: never from a flag, which
/// every user could read in the process list, nor from the URL, which logs and diagnostics show.
struct EngineEndpoint {
    var url: String
    var authorization: RequestAuthorization
    var tls: TLSSettings

    /// The values of the flags of one prefix; the variables stand in for those not given.
    struct Flags {
        var url: String?
        var bearerTokenFile: String?
        var username: String?
        var passwordFile: String?
        var caFile: String?
        var insecureSkipVerify: String?
    }

    /// The endpoint `prefix` (`PULSE_REMOTE_WRITE`, `PULSE_HISTORY_QUERY`) names; nil without a
    /// URL. Throws naming the variable that is wrong.
    static func resolve(_ prefix: String, flags: Flags, environment: [String: String]) throws -> EngineEndpoint? {
        func value(_ flag: String?, _ suffix: String) -> String? { ServerOptions.setting(flag, "\(prefix)_\(suffix)", in: environment) }
        guard let url = value(flags.url, "URL") else { return nil }
        if let problem = urlProblem(url, prefix: prefix) {
            // Without a password the URL may carry: the message goes to the terminal and the journal.
            throw ValidationError("\(prefix)_URL \(problem), got '\(RemoteWriteURL.withoutUserInformation(url))'")
        }
        var endpoint = EngineEndpoint(url: url, authorization: .none, tls: TLSSettings())

        let token: String?
        if let path = value(flags.bearerTokenFile, "BEARER_TOKEN_FILE") {
            token = try readPrivateFile(path, setting: "\(prefix)_BEARER_TOKEN_FILE")
        } else {
            token = environment["\(prefix)_BEARER_TOKEN"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let username = value(flags.username, "USERNAME")
        let password = try value(flags.passwordFile, "PASSWORD_FILE").map { try readPrivateFile($0, setting: "\(prefix)_PASSWORD_FILE") }
        for (secret, setting) in [(token, "BEARER_TOKEN"), (username, "USERNAME"), (password, "PASSWORD_FILE")] {
            if let secret, hasControlCharacter(secret) {
                throw ValidationError("\(prefix)_\(setting) must not contain line breaks or other control characters")
            }
        }
        switch (token, username, password) {
        case (nil, nil, nil): break
        case (let token?, nil, nil): endpoint.authorization = .bearer(token: token)
        case (nil, let username?, let password?):
            guard !username.contains(":") else { throw ValidationError("\(prefix)_USERNAME must not contain ':'") }
            endpoint.authorization = .basic(username: username, password: password)
        case (nil, _, _):
            throw ValidationError("\(prefix)_USERNAME and \(prefix)_PASSWORD_FILE must be set together")
        default:
            throw ValidationError("\(prefix)_BEARER_TOKEN(_FILE) and basic authentication (\(prefix)_USERNAME) exclude each other")
        }

        if let path = value(flags.caFile, "CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: path) else { throw ValidationError("\(prefix)_CA_FILE: cannot read \(path)") }
            endpoint.tls.caCertificateFile = path
        }
        if let text = value(flags.insecureSkipVerify, "INSECURE_SKIP_VERIFY") {
            switch text.lowercased() {
            case "true", "1", "yes": endpoint.tls.insecure = true
            case "false", "0", "no": endpoint.tls.insecure = false
            default: throw ValidationError("\(prefix)_INSECURE_SKIP_VERIFY must be true or false, got '\(text)'")
            }
        }
        return endpoint
    }

    /// A reason the URL cannot be used, nil when it can: http or https, a host, no user
    /// information, no whitespace or control characters.
    static func urlProblem(_ url: String, prefix: String) -> String? {
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            return "must not contain spaces or control characters"
        }
        let lowered = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else { return "must be an http:// or https:// URL" }
        let authority = url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            return "must not carry a user or password (they would be in argv and logs): use \(prefix)_USERNAME and \(prefix)_PASSWORD_FILE"
        }
        guard !authority.isEmpty, !authority.hasPrefix(":") else { return "has no host" }
        return nil
    }

    /// A secret file's content, trimmed; refused when others than its owner may read it.
    static func readPrivateFile(_ path: String, setting: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ValidationError("\(setting): cannot read \(path): \(error.localizedDescription)")
        }
        guard let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0 else {
            throw ValidationError("\(setting): \(path) may be read by others than its owner; make it mode 0600")
        }
        let text: String
        do {
            text = try ServerOptions.readSecretFile(path)
        } catch {
            throw ValidationError("\(setting): \(error)")
        }
        guard !text.isEmpty else { throw ValidationError("\(setting): \(path) is empty") }
        return text
    }

    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
