import Foundation

/// Which series a point belongs to: Pulse's resource type and ID, and the metric name.
struct SeriesKey: Hashable, Sendable, Codable {
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `disk`.
    var resourceType: String
    var resourceId: String
    /// `cpu`, `memory`, `disk`, `diskread`, `diskwrite`, `netin`, `netout`, `usage`, `temperature`.
    var metric: String
}

/// One measurement.
struct MetricPoint: Sendable, Equatable {
    var series: SeriesKey
    /// Unix seconds.
    var timestamp: Int64
    var value: Double
}

/// A point as the history API returns it: a raw value, or a rollup's average with its range.
struct MetricSample: Codable, Sendable, Equatable {
    /// Unix milliseconds.
    var timestamp: Int64
    var value: Double
    var min: Double
    var max: Double
}

/// The storage tiers, finest first. Each rollup keeps average, minimum and maximum.
enum MetricTier: Int, CaseIterable, Sendable {
    case raw = 0, minute, hourly, daily

    /// Seconds per bucket (raw keeps the sampling interval).
    var bucket: Int64 {
        switch self {
        case .raw: 1
        case .minute: 60
        case .hourly: 3600
        case .daily: 86_400
        }
    }

    var name: String { ["raw", "minute", "hourly", "daily"][rawValue] }
}

/// How long each tier keeps its points (Pulse's defaults: 2 h, 24 h, 7 d, 90 d).
struct MetricsRetention: Sendable, Equatable {
    var raw: TimeInterval = 2 * 3600
    var minute: TimeInterval = 24 * 3600
    var hourly: TimeInterval = 7 * 86_400
    var daily: TimeInterval = 90 * 86_400

    func duration(of tier: MetricTier) -> TimeInterval {
        switch tier {
        case .raw: raw
        case .minute: minute
        case .hourly: hourly
        case .daily: daily
        }
    }

    /// The finest tier that still holds the whole `span` ending now.
    func tier(covering span: TimeInterval) -> MetricTier {
        MetricTier.allCases.first { span <= duration(of: $0) } ?? .daily
    }
}

/// The metrics history: written in batches off the request path, read by the history API.
protocol MetricsStore: Sendable {
    /// Buffers points; they reach the database at the next flush.
    func record(_ points: [MetricPoint]) async
    /// Writes buffered points now.
    func flush() async throws
    /// Points of `series` between `start` and `end` (Unix seconds) at `tier`, at most about
    /// `limit` of them (neighbouring points merged when there are more).
    func history(_ series: SeriesKey, from start: Int64, to end: Int64, tier: MetricTier, limit: Int) async throws -> [MetricSample]
    /// The metrics of a resource that have any points.
    func metrics(resourceType: String, resourceId: String) async throws -> [String]
}
