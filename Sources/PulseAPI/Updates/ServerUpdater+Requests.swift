import AgentProtocol
import Foundation
import Hummingbird
import PulseSupport

extension ServerUpdater {
    /// Queues the installation of the feed's archive at `downloadURL`. Refused at once when this
    /// server cannot install updates, another job is under way, the URL is not an archive of
    /// this platform in the feed, or its release is not newer than the running version; what can
    /// only be found out from the archive (checksum, signature, a complete unpack) fails the job.
    package func apply(downloadURL: String, initiatedVia: String) async throws -> UpdateHistoryEntry {
        if let refusal = settings.applyRefusal { throw APIError(.conflict, code: .updateNotPossible, message: refusal) }
        try reserve()
        var reserved = true
        defer { if reserved { busy = false } }
        let feed = try await readFeed()
        guard let (release, archive) = feed.archive(at: downloadURL, for: settings.platform) else {
            throw APIError.badRequest("downloadUrl is not a \(settings.platform) archive in the release feed", field: "downloadUrl")
        }
        guard let running = SemanticVersion(settings.runningVersion), release.version > running else {
            throw APIError(
                .conflict, code: .downgradeRefused,
                message: "\(release.version) is not newer than the running \(settings.runningVersion); a rollback undoes an update")
        }
        let entry = UpdateHistoryEntry(
            action: .update, version: release.version.description, fromVersion: settings.runningVersion, channel: release.channel.rawValue,
            timestamp: time.now(), initiatedVia: initiatedVia)
        try await history.record(entry)
        queue.yield(.update(entry, release, archive))
        reserved = false
        return entry
    }

    /// Queues the rollback of the update `eventID`: the newest completed update, not rolled back
    /// yet, whose data backup and previous binary are still there.
    package func rollback(eventID: String, initiatedVia: String) async throws -> UpdateHistoryEntry {
        if settings.deployment == .docker {
            throw APIError(.conflict, code: .updateNotPossible, message: "Pulse runs in Docker: run the previous image instead")
        }
        guard let update = await history.entry(id: eventID) else {
            throw APIError.notFound("No update history entry \(eventID)")
        }
        let refusal = await rollbackRefusal(of: update)
        if let refusal { throw APIError(.conflict, code: .rollbackNotPossible, message: refusal) }
        try reserve()
        let entry = UpdateHistoryEntry(
            action: .rollback, version: update.fromVersion, fromVersion: settings.runningVersion, channel: update.channel,
            timestamp: time.now(), initiatedVia: initiatedVia, relatedEventID: update.id)
        do {
            try await history.record(entry)
        } catch {
            busy = false
            throw error
        }
        queue.yield(.rollback(entry, update: update))
        return entry
    }

    private func rollbackRefusal(of update: UpdateHistoryEntry) async -> String? {
        guard update.action == .update, update.status == .completed else { return "Only a completed update can be rolled back" }
        guard let (newest, rolledBack) = await history.latestCompletedUpdate(), newest.id == update.id else {
            return "Only the newest completed update can be rolled back"
        }
        if rolledBack { return "This update has been rolled back already" }
        guard let backup = update.backupPath, DataBackup.exists(backup) else { return "The update's data backup is gone" }
        guard ReleaseArchive.isRegularFile(settings.previousBinaryPath) else {
            return "The previous binary (\(settings.previousBinaryPath)) is gone"
        }
        return nil
    }

    /// Claims the one job slot, or refuses.
    private func reserve() throws {
        if restartPending {
            throw APIError(.conflict, code: .updateInProgress, message: "A restart is pending: the server is about to start its new binary")
        }
        if busy { throw APIError(.conflict, code: .updateInProgress, message: "An update or rollback is already under way") }
        busy = true
    }
}
