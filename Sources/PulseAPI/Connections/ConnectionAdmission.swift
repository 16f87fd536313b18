package import Logging
import Synchronization

/// Counts the open connections, per client (`ClientAddress`) and in total, and refuses a new one
/// over either cap. Nothing is exempt: loopback, a reverse proxy or a NAT gateway is one client
/// like any other, so an operator who puts many clients behind one address raises the cap.
///
/// Asked synchronously on NIO's event loops while a connection is being set up, so a refused
/// one is closed before it costs more than its descriptor; that is why the counts sit behind a
/// lock rather than in an actor (a channel initialiser cannot await).
///
/// Refusals are logged as one warning per `warningInterval` at most, with the count since the
/// previous warning (written at the next connection or close once the interval has passed): an
/// attacker opening thousands of sockets must not also flood the log.
package final class ConnectionAdmission: Sendable {
    package struct Limits: Sendable, Equatable {
        /// Connections open at once, from everyone.
        package var total: Int
        /// Connections open at once from one client.
        package var perClient: Int

        package init(total: Int, perClient: Int) {
            self.total = total
            self.perClient = perClient
        }
    }

    package enum Decision: Sendable, Equatable {
        case admitted
        case overClientCap
        case overTotalCap
    }

    package let limits: Limits
    /// Trusted reverse proxies (`PULSE_TRUSTED_PROXY_CIDRS`) carry many clients on their own
    /// address: only the total cap applies to them.
    package let proxies: TrustedProxies
    private let logger: Logger
    private let warningInterval: Duration
    private let state = Mutex(State())

    private struct State {
        var total = 0
        var perClient: [ClientAddress: Int] = [:]
        var refused = 0
        var refusedSinceWarning = 0
        var lastRefusal: (client: ClientAddress, decision: Decision)?
        var lastWarning: ContinuousClock.Instant?

        /// The refusals not yet logged, when a warning is due; the counter starts again.
        mutating func dueWarning(at now: ContinuousClock.Instant, interval: Duration) -> Warning? {
            guard refusedSinceWarning > 0, let lastRefusal else { return nil }
            if let lastWarning, now - lastWarning < interval { return nil }
            let warning = Warning(refused: refusedSinceWarning, open: total, client: lastRefusal.client, decision: lastRefusal.decision)
            refusedSinceWarning = 0
            lastWarning = now
            return warning
        }
    }

    private struct Warning {
        let refused: Int
        let open: Int
        let client: ClientAddress
        let decision: Decision
    }

    package init(limits: Limits, proxies: TrustedProxies = .none, logger: Logger, warningInterval: Duration = .seconds(10)) {
        self.limits = limits
        self.proxies = proxies
        self.logger = logger
        self.warningInterval = warningInterval
    }

    /// Takes a slot for `client`, or says which cap refuses it. An admitted connection must be
    /// handed back with `release` exactly once.
    func admit(_ client: ClientAddress) -> Decision {
        let now = ContinuousClock.now
        let capped = !proxies.contains(client)
        let (decision, warning) = state.withLock { state -> (Decision, Warning?) in
            let fromClient = state.perClient[client, default: 0]
            let decision: Decision =
                state.total >= limits.total ? .overTotalCap : capped && fromClient >= limits.perClient ? .overClientCap : .admitted
            if decision == .admitted {
                state.total += 1
                state.perClient[client] = fromClient + 1
            } else {
                state.refused += 1
                state.refusedSinceWarning += 1
                state.lastRefusal = (client, decision)
            }
            return (decision, state.dueWarning(at: now, interval: warningInterval))
        }
        log(warning)
        return decision
    }

    /// Gives back the slot an admitted connection of `client` held. Refusals not yet logged are
    /// logged here too once a warning is due, so a flood that has stopped is still reported.
    package func release(_ client: ClientAddress) {
        let now = ContinuousClock.now
        let warning = state.withLock { state -> Warning? in
            state.total -= 1
            let remaining = state.perClient[client, default: 1] - 1
            state.perClient[client] = remaining > 0 ? remaining : nil
            return state.dueWarning(at: now, interval: warningInterval)
        }
        log(warning)
    }

    private func log(_ warning: Warning?) {
        guard let warning else { return }
        let cap = warning.decision == .overTotalCap ? "the total cap (\(limits.total))" : "the per-client cap (\(limits.perClient))"
        logger.warning(
            "connections refused: \(warning.refused) since the last warning, the last one from \(warning.client) over \(cap)",
            metadata: ["refused": .stringConvertible(warning.refused), "open": .stringConvertible(warning.open)])
    }

    /// Connections open now.
    var openConnections: Int { state.withLock { $0.total } }

    /// Connections open now from `client`.
    func openConnections(from client: ClientAddress) -> Int { state.withLock { $0.perClient[client, default: 0] } }

    /// Connections refused since start.
    var refusedConnections: Int { state.withLock { $0.refused } }
}
