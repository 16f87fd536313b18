import Alerting
import Assistant
import DemoMode
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import Notifications
import Patrol
import Persistence
import ProxmoxPolling
import PulseAPI
import PulseCore
import PulseSupport
import RemoteWrite
import ServiceLifecycle

/// A built server: the Hummingbird application plus what tests need to look inside.
struct PulseApp {
    let application: Application<RouterResponder<PulseRequestContext>>
    /// Every route with its declared access, in registration order.
    let routes: [RegisteredRoute]
    let dependencies: ServerDependencies
    /// The open connections, per client and in total.
    let connections: ConnectionAdmission
}

/// Builds the whole server from its configuration. `pulse` and the tests both call this, so
/// there is one wiring only.
func buildApplication(
    _ configuration: ServerConfiguration,
    time: any TimeSource = SystemTimeSource(),
    logger: Logger = Logger(label: "pulse"),
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> PulseApp {
    var logger = logger
    logger.handler = RecordingLogHandler(
        wrapping: logger.handler, label: logger.label, recent: configuration.recentLogs, level: configuration.runtimeLogLevel, time: time)
    logger.logLevel = configuration.logLevel
    let dependencies = try await ServerDependencies.open(configuration: configuration, time: time, logger: logger)
    let (router, routes) = buildRouter(dependencies)
    let connections = ConnectionAdmission(
        limits: .init(
            total: configuration.maxConnections ?? ServerConfiguration.defaultMaxConnections(openFileLimit: OpenFileLimit.current().soft),
            perClient: configuration.maxConnectionsPerAddress),
        proxies: configuration.trustedProxies, logger: logger)
    var services: [any Service] = [
        PersistenceFlushService(
            tokens: dependencies.tokens, state: dependencies.state, persistence: dependencies.statePersistence,
            database: dependencies.database, interval: configuration.persistenceFlushInterval, logger: logger,
            sessions: dependencies.sessions),
        OfflineDetectionService(state: dependencies.state, interval: configuration.offlineCheckInterval, logger: logger),
        MemoryTrimService(interval: configuration.memoryTrimInterval, published: dependencies.state.published, time: time),
        ProxmoxPollingService(
            store: dependencies.proxmoxInstances, state: dependencies.state, health: dependencies.schedulerHealth, logger: logger,
            time: time, options: dependencies.pollingOptions),
        MetricsSamplingService(
            state: dependencies.state, store: dependencies.metrics, charts: dependencies.charts, time: time,
            interval: configuration.metricsSampleInterval, logger: logger, remoteWrite: dependencies.remoteWrite),
        NotificationDeliveryService(
            notifier: dependencies.notifier, dispatcher: dependencies.notifications, time: time,
            interval: configuration.notificationInterval),
        AlertEvaluationService(
            engine: dependencies.alerts, state: dependencies.state, time: time, interval: configuration.alertEvaluationInterval,
            onArrival: configuration.alertsOnArrival, logger: logger),
        DiscoveryService(
            discovery: dependencies.discovery, settings: dependencies.settings, time: time, logger: logger,
            checkInterval: configuration.discoveryCheckInterval, scanInterval: configuration.discoveryScanInterval),
        ServerUpdateService(updater: dependencies.updater),
        DemoModeService(demo: dependencies.demo, checkInterval: configuration.demoCheckInterval),
        StateDocumentRefreshService(documents: dependencies.stateDocuments),
    ]
    if let interval = configuration.patrol.interval {
        services.append(PatrolService(patrol: dependencies.patrol, interval: interval, time: time))
    }
    if let remoteWrite = dependencies.remoteWrite {
        services.append(RemoteWriteService(writer: remoteWrite, interval: configuration.remoteWriteDrainInterval))
    }
    let application = Application(
        router: router,
        server: try httpServer(
            for: configuration, webSocketRouter: router, connections: connections, origins: dependencies.webSocketOrigins),
        configuration: .init(
            address: .hostname(configuration.bindAddress, port: configuration.port), serverName: "Pulse",
            backlog: ServerConfiguration.acceptBacklog),
        services: services,
        onServerRunning: onServerRunning,
        eventLoopGroupProvider: configuration.eventLoopGroup.map { .shared($0) } ?? .singleton,
        logger: logger)
    return PulseApp(application: application, routes: routes, dependencies: dependencies, connections: connections)
}

/// The router with the middleware chain (outermost first) and every route area.
func buildRouter(_ dependencies: ServerDependencies) -> (Router<PulseRequestContext>, [RegisteredRoute]) {
    let router = Router(context: PulseRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(proxies: dependencies.configuration.trustedProxies))
    router.add(middleware: RequestIDMiddleware())
    let embeddingSettings = dependencies.settings
    router.add(
        middleware: SecurityHeadersMiddleware(strictTransportSecurity: dependencies.configuration.usesTLS) {
            let current = embeddingSettings.current
            guard current.allowEmbedding else { return nil }
            return current.allowedEmbedOrigins.split(separator: ",").compactMap { WebOrigin(url: String($0)) }
        })
    router.add(middleware: ErrorMiddleware())
    router.add(
        middleware: AuthenticationMiddleware(
            tokens: dependencies.tokens, sessions: dependencies.sessions,
            proxyAuthentication: dependencies.configuration.proxyAuthentication,
            trustedProxies: dependencies.configuration.trustedProxies, audit: dependencies.audit, recovery: dependencies.recovery))
    router.add(
        middleware: RateLimitMiddleware(limiter: dependencies.rateLimiter, policy: dependencies.configuration.rateLimits))
    router.add(middleware: ReadYourWritesMiddleware(documents: dependencies.stateDocuments))

    let routes = ScopedRouter(router: router, webSocketOrigins: dependencies.webSocketOrigins)
    HealthRoutes(database: dependencies.database, time: dependencies.time, startedAt: dependencies.startedAt, updater: dependencies.updater)
        .register(on: routes)
    OpenAPIRoutes().register(on: routes)
    StateRoutes(state: dependencies.state, documents: dependencies.stateDocuments).register(on: routes)
    ResourceRoutes(state: dependencies.state, time: dependencies.time).register(on: routes)
    let settings = dependencies.settings
    let publicURL: @Sendable () -> String? = { settings.current.publicURL.isEmpty ? nil : settings.current.publicURL }
    let applySettings: @Sendable (SystemSettings) async -> Void = { updated in
        await RuntimeSettings.apply(updated, locked: settings.locked, to: dependencies)
    }
    let systemSettings = SystemSettingsRoutes(
        live: settings, documents: dependencies.settingsDocuments, audit: dependencies.audit, applied: applySettings)
    systemSettings.register(on: routes)
    MockModeRoutes(demo: dependencies.demo, audit: dependencies.audit).register(on: routes)
    LogRoutes(
        recent: dependencies.configuration.recentLogs, level: dependencies.configuration.runtimeLogLevel, settings: systemSettings,
        audit: dependencies.audit, time: dependencies.time
    ).register(on: routes)
    UISettingsRoutes(documents: dependencies.settingsDocuments, system: dependencies.settings).register(on: routes)
    let configSummary = ConfigSummaryRoutes(
        store: dependencies.proxmoxInstances, state: dependencies.state, alerts: dependencies.alerts, settings: settings)
    configSummary.register(on: routes)
    let remoteWrite = dependencies.remoteWrite
    let remoteWriteStatistics: @Sendable () async -> RemoteWriteStatistics? = { await remoteWrite?.statistics() }
    DiagnosticsRoutes(
        cache: DiagnosticsCache(
            collector: DiagnosticsCollector(
                state: dependencies.state, scheduler: dependencies.schedulerHealth, configuration: configSummary,
                logs: dependencies.configuration.recentLogs,
                databaseFiles: [dependencies.dataDirectory.databasePath, dependencies.dataDirectory.metricsDatabasePath],
                startedAt: dependencies.startedAt, time: dependencies.time, remoteWrite: remoteWriteStatistics)),
        logs: dependencies.configuration.recentLogs
    ).register(on: routes)
    MetadataRoutes(state: dependencies.state, table: MetadataTable(database: dependencies.database)).register(on: routes)
    AgentReportRoutes(
        state: dependencies.state, time: dependencies.time, gate: ConcurrencyGate(limit: dependencies.configuration.reportConcurrency)
    ).register(on: routes)
    let hostControls = HostAgentControlTable(database: dependencies.database)
    AgentLifecycleRoutes(state: dependencies.state, tokens: dependencies.tokens, controls: hostControls).register(on: routes)
    HostAgentControlRoutes(state: dependencies.state, table: hostControls).register(on: routes)
    InfraUpdateRoutes(state: dependencies.state).register(on: routes)
    LiveRoutes(feed: dependencies.liveFeed).register(on: routes)
    TokenRoutes(tokens: dependencies.tokens, audit: dependencies.audit).register(on: routes)
    SecurityRoutes(
        users: dependencies.users, tokens: dependencies.tokens, bootstrap: dependencies.bootstrap,
        sessions: dependencies.sessions, audit: dependencies.audit,
        time: dependencies.time, usesTLS: dependencies.configuration.usesTLS,
        proxyAuthentication: dependencies.configuration.proxyAuthentication, oidc: dependencies.oidc.settings,
        systemSettings: dependencies.settings
    ).register(on: routes)
    OIDCRoutes(
        signIn: dependencies.oidc, sessions: dependencies.sessions, audit: dependencies.audit,
        usesTLS: dependencies.configuration.usesTLS, publicURL: publicURL
    ).register(on: routes)
    RecoveryRoutes(recovery: dependencies.recovery, audit: dependencies.audit).register(on: routes)
    DownloadRoutes(catalog: dependencies.agentBinaries).register(on: routes)
    ProxmoxConfigRoutes(store: dependencies.proxmoxInstances, state: dependencies.state, audit: dependencies.audit, time: dependencies.time)
        .register(on: routes)
    ProxmoxReadRoutes(state: dependencies.state, schedulerHealth: dependencies.schedulerHealth).register(on: routes)
    DiscoveryRoutes(discovery: dependencies.discovery, store: dependencies.proxmoxInstances).register(on: routes)
    AutoRegistrationRoutes(
        store: dependencies.proxmoxInstances, codes: dependencies.setupCodes, publicURL: publicURL,
        usesTLS: dependencies.configuration.usesTLS, audit: dependencies.audit, state: dependencies.state
    ).register(on: routes)
    LoginRoutes(
        users: dependencies.users, sessions: dependencies.sessions, lockout: dependencies.lockout, audit: dependencies.audit,
        time: dependencies.time, usesTLS: dependencies.configuration.usesTLS
    ).register(on: routes)
    ConfigTransferRoutes(
        store: dependencies.proxmoxInstances, alerts: dependencies.alerts, notifications: dependencies.notificationConfigs,
        audit: dependencies.audit, time: dependencies.time, state: dependencies.state,
        metadata: MetadataTable(database: dependencies.database), systemSettings: systemSettings
    ).register(on: routes)
    AlertRoutes(engine: dependencies.alerts, time: dependencies.time, audit: dependencies.audit).register(on: routes)
    AlertIncidentRoutes(incidents: dependencies.incidents, time: dependencies.time).register(on: routes)
    PrometheusRoutes(
        state: dependencies.state, access: dependencies.configuration.metricsAccess, remoteWrite: remoteWriteStatistics,
        historyFallbacks: dependencies.history.fallbacks
    ).register(on: routes)
    DashboardRoutes().register(on: routes)
    UpdateRoutes(updater: dependencies.updater, audit: dependencies.audit).register(on: routes)
    NotificationRoutes(
        configs: dependencies.notificationConfigs, notifier: dependencies.notifier, dispatcher: dependencies.notifications,
        time: dependencies.time, audit: dependencies.audit
    ).register(on: routes)
    MetricsRoutes(store: dependencies.metrics, history: dependencies.history, time: dependencies.time).register(on: routes)
    AISettingsRoutes(configuration: dependencies.assistant.configuration, audit: dependencies.audit, time: dependencies.time)
        .register(on: routes)
    AIAssistantRoutes(assistant: dependencies.assistant).register(on: routes)
    AICostRoutes(
        usage: dependencies.assistant.usage, configuration: dependencies.assistant.configuration, audit: dependencies.audit,
        time: dependencies.time
    ).register(on: routes)
    AIOAuthRoutes(configuration: dependencies.assistant.configuration, audit: dependencies.audit).register(on: routes)
    PatrolRoutes(patrol: dependencies.patrol, audit: dependencies.audit, time: dependencies.time).register(on: routes)
    LicenseRoutes(store: dependencies.license, audit: dependencies.audit).register(on: routes)
    AgentInstallRoutes(
        tokens: dependencies.tokens, signingKey: dependencies.agentSigningKey, audit: dependencies.audit,
        publicURL: publicURL,
        usesTLS: dependencies.configuration.usesTLS, agentVersion: dependencies.configuration.agentVersion
    ).register(on: routes)
    return (router, routes.routes)
}

/// HTTP/1.1 with WebSocket upgrades (through the same router, so upgrades pass the same
/// authentication and rate limits), behind the connection guards (`GuardedHTTPChannel`), wrapped
/// in TLS when a certificate and key are configured (TLS first, so the guards see the plain
/// HTTP and a handshake that never finishes still meets the header timeout).
private func httpServer(
    for configuration: ServerConfiguration, webSocketRouter: Router<PulseRequestContext>, connections: ConnectionAdmission,
    origins: @escaping @Sendable () -> WebSocketOriginPolicy
) throws -> HTTPServerBuilder {
    let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
        http1: .init(idleTimeout: TimeAmount(configuration.idleTimeout)),
        ws: .init(extensions: [.init { LiveFeedDeflate.Builder() }]))
    let headerTimeout = TimeAmount(configuration.headerTimeout)
    var tls: TLSConfiguration?
    if let certificateFile = configuration.tlsCertificateFile, let keyFile = configuration.tlsKeyFile {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
    let webSocketResponder = webSocketRouter.buildResponder()
    return HTTPServerBuilder { [tls] responder in
        let guarded = GuardedHTTPChannel(
            base: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: channelConfiguration),
            admission: connections, headerTimeout: headerTimeout,
            firstRequestHandlers: { [ForeignOriginUpgradeHandler(policy: origins())] })
        guard let tls else { return guarded }
        return try TLSChannel(guarded, tlsConfiguration: tls)
    }
}
