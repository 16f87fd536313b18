import Foundation

/// The one merged view of everything monitored. Agents and pollers write into it through the
/// ingest path (later work); the API and WebSocket read snapshots of it.
actor MonitoringState {
    private let time: any TimeSource
    private let startedAt: Date
    private var lastChange: Date

    init(time: any TimeSource) {
        self.time = time
        startedAt = time.now()
        lastChange = startedAt
    }

    /// A consistent copy of the whole state.
    func snapshot() -> StateSnapshot {
        let now = time.now()
        var snapshot = StateSnapshot()
        snapshot.lastUpdate = Int64((lastChange.timeIntervalSince1970 * 1000).rounded())
        snapshot.stats.startTime = Int64((startedAt.timeIntervalSince1970 * 1000).rounded())
        snapshot.stats.uptime = Int64(now.timeIntervalSince(startedAt))
        return snapshot
    }
}
