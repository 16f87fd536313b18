import Logging
import ServiceLifecycle
import PulseCore
import PulseSupport

/// Evaluates alerts against the state every `interval`.
package struct AlertEvaluationService: Service {
    package let engine: AlertEngine
    package let state: MonitoringState
    package let time: any TimeSource
    package let interval: Duration
    package let logger: Logger

    package func run() async throws {
        await repeatUntilShutdown(every: interval) {
            let events = await engine.evaluate(await state.snapshot(), at: time.now())
            if !events.isEmpty {
                logger.info("alerts changed", metadata: ["events": "\(events.count)"])
            }
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(engine: AlertEngine, state: MonitoringState, time: any TimeSource, interval: Duration, logger: Logger) {
        self.engine = engine
        self.state = state
        self.time = time
        self.interval = interval
        self.logger = logger
    }
}
