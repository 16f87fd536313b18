import Foundation
package import PulseSupport
import ServiceLifecycle

/// Runs patrol every `interval` (`PULSE_PATROL_INTERVAL`) until the server shuts down.
package struct PatrolService: Service {
    package let patrol: Patrol
    package let interval: Duration
    package let time: any TimeSource

    package init(patrol: Patrol, interval: Duration, time: any TimeSource) {
        self.patrol = patrol
        self.interval = interval
        self.time = time
    }

    package func run() async throws {
        await patrol.scheduled(next: time.now().addingTimeInterval(interval.seconds))
        await repeatUntilShutdown(every: interval) {
            // A run already under way (one asked for through the API) counts as this one.
            _ = try? await patrol.run(trigger: .scheduled)
            await patrol.scheduled(next: time.now().addingTimeInterval(interval.seconds))
        }
    }
}

extension Duration {
    /// Whole and fractional seconds.
    var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
