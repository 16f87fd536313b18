import Foundation
import Logging
import Persistence
import PulseAPI
import PulseCore
import PulseSupport
import ServiceLifecycle

/// Writes buffered state to the database periodically and once more, completely, at shutdown.
///
/// Each flush also re-reads the token and session tables, so `pulse token create/--replace` and
/// `pulse reset-password` run beside a running server take effect within one interval.
///
/// Token `lastUsedAt` times and agent records are kept in memory on the request path; this
/// service persists them every `interval` and, when the service group shuts down (SIGTERM),
/// flushes them a last time and checkpoints the WAL so the data folder is complete on disk.
struct PersistenceFlushService: Service {
    let tokens: TokenRegistry
    let state: MonitoringState
    let persistence: StatePersistence
    let database: PulseDatabase
    let interval: Duration
    /// How long a record on disk may lag behind the state while the server runs.
    var rewriteAfter: TimeInterval = 30
    let logger: Logger
    /// Re-read at each flush when given.
    var sessions: SessionStore?

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            await flush(rewriteAfter: rewriteAfter)
        }
        await flush(rewriteAfter: 0)
        do {
            try database.checkpoint()
        } catch {
            logger.warning("database checkpoint at shutdown failed", metadata: ["error": "\(error)"])
        }
        logger.info("persistence flushed for shutdown")
    }

    /// Writes what is pending (records already on disk at most every `rewriteAfter` seconds,
    /// see `MonitoringState.takePendingChanges`); a failed state write is queued again.
    func flush(rewriteAfter: TimeInterval = 0) async {
        do {
            try await tokens.flushUsage()
            try await tokens.reload()
        } catch {
            logger.error("syncing API tokens with the database failed", metadata: ["error": "\(error)"])
        }
        do {
            try await sessions?.reload()
        } catch {
            logger.error("syncing sessions with the database failed", metadata: ["error": "\(error)"])
        }
        let changes = await state.takePendingChanges(rewriteAfter: rewriteAfter)
        guard !changes.isEmpty else { return }
        do {
            try persistence.save(changes)
        } catch {
            await state.requeue(changes)
            logger.error("writing agent state failed", metadata: ["error": "\(error)"])
        }
    }
}
