import PulseSupport
import ServiceLifecycle

/// Moves the demo estate along: every `checkInterval` it asks `demo` for a reading, which takes
/// one when demo mode is on and its interval has passed on demo mode's clock (`TimeSource`).
/// Switching demo mode on or off only changes what `demo` holds; this loop runs from start to
/// shutdown either way.
package struct DemoModeService: Service {
    package let demo: DemoMode
    package let checkInterval: Duration

    package init(demo: DemoMode, checkInterval: Duration = .milliseconds(250)) {
        self.demo = demo
        self.checkInterval = checkInterval
    }

    package func run() async throws {
        await repeatUntilShutdown(every: checkInterval) {
            await demo.readIfDue()
        }
    }
}
