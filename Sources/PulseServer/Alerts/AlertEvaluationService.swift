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
        await repeatUntilShutdown(every: interval) {
            let events = await engine.evaluate(await state.snapshot(), at: time.now())
            if !events.isEmpty {
                logger.info("alerts changed", metadata: ["events": "\(events.count)"])
            }
        }
    }
}
