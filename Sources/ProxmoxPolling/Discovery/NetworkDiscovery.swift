import CurlHTTP
package import Foundation
package import Logging
package import PulseCore
package import PulseSupport

/// The newest discovery results (`GET /api/discover`), and the one scan that may run at a time,
/// whether the periodic one (`DiscoveryService`) or one asked for (`POST /api/discover`).
package actor NetworkDiscovery {
    /// What the newest scan found.
    package struct Report: Sendable, Equatable {
        package var servers: [DiscoveredServer] = []
        /// Why part of a scan could not be done (not the addresses where nothing answered).
        package var errors: [String] = []
        /// A scan is running now (its results replace these when it ends).
        package var scanning = false
        /// When the newest scan ended; nil before the first.
        package var updated: Date?
        /// The networks it covered.
        package var subnet: String?
        /// How long it took.
        package var duration: Duration?
    }

    private let scanner: DiscoveryScanner
    private let time: any TimeSource
    private let logger: Logger
    private var latest = Report()
    private var running = false

    package init(scanner: DiscoveryScanner = DiscoveryScanner(), time: any TimeSource, logger: Logger) {
        self.scanner = scanner
        self.time = time
        self.logger = logger
    }

    /// The newest results, `scanning` telling whether a scan is under way.
    package var report: Report {
        var report = latest
        report.scanning = running
        return report
    }

    /// Scans `subnet` now and keeps the results; nil, without scanning, while another scan runs.
    /// A cancelled scan stops starting probes and keeps the previous results.
    package func scan(_ subnet: DiscoverySubnet) async -> Report? {
        guard !running else { return nil }
        running = true
        defer { running = false }
        var errors: [String] = []
        let networks: [IPv4Network]
        switch subnet {
        case .auto:
            networks = LocalNetworks.current()
            if networks.isEmpty { errors.append("auto: this machine has no private IPv4 network to scan; set discoverySubnet") }
        case .networks(let list):
            networks = list
        }
        var seen = Set<UInt32>()
        let addresses = networks.flatMap(\.hosts).filter { seen.insert($0).inserted }
        let started = ContinuousClock.now
        let servers = await scanner.scan(addresses)
        // Cancelled (shutdown): the scan stopped early, and part of a scan is no result.
        guard !Task.isCancelled else { return latest }
        let duration = ContinuousClock.now - started
        let covered = networks.isEmpty ? subnet.description : DiscoverySubnet.networks(networks).description
        latest = Report(servers: servers, errors: errors, updated: time.now(), subnet: covered, duration: duration)
        logger.info(
            "discovery scan finished",
            metadata: [
                "subnet": .string(covered), "addresses": .stringConvertible(addresses.count), "servers": .stringConvertible(servers.count),
                "durationMs": .stringConvertible(duration.wholeMilliseconds),
            ])
        return latest
    }
}
