import DemoMode
import Foundation
import HistoryQuery
import Logging
import NIOCore
import ProxmoxPolling
import PulseAPI
import PulseCore
import PulseSupport
import RemoteWrite

/// Everything the server needs to start, resolved from flags and environment.
struct ServerConfiguration: Sendable {
    /// Where the database, key file and bootstrap token live (`PULSE_DATA_DIR`).
    var dataDirectory: String = "/etc/pulse"
    /// Interface to listen on (`BIND_ADDRESS`).
    var bindAddress: String = "0.0.0.0"
    /// Port to listen on (`FRONTEND_PORT`); 0 picks a free port (tests).
    var port: Int = 7655
    /// The URL agents and browsers use to reach this server (`PULSE_PUBLIC_URL`).
    var publicURL: String?
    /// Admin user created or updated at start (`PULSE_AUTH_USER` / `PULSE_AUTH_PASS`).
    var authUser: String?
    var authPassword: String?
    /// Raw tokens accepted at start with full access (`API_TOKENS`, `API_TOKEN`).
    var apiTokens: [String] = []
    /// TLS certificate chain and key in PEM (`TLS_CERT_FILE`, `TLS_KEY_FILE`).
    var tlsCertificateFile: String?
    var tlsKeyFile: String?
    /// Folder with the agent builds served at `/download/pulse-agent` (`PULSE_BIN_DIR`).
    var binDirectory: String = "/opt/pulse/bin"
    /// The version `/api/agent/version` tells agents to run (`PULSE_AGENT_VERSION`): this
    /// server's own by default; `dev` stops self-updates.
    var agentVersion: String = BuildInfo.version
    /// Seconds between polls of each PVE instance (`PVE_POLLING_INTERVAL`).
    var pvePollingInterval: TimeInterval = 10
    /// Seconds between polls of each PBS and PMG instance (`PBS_POLLING_INTERVAL`, `PMG_POLLING_INTERVAL`).
    var pbsPollingInterval: TimeInterval = 60
    var pmgPollingInterval: TimeInterval = 60
    var logLevel: Logger.Level = .info
    /// Who may read the Prometheus exposition at `/metrics`.
    var metricsAccess: MetricsAccess = .token

