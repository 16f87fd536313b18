import Logging
import ServiceLifecycle

/// Evaluates alerts against the state every `interval`.
struct AlertEvaluationService: Service {
    let engine: AlertEngine
    let state: MonitoringState
    let time: any TimeSource
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            let events = await engine.evaluate(await state.snapshot(), at: time.now())
            if !events.isEmpty {
                logger.info("alerts changed", metadata: ["events": "\(events.count)"])
            }
        }
    }
}
