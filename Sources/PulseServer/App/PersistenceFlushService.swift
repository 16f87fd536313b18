import Logging
import ServiceLifecycle

/// Writes buffered state to the database periodically and once more at shutdown.
///
/// Each flush also re-reads the token table, so `pulse token create/--replace` run beside a
/// running server takes effect within one interval.
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
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flush()
        }
        do {
            try database.checkpoint()
        } catch {
            logger.warning("database checkpoint at shutdown failed", metadata: ["error": "\(error)"])
        }
        logger.info("persistence flushed for shutdown")
    }

    /// Writes whatever is pending; a failed state write is queued again for the next flush.
    func flush() async {
        do {
            try await tokens.flushUsage()
            try await tokens.reload()
        } catch {
            logger.error("syncing API tokens with the database failed", metadata: ["error": "\(error)"])
        }
        let changes = await state.takePendingChanges()
        guard !changes.isEmpty else { return }
        do {
            try persistence.save(changes)
        } catch {
            await state.requeue(changes)
            logger.error("writing agent state failed", metadata: ["error": "\(error)"])
        }
    }
}
