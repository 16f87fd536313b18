import Foundation
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// Evaluates alerts when the state changes, when a delay a condition waits out has passed, and
/// at a regular `interval` for the rules that follow the clock (offline confirmations, backup age).
///
/// Changes are coalesced: the service looks every `coalescing` and evaluates once for however
/// many reports arrived meanwhile, on the shared snapshot of the newest state version. Under a
/// heavy stream of reports an evaluation of a large state is not free, so evaluations on change
/// keep to a share of one core (`budget`, 3 %): after one that took 1 ms the next on change may
/// run 200 ms later, after one that took 30 ms about 1 s later. A due delay is evaluated at once.
/// Nothing of this runs on a request's path.
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
    /// The share of one core evaluations on change may use (measured as their wall time).
    package var budget = 0.03
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
        var nextOnChange = clock.now
        await repeatUntilShutdown(every: onArrival ? coalescing : interval) {
            let version = state.changes.current
            let regular = clock.now - lastCheck >= interval
            let changed = onArrival && version != evaluatedVersion && clock.now >= nextOnChange
            let due = onArrival ? await engine.nextDeadline.map { time.now() >= $0 } ?? false : false
            guard regular || changed || due else { return }
            let started = clock.now
            let events = await engine.evaluate(await state.snapshot().readings(), at: time.now(), countsConfirmations: regular)
            let finished = clock.now
            evaluatedVersion = version
            nextOnChange = finished + (finished - started) * ((1 - budget) / budget)
            if regular { lastCheck = started }
            if !events.isEmpty {
                logger.info("alerts changed", metadata: ["events": "\(events.count)"])
            }
        }
    }
}
