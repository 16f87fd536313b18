import Synchronization

/// What the reporting loop has done so far, for `/readyz` and `/metrics`. Shared between the
/// reporting service (writer) and the health endpoint's thread (reader).
final class AgentStatus: Sendable {
    struct Snapshot: Sendable, Equatable {
        var reportsDelivered = 0
        var reportsRejected = 0
        var deliveryFailures = 0
        var collectionFailures = 0
        var buffered = 0
        /// Seconds the last collection took.
        var lastCollectionSeconds: Double?
        /// When a report last reached the server (seconds on `now`'s clock).
        var lastDeliveryAt: Double?
        var lastProblem: String?
    }

    private let state = Mutex(Snapshot())
    /// Seconds since some fixed point; injectable so tests need no waiting.
    let now: @Sendable () -> Double

    init(now: @escaping @Sendable () -> Double = AgentStatus.monotonicSeconds) {
        self.now = now
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    func recordDelivery(buffered: Int) {
        let time = now()
        update {
            $0.reportsDelivered += 1
            $0.lastDeliveryAt = time
            $0.buffered = buffered
            $0.lastProblem = nil
        }
    }

    static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - processStart
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// The same instant for the whole process, so differences between `monotonicSeconds()` values hold.
private let processStart = ContinuousClock.now
