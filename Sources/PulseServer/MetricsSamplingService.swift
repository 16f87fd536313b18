import Foundation
import Logging
import Persistence
import PulseCore
import PulseSupport
import RemoteWrite
import ServiceLifecycle

/// Samples the state every `interval` into the history store, the chart buffers and, when
/// configured, the remote write queue; rolls up every 5 minutes and applies retention every
/// hour; flushes the store at shutdown.
struct MetricsSamplingService: Service {
    let state: MonitoringState
    let store: SQLiteMetricsStore
    let charts: ChartBuffers
    let time: any TimeSource
    let interval: Duration
    let logger: Logger
    /// Gets the exposition's series at every sample, when remote write is configured.
    var remoteWrite: RemoteWriter? = nil

    func run() async throws {
        var lastRollup = time.now()
        var lastRetention = time.now()
        await repeatUntilShutdown(every: interval) {
            let now = time.now()
            await sample(at: now)
            do {
                if now.timeIntervalSince(lastRollup) >= 300 {
                    try await store.rollUp(now: now)
                    lastRollup = now
                }
                if now.timeIntervalSince(lastRetention) >= 3600 {
                    try await store.applyRetention(now: now)
                    lastRetention = now
                }
            } catch {
                logger.error("metrics rollup or retention failed", metadata: ["error": "\(error)"])
            }
        }
        do {
            try await store.flush()
            logger.info("metrics flushed for shutdown")
        } catch {
            logger.error("flushing metrics at shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    /// One sample of the whole state.
    func sample(at now: Date) async {
        let snapshot = await state.snapshot()
        let points = snapshot.metricPoints(at: Int64(now.timeIntervalSince1970))
        await remoteWrite?.record(snapshot.expositionFamilies(), at: now)
        await charts.add(points)
        // Stopped guests and offline hosts keep their recent history; removed ones lose it.
        var present = Set(points.map(\.series.resourceId))
        present.formUnion((snapshot.vms + snapshot.containers).map(\.id))
        present.formUnion(snapshot.nodes.map(\.id) + snapshot.hosts.map(\.id) + snapshot.dockerHosts.map(\.id))
        await charts.keep(present)
        await store.record(points)
        do {
            try await store.flush()
        } catch {
            logger.error("writing metrics failed", metadata: ["error": "\(error)", "points": "\(points.count)"])
        }
    }
}
