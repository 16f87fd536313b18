package import PulseCore

/// The metrics history read from a Prometheus-compatible engine: the local history's series,
/// mapped to the `/metrics` families (`HistoryMapping`) and always limited to this server's
/// `pulse_instance`.
///
/// A history sample's `min` and `max` are its value: the engine is asked for one value per step
/// (the newest sample at or before it), not for a rollup.
package struct EngineHistory: Sendable {
    let client: QueryRangeClient
    let instance: PromQL.Matcher

    /// No step is finer than this (a typical scrape and remote-write interval).
    static let minimumStep: Int64 = 15

    package init(settings: HistoryEngineSettings) {
        client = QueryRangeClient(settings: settings)
        instance = PromQL.Matcher("pulse_instance", settings.instanceName)
    }

    /// Whether the engine holds a family for `metric` of `resourceType`.
    package func answers(resourceType: String, metric: String) -> Bool {
        HistoryMapping.expression(resourceType: resourceType, metric: metric) != nil
    }

    /// Whether the engine holds a family for any metric of `resourceType`.
    package func answers(resourceType: String) -> Bool {
        HistoryMapping.expressions[resourceType] != nil
    }

    /// One series' points between `start` and `end` (Unix seconds), at most `limit` of them.
    package func history(_ series: SeriesKey, from start: Int64, to end: Int64, limit: Int) async throws -> [MetricSample] {
        guard let expression = HistoryMapping.expression(resourceType: series.resourceType, metric: series.metric),
            let resource = HistoryMapping.resourceMatchers(resourceType: series.resourceType, resourceId: series.resourceId)
        else { return [] }
        let window = Self.window(from: start, to: end, limit: limit)
        let result = try await client.queryRange(
            expression.expression(matching: [instance] + resource), start: window.start, end: end, step: window.step)
        // Aggregated by the resource's labels, so one series; merged in time order in case of more.
        return result.flatMap(\.points).sorted { $0.timestamp < $1.timestamp }.map {
            MetricSample(timestamp: $0.timestamp, value: $0.value, min: $0.value, max: $0.value)
        }
    }

    /// Every metric the engine answers for one resource that has points in the window.
    package func histories(
        resourceType: String, resourceId: String, from start: Int64, to end: Int64, limit: Int
    ) async throws -> [String: [MetricSample]] {
        let metrics = (HistoryMapping.expressions[resourceType] ?? [:]).keys
        return try await withThrowingTaskGroup(of: (String, [MetricSample]).self) { group in
            for metric in metrics {
                group.addTask {
                    let series = SeriesKey(resourceType: resourceType, resourceId: resourceId, metric: metric)
                    return (metric, try await history(series, from: start, to: end, limit: limit))
                }
            }
            var answer: [String: [MetricSample]] = [:]
            for try await (metric, samples) in group where !samples.isEmpty { answer[metric] = samples }
            return answer
        }
    }

    /// Every resource's chart points over the last `span` seconds: one query per family, for all
    /// resources at once.
    package func charts(span: Int64, now: Int64, limit: Int) async throws -> [SeriesKey: [ChartPoint]] {
        let window = Self.window(from: now - span, to: now, limit: limit)
        let instance = instance
        return try await withThrowingTaskGroup(of: [SeriesKey: [ChartPoint]].self) { group in
            for family in HistoryMapping.chartFamilies {
                group.addTask {
                    let result = try await client.queryRange(
                        family.expression.expression(matching: [instance]), start: window.start, end: now, step: window.step)
                    var answer: [SeriesKey: [ChartPoint]] = [:]
                    for series in result {
                        guard let resource = HistoryMapping.resource(of: series.labels, among: family.resourceTypes) else { continue }
                        let key = SeriesKey(resourceType: resource.type, resourceId: resource.id, metric: family.metric)
                        answer[key, default: []] += series.points.map { ChartPoint(timestamp: $0.timestamp, value: $0.value) }
                    }
                    return answer
                }
            }
            var answer: [SeriesKey: [ChartPoint]] = [:]
            for try await part in group { answer.merge(part) { $0 + $1 } }
            return answer
        }
    }

    /// The evaluation step (at least `minimumStep`) and the first evaluation time, a multiple of
    /// the step, so that `start…end` holds at most `limit` points and repeated asks line up.
    static func window(from start: Int64, to end: Int64, limit: Int) -> (start: Int64, step: Int64) {
        let span = max(end - start, 1)
        let intervals = Int64(max(limit - 1, 1))
        let step = max((span + intervals - 1) / intervals, minimumStep)
        let first = min((start + step - 1) / step * step, end)
        return (first, step)
    }
}
