package import Foundation
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// Scans the `discoverySubnet` setting every 5 minutes while `discoveryEnabled` is on (Pulse:
/// "updates every 5 minutes").
///
/// It reads the settings in force on every pass (every 10 s), so a change applies without a
/// restart: turning discovery on, or changing the subnet, scans at the next pass.
package struct DiscoveryService: Service {
    package let discovery: NetworkDiscovery
    package let settings: LiveSettings
    package let time: any TimeSource
    package let logger: Logger
    /// How often the settings are read.
    package var checkInterval: Duration = .seconds(10)
    /// Between two scans of the same subnet.
    package var scanInterval: TimeInterval = 300

    package init(
        discovery: NetworkDiscovery, settings: LiveSettings, time: any TimeSource, logger: Logger, checkInterval: Duration = .seconds(10),
        scanInterval: TimeInterval = 300
    ) {
        self.discovery = discovery
        self.settings = settings
        self.time = time
        self.logger = logger
        self.checkInterval = checkInterval
        self.scanInterval = scanInterval
    }

    /// What the periodic scan last covered, and when it started.
    package struct Schedule: Sendable {
        var last: (subnet: String, at: Date)?

        package init() {}
    }

    package func run() async throws {
        var schedule = Schedule()
        await repeatUntilShutdown(every: checkInterval) { await pass(&schedule) }
    }

    /// One look at the settings: scans when discovery is on and the subnet was never scanned,
    /// changed, or was scanned `scanInterval` ago. A scan asked for through the API that is still
    /// running makes this pass wait for the next.
    package func pass(_ schedule: inout Schedule) async {
        let current = settings.current
        guard current.discoveryEnabled else {
            schedule.last = nil
            return
        }
        let now = time.now()
        if let last = schedule.last, last.subnet == current.discoverySubnet, now.timeIntervalSince(last.at) < scanInterval { return }
        let subnet: DiscoverySubnet
        do {
            subnet = try DiscoverySubnet.parse(current.discoverySubnet, field: "discoverySubnet")
        } catch {
            // Settings are checked when stored; a value that fails here waits for a change.
            logger.warning("discovery subnet not scanned", metadata: ["error": .string(error.message)])
            schedule.last = (current.discoverySubnet, now)
            return
        }
        // A shutdown stops the scan within one round of probes instead of waiting for all of them.
        let discovery = discovery
        let report = await cancelWhenGracefulShutdown { await discovery.scan(subnet) }
        if report != nil { schedule.last = (current.discoverySubnet, now) }
    }
}
