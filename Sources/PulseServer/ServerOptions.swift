import ArgumentParser
import Foundation
import Logging
import PulseAPI
import PulseCore
import PulseSupport

/// The server's flags. Each has the environment variable Pulse uses, so existing setups carry
/// over; a flag wins over its variable.
///
/// Secrets (the admin password, raw API tokens) are accepted as flags only in the form of a file
/// path: a secret given on the command line would be visible to every user in the process list.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data folder for the database and keys. (env: PULSE_DATA_DIR; default /etc/pulse)")
    var dataDirectory: String?

    @Option(name: .customLong("port"), help: "Port to listen on. (env: FRONTEND_PORT; default 7655)")
    var port: Int?

    @Option(name: .customLong("bind-address"), help: "Address to listen on. (env: BIND_ADDRESS; default 0.0.0.0)")
    var bindAddress: String?

    @Option(name: .customLong("public-url"), help: "URL agents and browsers use to reach this server. (env: PULSE_PUBLIC_URL)")
    var publicURL: String?

    @Option(name: .customLong("auth-user"), help: "Admin username created or updated at start. (env: PULSE_AUTH_USER)")
    var authUser: String?

    @Option(
        name: .customLong("auth-pass-file"),
        help: "File holding the admin password or its bcrypt hash. (env: PULSE_AUTH_PASS holds the value itself)")
    var authPasswordFile: String?

    @Option(
        name: .customLong("api-tokens-file"),
        help: "File with raw API tokens (comma or newline separated) accepted with full access. (env: API_TOKENS, API_TOKEN hold the values)")
    var apiTokensFile: String?

    @Option(name: .customLong("tls-cert-file"), help: "PEM certificate chain; enables HTTPS. (env: TLS_CERT_FILE)")
    var tlsCertificateFile: String?

    @Option(name: .customLong("tls-key-file"), help: "PEM private key for --tls-cert-file. (env: TLS_KEY_FILE)")
    var tlsKeyFile: String?

    @Option(
        name: .customLong("bin-dir"),
        help: "Folder with the agent builds (pulse-agent-linux-amd64, …) served to installers. (env: PULSE_BIN_DIR; default /opt/pulse/bin)")
    var binDirectory: String?

    @Option(
        name: .customLong("agent-version"),
        help: "Version agents self-update to; dev stops updates. (env: PULSE_AGENT_VERSION; default this server's version)")
    var agentVersion: String?

    @Option(
        name: .customLong("pve-polling-interval"), help: "Seconds between polls of each Proxmox VE instance. (env: PVE_POLLING_INTERVAL; default 10)")
    var pvePollingInterval: Double?

    @Option(
        name: .customLong("pbs-polling-interval"),
        help: "Seconds between polls of each Proxmox Backup Server. (env: PBS_POLLING_INTERVAL; default 60)")
    var pbsPollingInterval: Double?

    @Option(
        name: .customLong("pmg-polling-interval"), help: "Seconds between polls of each Proxmox Mail Gateway. (env: PMG_POLLING_INTERVAL; default 60)"
    )
    var pmgPollingInterval: Double?

    @Option(
        name: .customLong("metrics-retention"),
        help:
            "How long the metrics history keeps each tier, raw,minute,hourly,daily, e.g. 2h,24h,7d,90d. (env: PULSE_METRICS_RETENTION; default 2h,24h,7d,90d)"
    )
    var metricsRetention: String?

    @Option(
        name: .customLong("metrics-access"),
        help: "Who may scrape /metrics (Prometheus): token (monitoring:read) or open. (env: PULSE_METRICS_ACCESS; default token)")
    var metricsAccess: String?

    @Option(
        name: .customLong("max-agents-per-token"),
        help: "Hosts, Docker hosts and clusters one API token may enrol. (env: PULSE_MAX_AGENTS_PER_TOKEN; default 1000)")
    var maxAgentsPerToken: Int?

    @Option(
        name: .customLong("max-agent-records"),
        help: "Hosts, Docker hosts and clusters the server keeps in all. (env: PULSE_MAX_AGENT_RECORDS; default 10000)")
    var maxAgentRecords: Int?

    @Option(
        name: .customLong("max-containers-per-report"),
        help: "Containers accepted in one Docker report. (env: PULSE_MAX_CONTAINERS_PER_REPORT; default 2000)")
    var maxContainersPerReport: Int?

    @Option(
        name: .customLong("max-kubernetes-items-per-report"),
        help: "Pods, nodes and deployments (each) accepted in one Kubernetes report. (env: PULSE_MAX_KUBERNETES_ITEMS_PER_REPORT; default 20000)")
    var maxKubernetesItemsPerReport: Int?

    @Option(
        name: .customLong("trusted-proxy-cidrs"),
        help:
            "Reverse proxies (CIDRs or addresses, comma separated) whose X-Forwarded-For and X-Real-IP name the client; no other peer's are believed. (env: PULSE_TRUSTED_PROXY_CIDRS)"
    )
    var trustedProxyCIDRs: String?

    @OptionGroup(title: "Sign-in by a reverse proxy") var proxyAuth: ProxyAuthOptions

    @OptionGroup(title: "Single sign-on (OpenID Connect)") var oidc: OIDCOptions

    @OptionGroup(title: "Self-update") var updates: UpdateOptions
    @OptionGroup(title: "History from a Prometheus-compatible engine") var historyQuery: HistoryQueryOptions

    @Option(
        name: .customLong("instance-name"),
        help:
            "This server's name in the pulse_instance label of the series it writes to, and reads from, a time-series engine. (env: PULSE_INSTANCE_NAME; default the hostname)"
    )
    var instanceName: String?
    @OptionGroup(title: "Demo mode") var demo: DemoModeOptions
    @OptionGroup(title: "Prometheus remote write") var remoteWrite: RemoteWriteOptions
    @OptionGroup(title: "Patrol and license") var patrol: PatrolOptions

    @Option(
        name: .customLong("apprise-cli"),
        help:
            "The Apprise CLI for Apprise notifications: a name found on PATH or an absolute path; only set here, never through the API. (env: PULSE_APPRISE_CLI; default apprise)"
    )
    var appriseCLI: String?

    @Option(
        name: .customLong("max-connections"),
        help: "Connections open at once; more are closed at accept. (env: PULSE_MAX_CONNECTIONS; default 80% of the open-file limit, at most 4096)")
    var maxConnections: Int?

    @Option(
        name: .customLong("max-connections-per-ip"),
        help:
            "Connections open at once from one client address (an IPv6 /64); behind a reverse proxy, set it to --max-connections. (env: PULSE_MAX_CONNECTIONS_PER_IP; default 512)"
    )
    var maxConnectionsPerAddress: Int?

    @Option(
        name: .customLong("header-timeout"),
        help: "Seconds a new connection has to send its first complete request head. (env: PULSE_HEADER_TIMEOUT; default 10)")
    var headerTimeout: Double?

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a kept-alive connection may wait between requests. (env: PULSE_IDLE_TIMEOUT; default 60)")
    var idleTimeout: Double?

    @Option(
        name: .customLong("state-max-staleness"),
        help:
            "Seconds the state /api/state and /ws serve may lag the newest change (a client always sees its own writes); 0 encodes it for every change. (env: PULSE_STATE_MAX_STALENESS; default 2)"
    )
    var stateMaxStaleness: Double?

    @Option(
        name: .customLong("allowed-origins"),
        help: "Comma-separated web origins, besides this server's own and --public-url's, whose pages may open /ws. (env: ALLOWED_ORIGINS)")
    var allowedOrigins: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (env: LOG_LEVEL; default info)")
    var logLevel: String?

    /// Merges flags over `environment` over defaults.
    func resolve(environment: [String: String]) throws -> ServerConfiguration {
        func value(_ flag: String?, _ variable: String) -> String? { Self.setting(flag, variable, in: environment) }

        var configuration = ServerConfiguration()
        configuration.dataDirectory = value(dataDirectory, "PULSE_DATA_DIR") ?? configuration.dataDirectory
        if let port = port {
            configuration.port = port
        } else if let text = environment["FRONTEND_PORT"], !text.isEmpty {
            guard let parsed = Int(text) else { throw ValidationError("FRONTEND_PORT must be a number, got '\(text)'") }
            configuration.port = parsed
        }
        configuration.bindAddress = value(bindAddress, "BIND_ADDRESS") ?? configuration.bindAddress
        configuration.publicURL = value(publicURL, "PULSE_PUBLIC_URL")
        configuration.authUser = value(authUser, "PULSE_AUTH_USER")
        configuration.authPassword = try authPasswordFile.map(Self.readSecretFile) ?? environment["PULSE_AUTH_PASS"].flatMap { $0.isEmpty ? nil : $0 }
        let tokenText =
            try apiTokensFile.map(Self.readSecretFile)
            ?? [environment["API_TOKENS"], environment["API_TOKEN"]].compactMap { $0 }.joined(separator: ",")
        configuration.apiTokens = Self.splitTokens(tokenText)
        configuration.binDirectory = value(binDirectory, "PULSE_BIN_DIR") ?? configuration.binDirectory
        configuration.agentVersion = value(agentVersion, "PULSE_AGENT_VERSION") ?? configuration.agentVersion
        func seconds(_ flag: Double?, _ variable: String) throws -> TimeInterval? {
            guard let text = value(flag.map { String($0) }, variable) else { return nil }
            guard let seconds = Double(text.hasSuffix("s") ? String(text.dropLast()) : text), seconds >= 0.1, seconds <= 3600 else {
                throw ValidationError("\(variable) must be seconds between 0.1 and 3600, got '\(text)'")
            }
            return seconds
        }
        configuration.pvePollingInterval = try seconds(pvePollingInterval, "PVE_POLLING_INTERVAL") ?? configuration.pvePollingInterval
        configuration.pbsPollingInterval = try seconds(pbsPollingInterval, "PBS_POLLING_INTERVAL") ?? configuration.pbsPollingInterval
        configuration.pmgPollingInterval = try seconds(pmgPollingInterval, "PMG_POLLING_INTERVAL") ?? configuration.pmgPollingInterval
        configuration.tlsCertificateFile = value(tlsCertificateFile, "TLS_CERT_FILE")
        configuration.tlsKeyFile = value(tlsKeyFile, "TLS_KEY_FILE")
        if let text = value(metricsRetention, "PULSE_METRICS_RETENTION") {
            let parts = text.split(separator: ",").map { DurationText.seconds(String($0).trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, let raw = parts[0], let minute = parts[1], let hourly = parts[2], let daily = parts[3] else {
                throw ValidationError("metrics retention must be four durations raw,minute,hourly,daily such as 2h,24h,7d,90d; got '\(text)'")
            }
            configuration.metricsRetention = MetricsRetention(
                raw: TimeInterval(raw), minute: TimeInterval(minute), hourly: TimeInterval(hourly), daily: TimeInterval(daily))
        }
        if let access = value(metricsAccess, "PULSE_METRICS_ACCESS") {
            guard let parsed = ServerConfiguration.MetricsAccess(rawValue: access.lowercased()) else {
                throw ValidationError("metrics access must be token or open, got '\(access)'")
            }
            configuration.metricsAccess = parsed
        }
        configuration.appriseCLI = value(appriseCLI, "PULSE_APPRISE_CLI") ?? configuration.appriseCLI
        func count(_ flag: Int?, _ variable: String) throws -> Int? {
            guard let text = value(flag.map { String($0) }, variable) else { return nil }
            guard let number = Int(text), number >= 1 else {
                throw ValidationError("\(variable) must be a whole number of at least 1, got '\(text)'")
            }
            return number
        }
        var limits = configuration.enrolmentLimits
        limits.recordsPerToken = try count(maxAgentsPerToken, "PULSE_MAX_AGENTS_PER_TOKEN") ?? limits.recordsPerToken
        limits.totalRecords = try count(maxAgentRecords, "PULSE_MAX_AGENT_RECORDS") ?? limits.totalRecords
        limits.containersPerReport = try count(maxContainersPerReport, "PULSE_MAX_CONTAINERS_PER_REPORT") ?? limits.containersPerReport
        limits.kubernetesItemsPerReport =
            try count(maxKubernetesItemsPerReport, "PULSE_MAX_KUBERNETES_ITEMS_PER_REPORT") ?? limits.kubernetesItemsPerReport
        configuration.enrolmentLimits = limits
        if let text = value(trustedProxyCIDRs, "PULSE_TRUSTED_PROXY_CIDRS") {
            do {
                configuration.trustedProxies = try TrustedProxies(parsing: text)
            } catch {
                throw ValidationError("PULSE_TRUSTED_PROXY_CIDRS: \(error)")
            }
        }
        configuration.proxyAuthentication = try proxyAuth.resolve(environment: environment)
        configuration.oidc = try oidc.resolve(environment: environment)
        configuration.updates = try updates.resolve(environment: environment)
        configuration.instanceName = value(instanceName, "PULSE_INSTANCE_NAME") ?? configuration.instanceName
        guard !configuration.instanceName.isEmpty, !EngineEndpoint.hasControlCharacter(configuration.instanceName) else {
            throw ValidationError("PULSE_INSTANCE_NAME must be a non-empty name without control characters")
        }
        configuration.historyEngine = try historyQuery.resolve(environment: environment, instanceName: configuration.instanceName)
        (configuration.demoModeEnabled, configuration.demoMode) = try demo.resolve(environment: environment)
        configuration.remoteWrite = try remoteWrite.resolve(environment: environment, instanceName: configuration.instanceName)
        configuration.patrol = try patrol.resolve(environment: environment)
        configuration.maxConnections = try count(maxConnections, "PULSE_MAX_CONNECTIONS") ?? configuration.maxConnections
        configuration.maxConnectionsPerAddress =
            try count(maxConnectionsPerAddress, "PULSE_MAX_CONNECTIONS_PER_IP") ?? configuration.maxConnectionsPerAddress
        if let timeout = try seconds(headerTimeout, "PULSE_HEADER_TIMEOUT") { configuration.headerTimeout = .milliseconds(Int(timeout * 1000)) }
        if let timeout = try seconds(idleTimeout, "PULSE_IDLE_TIMEOUT") { configuration.idleTimeout = .milliseconds(Int(timeout * 1000)) }
        if let text = value(stateMaxStaleness.map { String($0) }, "PULSE_STATE_MAX_STALENESS") {
            guard let seconds = Double(text.hasSuffix("s") ? String(text.dropLast()) : text), seconds >= 0, seconds <= 60 else {
                throw ValidationError("PULSE_STATE_MAX_STALENESS must be seconds between 0 and 60, got '\(text)'")
            }
            configuration.stateMaxStaleness = .milliseconds(Int(seconds * 1000))
        }
        if let origins = value(allowedOrigins, "ALLOWED_ORIGINS") {
            configuration.allowedOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let level = value(logLevel, "LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ValidationError("log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(level)'")
            }
            configuration.logLevel = parsed
        }
        // Run-time settings a flag or variable fixes: reported as locked (`envOverrides`).
        let fixed: [(keys: [String], value: String?)] = [
            (["pvePollingInterval"], value(pvePollingInterval.map { String($0) }, "PVE_POLLING_INTERVAL")),
            (["pbsPollingInterval"], value(pbsPollingInterval.map { String($0) }, "PBS_POLLING_INTERVAL")),
            (["pmgPollingInterval"], value(pmgPollingInterval.map { String($0) }, "PMG_POLLING_INTERVAL")),
            (["publicURL"], value(publicURL, "PULSE_PUBLIC_URL")),
            (["allowedOrigins"], value(allowedOrigins, "ALLOWED_ORIGINS")),
            (["logLevel"], value(logLevel, "LOG_LEVEL")),
            (
                ["metricsRetentionRawHours", "metricsRetentionMinuteHours", "metricsRetentionHourlyDays", "metricsRetentionDailyDays"],
                value(metricsRetention, "PULSE_METRICS_RETENTION")
            ),
        ]
        configuration.lockedSettings = Set(fixed.filter { $0.value != nil }.flatMap(\.keys))
        let problems = configuration.validationProblems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        return configuration
    }

    /// A setting's value: the flag when given, else the environment variable (trimmed); an
    /// empty one counts as not set.
    static func setting(_ flag: String?, _ variable: String, in environment: [String: String]) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let fromEnvironment = environment[variable]?.trimmingCharacters(in: .whitespaces), !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    static func readSecretFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Tokens separated by commas, whitespace or newlines; duplicates removed, order kept.
    static func splitTokens(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init).filter { seen.insert($0).inserted }
    }
}
