import Logging
import Synchronization

/// Checks for a newer agent shortly after start and then every `interval`. When an update was
/// installed it returns, the agent's other loops stop after their current step (buffers flushed),
/// and `main` starts the new binary in place of this process (`RestartRequest`).
struct SelfUpdateService {
    let updater: SelfUpdater
    let restart: RestartRequest
    let logger: Logger
    var firstCheckDelay: Duration = .seconds(5)
    var interval: Duration = .seconds(3600)

    func run() async throws {
        var delay = firstCheckDelay
        let shutdown = ShutdownSignal.current
        while !shutdown.isRequested && !Task.isCancelled {
            let wait = delay
            do {
                try await shutdown.cancellingOnRequest { try await Task.sleep(for: wait) }
            } catch {
                return
            }
            delay = interval
            switch await updater.check() {
            case .upToDate, .notApplicable:
                continue
            case .skipped(let reason):
                logger.notice("self-update skipped", metadata: ["reason": .string(reason)])
            case .refused(let reason):
                logger.error("self-update refused", metadata: ["reason": .string(reason)])
            case .failed(let reason):
                logger.warning("self-update failed; will try again", metadata: ["reason": .string(reason)])
            case .applied(let from, let to):
                logger.notice("self-update installed; restarting", metadata: ["from": .string(from), "to": .string(to)])
                restart.request()
                return
            }
        }
    }
}

/// Set when the agent should start its (new) binary again once its loops have stopped.
final class RestartRequest: Sendable {
    private let requested = Mutex(false)
    func request() { requested.withLock { $0 = true } }
    var isRequested: Bool { requested.withLock { $0 } }
}
