package import AgentProtocol
import Foundation
import Hummingbird
package import Logging
package import Persistence
package import PulseSupport

/// The server's self-update: checks the release feed, plans, and queues updates and rollbacks,
/// which `ServerUpdateService` carries out one at a time (`ServerUpdater+Jobs.swift`).
///
/// At most one job is queued or running, and once one has asked for a restart nothing more is
/// accepted: the next job belongs to the binary that starts next.
package actor ServerUpdater {
    package nonisolated let settings: UpdateSettings
    package nonisolated let history: UpdateHistory
    package nonisolated let progress: UpdateProgress
    let database: PulseDatabase
    let restarter: any ServerRestarter
    let time: any TimeSource
    let logger: Logger
    /// The channel followed when a request names none (the `updateChannel` setting).
    let defaultChannel: @Sendable () -> ReleaseFeed.Channel
    let client: ReleaseFeedClient

    /// The newest check's answer, for `/api/version`.
    package private(set) var lastCheck: UpdateInfo?
    /// A job has been accepted and not finished (also while its request is still being checked).
    var busy = false
    /// A job finished and asked for a restart.
    var restartPending = false
    let jobs: AsyncStream<Job>
    let queue: AsyncStream<Job>.Continuation

    enum Job: Sendable {
        case update(UpdateHistoryEntry, ReleaseFeed.Release, ReleaseFeed.Archive)
        case rollback(UpdateHistoryEntry, update: UpdateHistoryEntry)
    }

    package init(
        settings: UpdateSettings, database: PulseDatabase, restarter: any ServerRestarter, time: any TimeSource, logger: Logger,
        defaultChannel: @escaping @Sendable () -> ReleaseFeed.Channel
    ) {
        self.settings = settings
        history = UpdateHistory(path: settings.historyPath)
        progress = UpdateProgress(time: time)
        self.database = database
        self.restarter = restarter
        self.time = time
        self.logger = logger
        self.defaultChannel = defaultChannel
        client = ReleaseFeedClient(settings: settings)
        (jobs, queue) = AsyncStream.makeStream(of: Job.self)
    }

    // MARK: Check and plan

    /// The newest release on `channel` (the setting when nil) against the running version.
    package func check(channel: ReleaseFeed.Channel?) async throws -> UpdateInfo {
        let channel = channel ?? defaultChannel()
        let current = settings.runningVersion
        let refusal = settings.applyRefusal
        guard settings.feedURL != nil else {
            return info(channel: channel, release: nil, warning: "No release feed is configured (PULSE_UPDATE_SERVER)")
        }
        let reportsProgress = !busy && !restartPending
        if reportsProgress { progress.set(.checking, 0, "Checking \(channel.rawValue) releases") }
        let feed: ReleaseFeed
        do {
            feed = try await client.feed()
        } catch {
            if reportsProgress { progress.set(.error, 0, "Update check failed", error: "\(error)") }
            throw APIError(.badGateway, code: .feedUnavailable, message: "\(error)")
        }
        let newest = feed.newest(on: channel, for: settings.platform)
        let result = info(
            channel: channel, release: newest,
            warning: newest == nil ? "The feed offers no \(channel.rawValue) release for \(settings.platform)" : refusal)
        lastCheck = result
        if reportsProgress {
            progress.set(.idle, 100, result.available ? "Update available: \(result.latestVersion)" : "Pulse \(current) is up to date")
        }
        return result
    }

    private func info(channel: ReleaseFeed.Channel, release: ReleaseFeed.Release?, warning: String?) -> UpdateInfo {
        let available = release.map { release in SemanticVersion(settings.runningVersion).map { release.version > $0 } ?? false } ?? false
        return UpdateInfo(
            available: available, currentVersion: settings.runningVersion, latestVersion: release?.version.description ?? settings.runningVersion,
            releaseNotes: release?.notes ?? "", releaseDate: release?.date.flatMap(RFC3339.format) ?? "0001-01-01T00:00:00Z",
            downloadUrl: release?.archive(for: settings.platform)?.url ?? "", isPrerelease: release?.version.isPrerelease ?? false,
            channel: channel.rawValue, deploymentType: settings.deployment.rawValue, canAutoUpdate: available && settings.applyRefusal == nil,
            warning: warning)
    }

    /// What applying `version` would do here.
    package func plan(version: SemanticVersion, channel: ReleaseFeed.Channel?) async throws -> UpdatePlan {
        let channel = channel ?? defaultChannel()
        let feed = try await readFeed()
        guard let release = feed.release(version), release.isOffered(on: channel), let archive = release.archive(for: settings.platform) else {
            throw APIError.notFound("The release feed has no \(version) for \(settings.platform) on the \(channel.rawValue) channel")
        }
        let newer = SemanticVersion(settings.runningVersion).map { version > $0 } ?? false
        let refusal =
            settings.applyRefusal
            ?? (newer ? nil : "\(version) is not newer than the running \(settings.runningVersion); a rollback undoes an update")
        let binary = settings.binaryPath
        return UpdatePlan(
            version: version.description, channel: channel.rawValue, canAutoUpdate: refusal == nil, requiresRoot: false,
            rollbackSupport: true, estimatedTime: "1-2 minutes", downloadUrl: archive.url,
            instructions: refusal
                ?? "Apply it from the dashboard or with POST /api/updates/apply {\"downloadUrl\": …}: the server installs it and restarts",
            prerequisites: ["The release key (PULSE_UPDATE_PUBLIC_KEY)", "Write access to \((binary as NSString).deletingLastPathComponent)"],
            steps: [
                "Download \(archive.url)", "Check its SHA-256 and its Ed25519 signature", "Unpack it and run the new binary's --version",
                "Back up the database and keys under \(settings.backupsFolder)",
                "Replace \(binary), keeping the old binary as \(settings.previousBinaryPath)",
                settings.deployment == .systemd ? "Exit, for systemd to start the new binary" : "Start the new binary in place of this process",
            ])
    }

    func readFeed() async throws -> ReleaseFeed {
        guard settings.feedURL != nil else {
            throw APIError(.conflict, code: .feedNotConfigured, message: "No release feed is configured (PULSE_UPDATE_SERVER)")
        }
        do {
            return try await client.feed()
        } catch {
            throw APIError(.badGateway, code: .feedUnavailable, message: "\(error)")
        }
    }
}

extension APIError.Code {
    /// `PULSE_UPDATE_SERVER` is not set.
    static let feedNotConfigured = Self(rawValue: "feed_not_configured")
    /// The release feed could not be read.
    static let feedUnavailable = Self(rawValue: "feed_unavailable")
    /// This server cannot install updates (Docker, no release key, a read-only binary folder).
    static let updateNotPossible = Self(rawValue: "update_not_possible")
    /// Another update or rollback is queued or running, or a restart is pending.
    static let updateInProgress = Self(rawValue: "update_in_progress")
    /// The release is not newer than the running version.
    static let downgradeRefused = Self(rawValue: "downgrade_refused")
    /// The update named cannot be rolled back.
    static let rollbackNotPossible = Self(rawValue: "rollback_not_possible")
}