    typealias MetricsAccess = PrometheusRoutes.Access
    /// Connections open at once (`PULSE_MAX_CONNECTIONS`); nil: 80 % of the open-file limit,
    /// at most 4,096 (`defaultMaxConnections`).
    var maxConnections: Int?
    /// Connections open at once from one client address, an IPv6 client's /64
    /// (`PULSE_MAX_CONNECTIONS_PER_IP`). Each agent keeps about one connection, so 512 lets a
    /// few hundred agents share a NAT address; a reverse proxy is one address for all its
    /// clients, so behind one this is raised to `maxConnections`. Nothing is exempt, loopback included.
    var maxConnectionsPerAddress = 512
    /// A new connection that has not sent its first complete request head within this is closed
    /// (`PULSE_HEADER_TIMEOUT`).
    var headerTimeout: Duration = .seconds(10)
    /// A kept-alive connection without a request for this long is closed (`PULSE_IDLE_TIMEOUT`).
    var idleTimeout: Duration = .seconds(60)
    /// Web origins, besides the server's own and `publicURL`'s, whose pages may open `/ws`
    /// (`ALLOWED_ORIGINS`); `*` allows every page.
    var allowedOrigins: [String] = []
    var rateLimits = RateLimitPolicy()
    /// Records per token and in all, items per report (`PULSE_MAX_AGENTS_PER_TOKEN`, `PULSE_MAX_AGENT_RECORDS`).
    var enrolmentLimits = EnrolmentLimits()
    /// Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` are believed (`PULSE_TRUSTED_PROXY_CIDRS`).
    var trustedProxies = TrustedProxies.none
    /// Sign-in by a reverse proxy (`PROXY_AUTH_*`); nil unless `PROXY_AUTH_SECRET` is set.
    var proxyAuthentication: ProxyAuthentication?
    /// Single sign-on settings fixed by a flag or variable (`OIDC_*`); the rest are stored.
    var oidc = LiveOIDCSettings.Fixed()
    /// The server's self-update (`PULSE_UPDATE_*`).
    var updates = Updates()
    /// How often buffered state (token usage, agent records) is written to the database.
    var persistenceFlushInterval: Duration = .seconds(5)
    /// How old the state `/api/state` and `/ws` serve may be (`StateDocuments`): versions and
    /// clock-driven fields alike, never a client's own writes. Zero serves every reader the
    /// current version, encoding the state once per change.
    var stateMaxStaleness: Duration = .seconds(2)
    /// The shortest time between two state messages to one WebSocket client.
    var liveUpdateInterval: Duration = .seconds(1)
    /// A WebSocket client whose socket accepts nothing for this long is disconnected.
    var liveSendTimeout: Duration = .seconds(10)
    /// How often agent online/offline status is re-evaluated.
    var offlineCheckInterval: Duration = .seconds(5)
    /// Agent reports worked on at once (body read, decoded, applied); later ones wait unread.
    var reportConcurrency = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    /// How often freed heap memory is handed back to the kernel (`MemoryTrimService`).
    var memoryTrimInterval: Duration = .seconds(10)
    /// How often the state is sampled into the metrics history and charts.
    var metricsSampleInterval: Duration = .seconds(10)
    var metricsRetention = MetricsRetention()
    /// This server's `pulse_instance` label in a time-series engine (`PULSE_INSTANCE_NAME`).
    var instanceName = ServerConfiguration.hostname
    /// The engine history and charts are read from (`PULSE_HISTORY_SOURCE=prometheus`,
    /// `PULSE_HISTORY_QUERY_*`); nil: the local store only.
    var historyEngine: HistoryEngineSettings?
    /// How often due notifications are delivered (and grouped alerts released).
    var notificationInterval: Duration = .seconds(5)
    /// The Apprise CLI (`PULSE_APPRISE_CLI`): a name looked up on `PATH` at start, or an absolute
    /// path. Only the operator chooses it; the API and imports cannot.
    var appriseCLI: String = "apprise"
    /// How often alerts are checked regardless of changes (offline confirmations, backup age);
    /// they are also evaluated as each change arrives.
    var alertEvaluationInterval: Duration = .seconds(10)
    /// Evaluate alerts as changes arrive; tests that drive evaluation with a manual clock turn it off.
    var alertsOnArrival = true
    /// How often `DiscoveryService` reads the discovery settings (a change applies within this).
    var discoveryCheckInterval: Duration = .seconds(10)
    /// Between two periodic scans of the same subnet (Pulse: every 5 minutes).
    var discoveryScanInterval: TimeInterval = 300
    /// How a discovery scan probes each address (connect timeout 1 s, page 3 s).
    var discoveryProbe = DiscoveryProbe()
    /// Demo mode at start (`PULSE_MOCK_MODE`) and its estate (`PULSE_MOCK_*`); switched at run
    /// time through `/api/system/mock-mode`.
    var demoModeEnabled = false
    var demoMode = DemoConfiguration()
    /// How often the demo loop looks whether a reading is due (the readings follow the server's clock).
    var demoCheckInterval: Duration = .milliseconds(250)
    /// Prometheus remote write (`PULSE_REMOTE_WRITE_*`); nil: off.
    var remoteWrite: RemoteWriteSettings?
    /// How often the remote write queue is looked at (a failed send waits its backoff on the server's clock).
    var remoteWriteDrainInterval: Duration = .seconds(1)
    /// Patrol's schedule and thresholds, and the license key (`PULSE_PATROL_*`, `PULSE_LICENSE_PUBLIC_KEY`).
    var patrol = PatrolConfiguration()

