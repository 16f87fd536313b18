import Foundation
package import Logging
package import PulseSupport
import Synchronization

/// Counts the history replies the local store gave because the engine could not
/// (`pulse_history_query_fallbacks_total` on `/metrics`), and logs them at most once a minute
/// so a stopped engine does not fill the log.
package final class HistoryFallbacks: Sendable {
    private struct Tally {
        var total: UInt64 = 0
        var lastLogged: Double?
        var unlogged: UInt64 = 0
    }

    private let tally = Mutex(Tally())
    private let time: any TimeSource
    private let logger: Logger
    /// Seconds between two fallback log lines.
    static let logInterval: Double = 60

    package init(time: any TimeSource, logger: Logger) {
        self.time = time
        self.logger = logger
    }

    /// Fallbacks since the server started.
    package var total: UInt64 { tally.withLock { $0.total } }

    /// Notes one fallback for `reason` (an error that names no credential).
    package func record(reason: String) {
        let now = time.now().timeIntervalSince1970
        let suppressed: UInt64? = tally.withLock { tally in
            tally.total += 1
            if let last = tally.lastLogged, now - last < Self.logInterval, now >= last {
                tally.unlogged += 1
                return nil
            }
            let suppressed = tally.unlogged
            tally.lastLogged = now
            tally.unlogged = 0
            return suppressed
        }
        guard let suppressed else { return }
        logger.warning(
            "history engine unavailable; the local store answered",
            metadata: ["reason": .string(reason), "fallbacksSinceLastMessage": .stringConvertible(suppressed)])
    }

    /// The counter in Prometheus's text format.
    package func exposition() -> String {
        """
        # HELP pulse_history_query_fallbacks_total History replies the local store gave because the history engine could not.
        # TYPE pulse_history_query_fallbacks_total counter
        pulse_history_query_fallbacks_total \(total)

        """
    }
}
