import Foundation
import Logging
import NIOPosix
import PulseSupport
import ServiceLifecycle

extension ServerUpdater {
    /// Carries out queued jobs one at a time until `stopTakingJobs`; a job under way then still
    /// finishes (its steps have time limits of their own).
    package func processJobs() async {
        for await job in jobs {
            switch job {
            case .update(let entry, let release, let archive): await install(entry, release, archive)
            case .rollback(let entry, let update): await undo(update, recordedAs: entry)
            }
            busy = false
        }
    }

    /// Ends `processJobs` once the job under way is done (graceful shutdown).
    package nonisolated func stopTakingJobs() {
        queue.finish()
    }

    private func install(_ entry: UpdateHistoryEntry, _ release: ReleaseFeed.Release, _ archive: ReleaseFeed.Archive) async {
        let started = ContinuousClock.now
        var entry = entry
        entry.status = .inProgress
        await save(entry)
        let staging = settings.stagingFolder
        do {
            guard let key = settings.releaseKey else { throw ReleaseArchive.Refusal(description: "no release key is configured") }
            progress.set(.downloading, 10, "Downloading Pulse \(release.version)")
            let bytes = try await client.download(archive)
            progress.set(.installing, 30, "Checking the archive's checksum and signature")
            let downloaded = ReleaseArchive(bytes: bytes, release: release, archive: archive)
            try downloaded.verify(with: key)
            progress.set(.installing, 45, "Unpacking Pulse \(release.version)")
            let binary = try await downloaded.unpack(into: staging)
            progress.set(.installing, 65, "Backing up the data folder")
            // Copying the database and syncing files wait on the disk: on NIO's blocking pool.
            let (database, settings, now) = (database, settings, time.now())
            entry.backupPath = try await NIOThreadPool.singleton.runIfActive {
                try DataBackup.create(
                    database: database, dataDirectory: settings.dataDirectory, in: settings.backupsFolder, version: settings.runningVersion,
                    at: now, kept: settings.backupsKept)
            }
            await save(entry)
            progress.set(.installing, 85, "Replacing the server binary")
            try await NIOThreadPool.singleton.runIfActive {
                try BinarySwap.install(binary, at: settings.binaryPath, keepingPreviousAs: settings.previousBinaryPath)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            await fail(entry, started: started, error: error)
            return
        }
        try? FileManager.default.removeItem(atPath: staging)
        await succeed(entry, started: started, message: "Pulse \(release.version) is installed; restarting", restoring: nil)
    }

    private func undo(_ update: UpdateHistoryEntry, recordedAs entry: UpdateHistoryEntry) async {
        let started = ContinuousClock.now
        var entry = entry
        entry.status = .inProgress
        await save(entry)
        progress.set(.installing, 50, "Putting back Pulse \(update.fromVersion)")
        do {
            let settings = settings
            try await NIOThreadPool.singleton.runIfActive { try BinarySwap.restore(settings.previousBinaryPath, at: settings.binaryPath) }
        } catch {
            await fail(entry, started: started, error: error)
            return
        }
        await succeed(
            entry, started: started, message: "Rolled back to Pulse \(update.fromVersion); restarting to restore its data",
            restoring: update.backupPath)
    }

    private func succeed(_ entry: UpdateHistoryEntry, started: ContinuousClock.Instant, message: String, restoring backup: String?) async {
        var entry = entry
        entry.status = .completed
        entry.durationSeconds = Self.seconds(since: started)
        await save(entry)
        logger.notice(
            "\(entry.action.rawValue) to \(entry.version) done; restarting",
            metadata: ["event": .string(entry.id), "binary": .string(settings.binaryPath)])
        restartPending = true
        restarter.requestRestart(
            RestartPlan(binaryPath: settings.binaryPath, dataDirectory: settings.dataDirectory, restoringBackup: backup, eventID: entry.id))
        // After the request: whoever sees "completed" finds the restart asked for.
        progress.set(.completed, 100, message)
    }

    private func fail(_ entry: UpdateHistoryEntry, started: ContinuousClock.Instant, error: any Error) async {
        var entry = entry
        entry.status = .failed
        entry.error = "\(error)"
        entry.durationSeconds = Self.seconds(since: started)
        await save(entry)
        progress.set(.error, 0, "The \(entry.action.rawValue) to \(entry.version) failed", error: "\(error)")
        logger.warning("\(entry.action.rawValue) to \(entry.version) failed: \(error)", metadata: ["event": .string(entry.id)])
    }

    /// Records `entry`; a history that cannot be written does not stop the job, but is logged.
    private func save(_ entry: UpdateHistoryEntry) async {
        do {
            try await history.record(entry)
        } catch {
            logger.error("the update history could not be written: \(error)", metadata: ["event": .string(entry.id)])
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Int {
        Int((ContinuousClock.now - start).components.seconds)
    }
}

/// Runs the update jobs the API queues (`ServerUpdater.processJobs`). On graceful shutdown it
/// takes no new job; one under way finishes first.
package struct ServerUpdateService: Service {
    let updater: ServerUpdater

    package init(updater: ServerUpdater) {
        self.updater = updater
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await updater.processJobs()
        } onGracefulShutdown: {
            updater.stopTakingJobs()
        }
    }
}
