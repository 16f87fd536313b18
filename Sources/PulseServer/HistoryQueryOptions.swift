import ArgumentParser
import Foundation
import HistoryQuery

/// The flags that point history and charts at a Prometheus-compatible engine. Operator
/// configuration only (the engine may be on loopback or a private network because the operator
/// says so); the URL, credentials and TLS settings are read as `EngineEndpoint` reads remote
/// write's.
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
            "File (mode 0600) holding the bearer token sent to the engine. (env: PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE; PULSE_HISTORY_QUERY_BEARER_TOKEN holds the value)"
    )
    var bearerTokenFile: String?

    @Option(name: .customLong("history-query-username"), help: "Basic-auth user for the engine. (env: PULSE_HISTORY_QUERY_USERNAME)")
    var username: String?

    @Option(
        name: .customLong("history-query-password-file"),
        help: "File (mode 0600) holding the basic-auth password for the engine. (env: PULSE_HISTORY_QUERY_PASSWORD_FILE)")
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
        let flags = EngineEndpoint.Flags(
            url: url, bearerTokenFile: bearerTokenFile, username: username, passwordFile: passwordFile, caFile: caFile,
            insecureSkipVerify: insecureSkipVerify)
        guard let endpoint = try EngineEndpoint.resolve("PULSE_HISTORY_QUERY", flags: flags, environment: environment) else {
            throw ValidationError("PULSE_HISTORY_QUERY_URL is required when PULSE_HISTORY_SOURCE is prometheus")
        }
        // The API path is appended to the base URL.
        if let components = URLComponents(string: endpoint.url), components.query != nil || components.fragment != nil {
            throw ValidationError("PULSE_HISTORY_QUERY_URL must be the engine's base URL, without a query or fragment")
        }
        var settings = HistoryEngineSettings(url: endpoint.url, instanceName: instanceName)
        settings.authorization = endpoint.authorization
        settings.tls = endpoint.tls
        if let text = value(timeout, "PULSE_HISTORY_QUERY_TIMEOUT") {
            guard let duration = Self.duration(text), duration >= .milliseconds(100), duration <= .seconds(300) else {
                throw ValidationError("PULSE_HISTORY_QUERY_TIMEOUT must be a duration from 100ms to 300s such as 5s, got '\(text)'")
            }
            settings.timeout = duration
        }
        return settings
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
