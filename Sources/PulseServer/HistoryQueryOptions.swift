import ArgumentParser
import Foundation
import HistoryQuery

/// The flags that point history and charts at a Prometheus-compatible engine. Operator
/// configuration only (the engine may be on loopback or a private network because the operator
/// says so); secrets are accepted as files or, for the bearer token, an environment variable.
struct HistoryQueryOptions: ParsableArguments {
    @Option(
        name: .customLong("history-source"),
        help:
            "Where history and charts are read: local (this server's store) or prometheus (the engine at --history-query-url, the local store when it fails). (env: PULSE_HISTORY_SOURCE; default local)"
    )
    var source: String?

    @Option(
        name: .customLong("history-query-url"),
        help:
            "Base URL of a Prometheus-API engine (Prometheus, VictoriaMetrics, a Mimir or Thanos query frontend); /api/v1/query_range is appended. (env: PULSE_HISTORY_QUERY_URL)"
    )
    var url: String?

    @Option(
        name: .customLong("history-query-bearer-token-file"),
        help:
            "File holding the bearer token sent to the engine. (env: PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE; PULSE_HISTORY_QUERY_BEARER_TOKEN holds the value)"
    )
    var bearerTokenFile: String?

    @Option(name: .customLong("history-query-username"), help: "Basic-auth user for the engine. (env: PULSE_HISTORY_QUERY_USERNAME)")
    var username: String?

    @Option(
        name: .customLong("history-query-password-file"),
        help: "File holding the basic-auth password for the engine. (env: PULSE_HISTORY_QUERY_PASSWORD_FILE)")
    var passwordFile: String?

    @Option(
        name: .customLong("history-query-ca-file"),
        help: "PEM CA bundle the engine's certificate must chain to. (env: PULSE_HISTORY_QUERY_CA_FILE; default the system's)")
    var caFile: String?

    @Option(
        name: .customLong("history-query-insecure-skip-verify"),
        help: "true to accept any certificate from the engine. (env: PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY; default false)")
    var insecureSkipVerify: String?

    @Option(
        name: .customLong("history-query-timeout"),
        help: "Longest wait for the engine before the local store answers, such as 5s or 1500ms. (env: PULSE_HISTORY_QUERY_TIMEOUT; default 5s)")
    var timeout: String?

    /// The engine's settings when `PULSE_HISTORY_SOURCE` is `prometheus`, nil for `local`;
    /// throws naming the setting that is wrong.
    func resolve(environment: [String: String], instanceName: String) throws -> HistoryEngineSettings? {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        let sourceText = value(source, "PULSE_HISTORY_SOURCE")?.lowercased() ?? "local"
        guard ["local", "prometheus"].contains(sourceText) else {
            throw ValidationError("PULSE_HISTORY_SOURCE must be local or prometheus, got '\(sourceText)'")
        }
        guard sourceText == "prometheus" else { return nil }
        guard let url = value(url, "PULSE_HISTORY_QUERY_URL") else {
            throw ValidationError("PULSE_HISTORY_QUERY_URL is required when PULSE_HISTORY_SOURCE is prometheus")
        }
        try Self.check(url: url)
        var settings = HistoryEngineSettings(url: url, instanceName: instanceName)

        let token: String?
        if let file = value(bearerTokenFile, "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE") {
            token = try Self.secret(file: file, "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE")
        } else {
            token = environment["PULSE_HISTORY_QUERY_BEARER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        }
        let user = value(username, "PULSE_HISTORY_QUERY_USERNAME")
        let password = try value(passwordFile, "PULSE_HISTORY_QUERY_PASSWORD_FILE").map {
            try Self.secret(file: $0, "PULSE_HISTORY_QUERY_PASSWORD_FILE")
        }
        switch (token, user, password) {
        case (nil, nil, nil): break
        case (let token?, nil, nil):
            guard Self.isOneLine(token) else { throw ValidationError("PULSE_HISTORY_QUERY_BEARER_TOKEN must be one line without control characters") }
            settings.credentials = .bearer(token)
        case (nil, let user?, let password?):
            guard Self.isOneLine(user), !user.contains(":") else {
                throw ValidationError("PULSE_HISTORY_QUERY_USERNAME must be one line without ':' or control characters")
            }
            guard Self.isOneLine(password) else { throw ValidationError("PULSE_HISTORY_QUERY_PASSWORD_FILE must hold one line") }
            settings.credentials = .basic(username: user, password: password)
        case (nil, _?, nil): throw ValidationError("PULSE_HISTORY_QUERY_USERNAME needs PULSE_HISTORY_QUERY_PASSWORD_FILE")
        case (nil, nil, _?): throw ValidationError("PULSE_HISTORY_QUERY_PASSWORD_FILE needs PULSE_HISTORY_QUERY_USERNAME")
        case (_?, _, _):
            throw ValidationError(
                "set either a bearer token (PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE) or PULSE_HISTORY_QUERY_USERNAME and PULSE_HISTORY_QUERY_PASSWORD_FILE, not both"
            )
        }
        if let caFile = value(caFile, "PULSE_HISTORY_QUERY_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw ValidationError("PULSE_HISTORY_QUERY_CA_FILE: cannot read \(caFile)")
            }
            settings.caFile = caFile
        }
        if let text = value(insecureSkipVerify, "PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY") {
            switch text.lowercased() {
            case "true", "1", "yes": settings.insecureSkipVerify = true
            case "false", "0", "no": settings.insecureSkipVerify = false
            default: throw ValidationError("PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY must be true or false, got '\(text)'")
            }
        }
        if let text = value(timeout, "PULSE_HISTORY_QUERY_TIMEOUT") {
            guard let duration = Self.duration(text), duration >= .milliseconds(100), duration <= .seconds(300) else {
                throw ValidationError("PULSE_HISTORY_QUERY_TIMEOUT must be a duration from 100ms to 300s such as 5s, got '\(text)'")
            }
            settings.timeout = duration
        }
        return settings
    }

    /// http(s) with a host; no credentials (they belong in the secret settings, not in a URL
    /// that logs and diagnostics show), no query or fragment (the API path is appended).
    static func check(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { throw ValidationError("PULSE_HISTORY_QUERY_URL must be an http(s) URL with a host such as http://127.0.0.1:8428") }
        if components.user != nil || components.password != nil {
            throw ValidationError(
                "PULSE_HISTORY_QUERY_URL must not hold credentials: use PULSE_HISTORY_QUERY_USERNAME and PULSE_HISTORY_QUERY_PASSWORD_FILE or a bearer token file"
            )
        }
        if components.query != nil || components.fragment != nil {
            throw ValidationError("PULSE_HISTORY_QUERY_URL must be the engine's base URL, without a query or fragment")
        }
    }

    private static func secret(file: String, _ setting: String) throws -> String {
        let text: String
        do {
            text = try ServerOptions.readSecretFile(file)
        } catch {
            throw ValidationError("\(setting): \(error)")
        }
        guard !text.isEmpty else { throw ValidationError("\(setting): \(file) is empty") }
        return text
    }

    private static func isOneLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// `5`, `5s`, `1500ms`, `1m`.
    static func duration(_ text: String) -> Duration? {
        let lowered = text.lowercased()
        for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where lowered.hasSuffix(suffix) {
            return Double(lowered.dropLast(suffix.count)).flatMap { $0.isFinite ? .milliseconds(Int64(($0 * scale * 1000).rounded())) : nil }
        }
        return Double(lowered).flatMap { $0.isFinite ? .milliseconds(Int64(($0 * 1000).rounded())) : nil }
    }
}
