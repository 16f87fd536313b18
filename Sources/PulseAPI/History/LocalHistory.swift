import Foundation
package import Persistence
package import PulseCore

/// The history Pulse records itself: the SQLite store (rollup tier chosen by the span) and the
/// in-memory chart rings. It answers every metric, and is the fallback when an engine cannot.
package struct LocalHistory: HistorySource {
    package let store: SQLiteMetricsStore
    package let charts: ChartBuffers

    package init(store: SQLiteMetricsStore, charts: ChartBuffers) {
        self.store = store
        self.charts = charts
    }

    package func answers(resourceType: String, metric: String) -> Bool { true }

    package func answers(resourceType: String) -> Bool { true }

    package func history(_ series: SeriesKey, from start: Int64, to end: Int64, limit: Int) async throws -> [MetricSample] {
        try await store.history(series, from: start, to: end, tier: tier(start, end), limit: limit)
    }

    package func histories(
        resourceType: String, resourceId: String, from start: Int64, to end: Int64, limit: Int
    ) async throws -> [String: [MetricSample]] {
        var answer: [String: [MetricSample]] = [:]
        for metric in try await store.metrics(resourceType: resourceType, resourceId: resourceId) {
            answer[metric] = try await history(
                SeriesKey(resourceType: resourceType, resourceId: resourceId, metric: metric), from: start, to: end, limit: limit)
        }
        return answer
    }

    /// The rings keep their own resolution (at most `ChartBuffers.capacity` points a series).
    package func charts(span: Int64, now: Int64, limit: Int) async throws -> [SeriesKey: [ChartPoint]] {
        await charts.points(span: span, now: now)
    }

    private func tier(_ start: Int64, _ end: Int64) -> MetricTier {
        store.retention.tier(covering: TimeInterval(end - start))
    }
}