    /// Patrol and the license, as configured.
    struct PatrolConfiguration: Sendable {
        /// Between scheduled runs (`PULSE_PATROL_INTERVAL`, minutes); nil: none.
        var interval: Duration? = .seconds(15 * 60)
        /// How old a guest's newest backup may be (`PULSE_PATROL_BACKUP_MAX_AGE_HOURS`).
        var backupMaxAge: TimeInterval = 7 * 86_400
        /// New warning-or-worse findings notify (`PULSE_PATROL_NOTIFY`).
        var notify = true
        /// The Ed25519 public key licenses are signed with, base64 (`PULSE_LICENSE_PUBLIC_KEY`).
        var licensePublicKey: String?
    }
    /// Run-time settings fixed by a flag or environment variable (`SystemSettings` keys).
    var lockedSettings: Set<String> = []
    /// The level the `logLevel` setting changes: `RuntimeLogLevel.shared` in `pulse`, behind
    /// every logger; a configuration of its own elsewhere (tests).
    var runtimeLogLevel = RuntimeLogLevel()
    /// The event loops the server runs on; nil: NIO's shared ones. A test that floods a server
    /// gives it its own, so the other servers in the same process keep theirs.
    var eventLoopGroup: (any EventLoopGroup)? = nil
    /// The bcrypt cost of new password hashes: 12; a test server uses bcrypt's minimum, 4.
    var passwordHashCost = UserStore.defaultBcryptCost
    /// The server's recent log lines (`/api/logs/*`, diagnostics); each server has its own.
    var recentLogs = RecentLogLines()

    var usesTLS: Bool { tlsCertificateFile != nil }

    /// Connections the kernel completes and queues before `pulse` accepts them (Linux caps it
    /// at `net.core.somaxconn`, 4096 by default). Hummingbird's 256 overflowed when a flood of
    /// sockets arrived faster than they were accepted: further clients, the honest ones too, then
    /// waited for SYN retries (1 s, 3 s, …), and the queue is where a refused or timed-out
    /// connection must get to before the caps and timeouts can close it.
    static let acceptBacklog = 4096

    /// 80 % of the open-file limit (the rest is for the database, files and outbound requests),
    /// at most 4,096 connections; larger fleets set it.
    static func defaultMaxConnections(openFileLimit: Int) -> Int {
        max(16, min(4096, openFileLimit * 8 / 10))
    }

    /// Problems that make the configuration unusable, as sentences for the operator.
    func validationProblems() -> [String] {
        var problems: [String] = []
        if !(0...65535).contains(port) { problems.append("port \(port) is outside 0–65535") }
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            problems.append("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE")
        }
        if (authUser == nil) != (authPassword == nil) {
            problems.append("PULSE_AUTH_USER and PULSE_AUTH_PASS must be set together")
        }
        if appriseCLI.contains("/") && !appriseCLI.hasPrefix("/") {
            problems.append("PULSE_APPRISE_CLI must be a program name or an absolute path, got '\(appriseCLI)'")
        }
        if let publicURL, URL(string: publicURL)?.scheme.map({ ["http", "https"].contains($0) }) != true || WebOrigin(url: publicURL) == nil {
            problems.append("PULSE_PUBLIC_URL must be an http(s) URL, got '\(publicURL)'")
        }
        if let maxConnections, maxConnections < 1 { problems.append("PULSE_MAX_CONNECTIONS must be at least 1, got \(maxConnections)") }
        if maxConnectionsPerAddress < 1 {
            problems.append("PULSE_MAX_CONNECTIONS_PER_IP must be at least 1, got \(maxConnectionsPerAddress)")
        }
        if proxyAuthentication != nil, trustedProxies.ranges.isEmpty {
            problems.append("PROXY_AUTH_SECRET needs PULSE_TRUSTED_PROXY_CIDRS: proxy headers are honoured only from the proxy's address")
        }
        for origin in allowedOrigins where origin != "*" && WebOrigin(origin) == nil {
            problems.append("ALLOWED_ORIGINS entry '\(origin)' is not an origin such as https://pulse.example.com:7655")
        }
        return problems
    }
}

extension ServerConfiguration {
    /// This machine's host name, the default instance name.
    static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "pulse" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "pulse" : name
    }

    /// Which pages may open `/ws`.
    var webSocketOrigins: WebSocketOriginPolicy {
        WebSocketOriginPolicy(usesTLS: usesTLS, publicURL: publicURL, allowedOrigins: allowedOrigins)
    }
}
