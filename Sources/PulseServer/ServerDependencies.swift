import AgentProtocol
import Alerting
import Assistant
import CurlHTTP
import DemoMode
import Foundation
import HistoryQuery
import Logging
import NIOPosix
import Notifications
import Patrol
import Persistence
import ProxmoxPolling
import PulseAPI
import PulseCore
import PulseSupport
import RemoteWrite

/// The long-lived parts of a running server, opened once at start and shared by routes and
/// services.
struct ServerDependencies: Sendable {
    let configuration: ServerConfiguration
    let time: any TimeSource
    let startedAt: Date
    let dataDirectory: DataDirectory
    let database: PulseDatabase
    let secrets: SecretStore
    let tokens: TokenRegistry
    let users: UserStore
    let bootstrap: BootstrapToken
    let state: MonitoringState
    let statePersistence: StatePersistence
    let liveFeed: LiveStateFeed
    /// The encoded state shared by `/api/state` and `/ws`.
    let stateDocuments: StateDocuments
    let rateLimiter: RateLimiter
    let agentBinaries: AgentBinaryCatalog
    let agentSigningKey: AgentSigningKey
    let proxmoxInstances: ProxmoxInstanceStore
    let schedulerHealth: SchedulerHealth
    /// Backup reads and the Proxmox request timeout, from the system settings.
    let pollingOptions: PollingOptions
    let setupCodes: SetupCodes
    let alerts: AlertEngine
    /// Alert incident timelines, fed by `alerts`.
    let incidents: AlertIncidents
    let sessions: SessionStore
    let lockout: LoginLockout
    let audit: AuditLog
    /// Recovery tokens and the window without authentication for loopback clients.
    let recovery: RecoveryMode
    let metrics: SQLiteMetricsStore
    let charts: ChartBuffers
    /// Where history and charts are read: the local store, or the configured engine with the
    /// local store as its fallback.
    let history: HistoryReader
    let notificationConfigs: NotificationConfigStore
    let notifier: Notifier
    let notifications: NotificationDispatcher
    /// The run-time system settings in force.
    let settings: LiveSettings
    /// Named settings documents: the system settings and each user's dashboard settings.
    let settingsDocuments: NamedDocuments
    /// Single sign-on: the settings in force and the logins under way.
    let oidc: OIDCSignIn
    /// Network discovery: the newest results and the one scan at a time.
    let discovery: NetworkDiscovery
    /// The server's self-update: checks, the job queue, progress and history.
    let updater: ServerUpdater
    /// The generated estate of demo mode, on or off.
    let demo: DemoMode
    /// Prometheus remote write and its queue, when a receiver is configured.
    let remoteWrite: RemoteWriter?
    /// The assistant: provider settings and keys, the tool loop, token use.
    let assistant: Assistant
    /// Patrol: its detectors, findings book and run events.
    let patrol: Patrol
    /// The activated license (this build gates nothing).
    let license: LicenseStore

