package import PulseCore

/// Where the history routes read points from: the local store, or a time-series engine that
/// holds what `/metrics` exposes. The API owns this protocol; `PulseServer` wires the engine in.
package protocol HistorySource: Sendable {
    /// Whether this source answers `metric` of `resourceType` at all.
    func answers(resourceType: String, metric: String) -> Bool
    /// Whether this source answers any metric of `resourceType`.
    func answers(resourceType: String) -> Bool
    /// One series' points between `start` and `end` (Unix seconds), at most about `limit`.
    func history(_ series: SeriesKey, from start: Int64, to end: Int64, limit: Int) async throws -> [MetricSample]
    /// Every metric this source answers for one resource that has points in the window.
    func histories(resourceType: String, resourceId: String, from start: Int64, to end: Int64, limit: Int) async throws -> [String: [MetricSample]]
    /// Every series' chart points over the last `span` seconds before `now`, at most `limit` each.
    func charts(span: Int64, now: Int64, limit: Int) async throws -> [SeriesKey: [ChartPoint]]
}

/// Which source answered a history reply (its `source` field and `X-Pulse-History-Source`).
package enum HistorySourceKind: String, Sendable, Encodable {
    case prometheus
    case local

    /// The response header naming the source.
    package static let headerName = "X-Pulse-History-Source"
}
