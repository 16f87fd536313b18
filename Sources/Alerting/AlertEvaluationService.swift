import Foundation
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// Evaluates alerts when the state changes, when a delay a condition waits out has passed, and
/// at a regular `interval` for the rules that follow the clock (offline confirmations, backup age).
///
/// Changes are coalesced: the service looks every `coalescing` and evaluates once for however
/// many reports arrived meanwhile, on the shared snapshot of the newest state version. Nothing of
/// this runs on a request's path.
package struct AlertEvaluationService: Service {
    package let engine: AlertEngine
    package let state: MonitoringState
    package let time: any TimeSource
    /// The regular check.
    package let interval: Duration
    /// Evaluate when the state changed; off in tests that drive evaluation themselves.
    package var onArrival = true
    /// How often the service looks for a change or a due delay: an alert is at most this late.
    package var coalescing: Duration = .milliseconds(200)
    package let logger: Logger

    package init(
        engine: AlertEngine, state: MonitoringState, time: any TimeSource, interval: Duration, onArrival: Bool = true, logger: Logger
    ) {
        self.engine = engine
        self.state = state
        self.time = time
        self.interval = interval
        self.onArrival = onArrival
        self.logger = logger
    }

    package func run() async throws {
        let clock = ContinuousClock()
        var lastCheck = clock.now
        var evaluatedVersion = state.changes.current
        await repeatUntilShutdown(every: onArrival ? coalescing : interval) {
            let version = state.changes.current
            let regular = clock.now - lastCheck >= interval
            let changed = onArrival && version != evaluatedVersion
            let due = onArrival ? await engine.nextDeadline.map { time.now() >= $0 } ?? false : false
            guard regular || changed || due else { return }
            let events = await engine.evaluate(await state.snapshot(), at: time.now(), countsConfirmations: regular)
            evaluatedVersion = version
            if regular { lastCheck = clock.now }
            if !events.isEmpty {
                logger.info("alerts changed", metadata: ["events": "\(events.count)"])
            }
        }
    }
}