    /// Opens the data folder and database, applies start-up configuration (admin user, raw API
    /// tokens from the environment) and writes the bootstrap token while no admin exists.
    static func open(configuration: ServerConfiguration, time: any TimeSource, logger: Logger) async throws -> ServerDependencies {
        let dataDirectory = DataDirectory(path: configuration.dataDirectory)
        // Creating folders, migrating SQLite and writing the key file wait on the disk (fsync):
        // on NIO's blocking pool, not on Swift concurrency's few threads.
        let retention = configuration.metricsRetention
        let remoteWriteFolder = dataDirectory.remoteWriteQueuePath
        let (database, box, metrics, signingKey, remoteWrite) = try await NIOThreadPool.singleton.runIfActive {
            try dataDirectory.prepare()
            let database = try PulseDatabase(path: dataDirectory.databasePath)
            let box = try SecretBox.loadOrCreate(
                path: dataDirectory.encryptionKeyPath, sealedSecretsExist: try SecretStore.anyExist(in: database))
            let metrics = try SQLiteMetricsStore(path: dataDirectory.metricsDatabasePath, retention: retention)
            let signingKey = try AgentSigningKey.loadOrCreate(path: dataDirectory.agentSigningKeyPath)
            let remoteWrite = try configuration.remoteWrite.map {
                try RemoteWriter(settings: $0, folder: remoteWriteFolder, time: time, logger: logger)
            }
            return (database, box, metrics, signingKey, remoteWrite)
        }
        let tokens = try TokenRegistry(database: database, time: time)
        for (index, raw) in configuration.apiTokens.enumerated() {
            try await tokens.adopt(raw: raw, name: "API_TOKENS #\(index + 1)", scopes: [.wildcard])
        }
        let users = UserStore(database: database, bcryptCost: configuration.passwordHashCost)
        if let username = configuration.authUser, let password = configuration.authPassword {
            try await users.setPassword(password, for: username, at: time.now())
        }
        let bootstrap = BootstrapToken(path: dataDirectory.bootstrapTokenPath)
        if try !users.hasUsers() {
            if try await bootstrap.ensureExists() {
                logger.notice("first run: bootstrap token written", metadata: ["path": .string(bootstrap.path)])
            }
        } else if await bootstrap.isActive {
            await bootstrap.consume()
        }
        let statePersistence = StatePersistence(database: database)
        let changes = StateChanges()
        let state = MonitoringState(time: time, changes: changes, limits: configuration.enrolmentLimits)
        let saved = try statePersistence.load()
        await state.restore(saved)
        logger.info(
            "agent state restored",
            metadata: [
                "hosts": .stringConvertible(saved.hosts.count), "dockerHosts": .stringConvertible(saved.dockerHosts.count),
                "kubernetesClusters": .stringConvertible(saved.kubernetesClusters.count),
            ])
        await state.loadMetadata(try MetadataTable(database: database).all())
        await state.loadHostControls(try HostAgentControlTable(database: database).all())
        if saved.unreadable > 0 {
            logger.warning("some saved agent records could not be read and were skipped", metadata: ["count": .stringConvertible(saved.unreadable)])
        }
        let secrets = SecretStore(database: database, box: box)
        let alerts = try AlertEngine(database: database, logger: logger) { await state.setActiveAlerts($0) }
        let notificationConfigs = try NotificationConfigStore(secrets: secrets, time: time)
        let notificationQueue = Notifications.NotificationQueue(database: database)
        let notifier = Notifier(configs: notificationConfigs, queue: notificationQueue, time: time, logger: logger)
        let settingsDocuments = NamedDocuments(database: database, table: "settingsDocument")
        let (settings, settingsStored) = try RuntimeSettings.load(settingsDocuments, configuration: configuration)
        let schedulerHealth = SchedulerHealth(
            time: time,
            intervals: [.pve: configuration.pvePollingInterval, .pbs: configuration.pbsPollingInterval, .pmg: configuration.pmgPollingInterval])
        let pollingOptions = PollingOptions(
            .init(
                backupsEnabled: settings.current.backupPollingEnabled, backupInterval: Double(settings.current.backupPollingInterval),
                requestTimeout: .seconds(settings.current.connectionTimeout)))
        if settingsStored {
            await RuntimeSettings.apply(
                settings.current, locked: settings.locked, scheduler: schedulerHealth, polling: pollingOptions, metrics: metrics,
                logLevel: configuration.runtimeLogLevel)
            await state.setTemperatureMonitoring(settings.current.temperatureMonitoringEnabled)
        } else {
            // Nothing stored yet: the private webhook targets are the notification settings' own.
            var current = settings.current
            current.webhookAllowedPrivateCIDRs = await notificationConfigs.config.settings.allowedPrivateTargets.joined(separator: ",")
            settings.replace(with: current)
        }
        await alerts.addSink(notifier)
        let incidents = try AlertIncidents(database: database, logger: logger)
        await alerts.addActivitySink(incidents)
        let oidcSettings = try LiveOIDCSettings(documents: settingsDocuments, secrets: secrets, fixed: configuration.oidc, time: time)
        let audit = AuditLog(database: database, time: time, logger: logger)
        let demo = DemoMode(state: state, time: time, configuration: configuration.demoMode, logger: logger)
        if configuration.demoModeEnabled { await demo.change(enabled: true) }
        let recovery = RecoveryMode(time: time) { ending in
            guard case .expired(let until) = ending else { return }
            audit.record("recovery_auth_expired", actor: nil, ip: nil, details: "authentication on again at \(RFC3339.format(until) ?? "?")")
        }
        let charts = ChartBuffers()
        if let engine = configuration.historyEngine {
            // The URL holds no credentials (refused at start); they travel in a header only.
            logger.info(
                "history and charts read from a time-series engine, the local store as fallback",
                metadata: ["url": .string(engine.url), "pulse_instance": .string(engine.instanceName), "auth": .string(engine.authorization.kind)])
        }
        let history = HistoryReader(
            local: LocalHistory(store: metrics, charts: charts), engine: configuration.historyEngine.map(EngineHistory.init(settings:)),
            fallbacks: HistoryFallbacks(time: time, logger: logger))
        let stateDocuments = StateDocuments(state: state, time: time, maxStaleness: configuration.stateMaxStaleness)
        let assistant = Assistant(
            configuration: try AIConfiguration(documents: settingsDocuments, secrets: secrets),
            tools: AssistantTools(
                data: AssistantData(
                    snapshot: { await state.snapshot() },
                    history: { series, start, end in try await history.history(series, from: start, to: end, limit: 2_000).samples },
                    now: { time.now() })),
            usage: AIUsageTable(database: database), time: time)
        let updater = try await openUpdater(
            configuration: configuration, dataDirectory: dataDirectory, database: database, settings: settings, time: time, logger: logger)
        var patrolSettings = Patrol.Settings(interval: configuration.patrol.interval)
        patrolSettings.thresholds.backupMaxAge = configuration.patrol.backupMaxAge
        patrolSettings.expectedAgentVersion = configuration.agentVersion
        patrolSettings.notify = configuration.patrol.notify
        let proxmoxInstances = try ProxmoxInstanceStore(database: database, box: box)
        let patrol = Patrol(
            book: try PatrolBook(documents: PatrolDocuments(database: database)), settings: patrolSettings,
            snapshot: { await state.snapshot() }, history: metrics, time: time, logger: logger,
            explainer: AssistantFindingExplainer(assistant: assistant), notifier: PatrolNotifications(notifier: notifier, time: time),
            certificates: PatrolCertificates(reader: InstanceCertificates(store: proxmoxInstances)))
        let license = try LicenseStore(
            database: database, publicKey: configuration.patrol.licensePublicKey.flatMap(LicenseDocument.publicKey(from:)), time: time)
        return ServerDependencies(
            configuration: configuration, time: time, startedAt: time.now(), dataDirectory: dataDirectory,
            database: database, secrets: secrets, tokens: tokens, users: users,
            bootstrap: bootstrap, state: state, statePersistence: statePersistence,
            liveFeed: LiveStateFeed(
                changes: changes, documents: stateDocuments, minimumInterval: configuration.liveUpdateInterval,
                sendTimeout: configuration.liveSendTimeout),
            stateDocuments: stateDocuments,
            rateLimiter: RateLimiter(time: time),
            agentBinaries: AgentBinaryCatalog(directory: configuration.binDirectory, signingKey: signingKey),
            agentSigningKey: signingKey,
            proxmoxInstances: proxmoxInstances,
            schedulerHealth: schedulerHealth, pollingOptions: pollingOptions,
            setupCodes: SetupCodes(time: time),
            alerts: alerts, incidents: incidents,
            sessions: try SessionStore(database: database, time: time),
            lockout: LoginLockout(time: time),
            audit: audit, recovery: recovery,
            metrics: metrics,
            charts: charts, history: history,
            notificationConfigs: notificationConfigs, notifier: notifier,
            notifications: NotificationDispatcher(
                queue: notificationQueue,
                sender: NotificationSender(
                    configs: notificationConfigs,
                    appriseCLI: AppriseCLI(configured: configuration.appriseCLI, searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "")),
                logger: logger),
            settings: settings, settingsDocuments: settingsDocuments, oidc: OIDCSignIn(settings: oidcSettings, time: time),
            discovery: NetworkDiscovery(scanner: DiscoveryScanner(probe: configuration.discoveryProbe), time: time, logger: logger),
            updater: updater, demo: demo, remoteWrite: remoteWrite, assistant: assistant, patrol: patrol, license: license)
    }

