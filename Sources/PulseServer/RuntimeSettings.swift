import Foundation
import Logging
import Notifications
import Persistence
import ProxmoxPolling
import PulseAPI
import PulseCore
import Synchronization

/// Puts the run-time system settings in force: at start from the stored document (the
/// configuration's values where a flag or variable fixed them, or where nothing is stored yet),
/// and after each change through the API.
enum RuntimeSettings {
    /// The settings as the configuration gives them: the starting point before anything is stored.
    static func fromConfiguration(_ configuration: ServerConfiguration) -> SystemSettings {
        var settings = SystemSettings()
        overlay(configuration, onto: &settings, keys: Set(SystemSettings.keys))
        return settings
    }

    /// Copies the configuration's value of each of `keys` it has onto `settings`.
    static func overlay(_ configuration: ServerConfiguration, onto settings: inout SystemSettings, keys: Set<String>) {
        let seconds = { (interval: TimeInterval) in max(1, Int(interval.rounded())) }
        if keys.contains("pvePollingInterval") { settings.pvePollingInterval = seconds(configuration.pvePollingInterval) }
        if keys.contains("pbsPollingInterval") { settings.pbsPollingInterval = seconds(configuration.pbsPollingInterval) }
        if keys.contains("pmgPollingInterval") { settings.pmgPollingInterval = seconds(configuration.pmgPollingInterval) }
        if keys.contains("publicURL") { settings.publicURL = configuration.publicURL ?? "" }
        if keys.contains("allowedOrigins") { settings.allowedOrigins = configuration.allowedOrigins.joined(separator: ",") }
        if keys.contains("logLevel") { settings.logLevel = RuntimeLogLevel.pulseName(of: configuration.logLevel) }
        let retention = configuration.metricsRetention
        if keys.contains("metricsRetentionRawHours") { settings.metricsRetentionRawHours = max(1, Int(retention.raw / 3600)) }
        if keys.contains("metricsRetentionMinuteHours") { settings.metricsRetentionMinuteHours = max(1, Int(retention.minute / 3600)) }
        if keys.contains("metricsRetentionHourlyDays") { settings.metricsRetentionHourlyDays = max(1, Int(retention.hourly / 86_400)) }
        if keys.contains("metricsRetentionDailyDays") { settings.metricsRetentionDailyDays = max(1, Int(retention.daily / 86_400)) }
    }

    /// The stored settings (nil when none), with the locked keys taken from the configuration.
    static func load(_ documents: NamedDocuments, configuration: ServerConfiguration) throws -> (live: LiveSettings, stored: Bool) {
        let stored = try documents.loadAll()[SystemSettingsRoutes.documentName].map { try JSONDecoder().decode(SystemSettings.self, from: $0) }
        var settings = stored ?? fromConfiguration(configuration)
        overlay(configuration, onto: &settings, keys: configuration.lockedSettings)
        return (LiveSettings(settings, locked: configuration.lockedSettings), stored != nil)
    }

    /// Tells the services that hold a copy of a setting its new value; locked keys stay as the
    /// configuration set them.
    static func apply(_ settings: SystemSettings, locked: Set<String>, to dependencies: ServerDependencies) async {
        await apply(
            settings, locked: locked, scheduler: dependencies.schedulerHealth, polling: dependencies.pollingOptions,
            metrics: dependencies.metrics, logLevel: dependencies.configuration.runtimeLogLevel)
        await dependencies.state.setTemperatureMonitoring(settings.temperatureMonitoringEnabled)
        let privateTargets = settings.webhookAllowedPrivateCIDRs.split(separator: ",").map(String.init)
        if await dependencies.notificationConfigs.config.settings.allowedPrivateTargets != privateTargets {
            _ = try? await dependencies.notificationConfigs.update { $0.settings.allowedPrivateTargets = privateTargets }
        }
    }

    /// The part of `apply` the services built before the dependencies need.
    static func apply(
        _ settings: SystemSettings, locked: Set<String>, scheduler: SchedulerHealth, polling: PollingOptions, metrics: SQLiteMetricsStore,
        logLevel: RuntimeLogLevel
    ) async {
        polling.set(
            PollingOptions.Values(
                backupsEnabled: settings.backupPollingEnabled, backupInterval: Double(settings.backupPollingInterval),
                requestTimeout: .seconds(settings.connectionTimeout)))
        var intervals: [ProxmoxProduct: TimeInterval] = [:]
        if !locked.contains("pvePollingInterval") { intervals[.pve] = TimeInterval(settings.pvePollingInterval) }
        if !locked.contains("pbsPollingInterval") { intervals[.pbs] = TimeInterval(settings.pbsPollingInterval) }
        if !locked.contains("pmgPollingInterval") { intervals[.pmg] = TimeInterval(settings.pmgPollingInterval) }
        await scheduler.setIntervals(intervals)
        if !locked.contains("metricsRetentionRawHours") {
            metrics.setRetention(
                MetricsRetention(
                    raw: TimeInterval(settings.metricsRetentionRawHours) * 3600, minute: TimeInterval(settings.metricsRetentionMinuteHours) * 3600,
                    hourly: TimeInterval(settings.metricsRetentionHourlyDays) * 86_400,
                    daily: TimeInterval(settings.metricsRetentionDailyDays) * 86_400))
        }
        if !locked.contains("logLevel") { logLevel.level = RuntimeLogLevel.level(named: settings.logLevel) }
    }
}

/// A stream log handler whose level is the run-time level (`RuntimeLogLevel.shared`), unless
/// this logger's own level was set.
struct RuntimeLevelLogHandler: LogHandler {
    var stream: StreamLogHandler
    /// A level set on this logger alone; nil: the run-time level.
    private var ownLevel: Logger.Level?

    init(stream: StreamLogHandler) {
        self.stream = stream
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? RuntimeLogLevel.shared.level }
        set { ownLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        stream.log(event: event)
    }
}
