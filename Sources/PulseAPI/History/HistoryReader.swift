import Persistence
package import PulseCore

/// Answers the history routes from the engine when one is configured, from the local store
/// otherwise, and from the local store whenever the engine fails (unreachable, too slow, 5xx,
/// not a query answer): the reply names the source that answered.
///
/// Metrics the engine has no family for (`answers` false) always come from the local store; in
/// a reply of every metric of a resource, or in the charts, they are added beside the engine's
/// (the reply then says `prometheus`). A resource type the engine has no family for at all is
/// answered by the local store and says `local`.
package struct HistoryReader: Sendable {
    package let local: LocalHistory
    package let engine: (any HistorySource)?
    package let fallbacks: HistoryFallbacks

    package init(local: LocalHistory, engine: (any HistorySource)?, fallbacks: HistoryFallbacks) {
        self.local = local
        self.engine = engine
        self.fallbacks = fallbacks
    }

    package func history(
        _ series: SeriesKey, from start: Int64, to end: Int64, limit: Int
    ) async throws -> (samples: [MetricSample], source: HistorySourceKind) {
        if let engine, engine.answers(resourceType: series.resourceType, metric: series.metric) {
            do {
                return (try await engine.history(series, from: start, to: end, limit: limit), .prometheus)
            } catch {
                fallbacks.record(reason: String(describing: error))
            }
        }
        return (try await local.history(series, from: start, to: end, limit: limit), .local)
    }

    package func histories(
        resourceType: String, resourceId: String, from start: Int64, to end: Int64, limit: Int
    ) async throws -> (metrics: [String: [MetricSample]], source: HistorySourceKind) {
        guard let engine, engine.answers(resourceType: resourceType) else {
            return (try await local.histories(resourceType: resourceType, resourceId: resourceId, from: start, to: end, limit: limit), .local)
        }
        var answer: [String: [MetricSample]]
        do {
            answer = try await engine.histories(resourceType: resourceType, resourceId: resourceId, from: start, to: end, limit: limit)
        } catch {
            fallbacks.record(reason: String(describing: error))
            return (try await local.histories(resourceType: resourceType, resourceId: resourceId, from: start, to: end, limit: limit), .local)
        }
        for metric in try await local.store.metrics(resourceType: resourceType, resourceId: resourceId)
        where !engine.answers(resourceType: resourceType, metric: metric) {
            answer[metric] = try await local.history(
                SeriesKey(resourceType: resourceType, resourceId: resourceId, metric: metric), from: start, to: end, limit: limit)
        }
        return (answer, .prometheus)
    }

    package func charts(span: Int64, now: Int64, limit: Int) async throws -> (series: [SeriesKey: [ChartPoint]], source: HistorySourceKind) {
        let localCharts = try await local.charts(span: span, now: now, limit: limit)
        guard let engine else { return (localCharts, .local) }
        do {
            var answer = try await engine.charts(span: span, now: now, limit: limit)
            for (series, points) in localCharts where !engine.answers(resourceType: series.resourceType, metric: series.metric) {
                answer[series] = points
            }
            return (answer, .prometheus)
        } catch {
            fallbacks.record(reason: String(describing: error))
            return (localCharts, .local)
        }
    }
}