    /// The self-update as configured; an update or rollback a stopped server left unfinished is
    /// marked failed (nothing will finish it).
    private static func openUpdater(
        configuration: ServerConfiguration, dataDirectory: DataDirectory, database: PulseDatabase, settings: LiveSettings,
        time: any TimeSource, logger: Logger
    ) async throws -> ServerUpdater {
        let options = configuration.updates
        var updateSettings = UpdateSettings(
            binaryPath: options.binaryPath ?? ServerPlatform.executablePath, dataDirectory: dataDirectory.url.path,
            runningVersion: options.runningVersion, deployment: options.deployment ?? DeploymentKind.detect())
        updateSettings.feedURL = options.feedURL
        updateSettings.releaseKey = options.releaseKey
        updateSettings.allowedPrivateTargets = options.allowedPrivateTargets
        let updater = ServerUpdater(
            settings: updateSettings, database: database, restarter: options.restarter, time: time, logger: logger,
            defaultChannel: { ReleaseFeed.Channel(rawValue: settings.current.updateChannel) ?? .stable })
        try await updater.history.failUnfinished(reason: "the server stopped before the job finished")
        return updater
    }
}

extension ServerDependencies {
    /// Which pages may open `/ws`, from the settings in force (allowed origins and public URL
    /// change at run time).
    var webSocketOrigins: @Sendable () -> WebSocketOriginPolicy {
        let settings = settings
        let usesTLS = configuration.usesTLS
        return {
            let current = settings.current
            return WebSocketOriginPolicy(
                usesTLS: usesTLS, publicURL: current.publicURL.isEmpty ? nil : current.publicURL,
                allowedOrigins: current.allowedOrigins.split(separator: ",").map(String.init))
        }
    }
}
