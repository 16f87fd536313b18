package import Foundation

/// Which series a point belongs to: Pulse's resource type and ID, and the metric name.
package struct SeriesKey: Hashable, Sendable, Codable {
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `disk`.
    package var resourceType: String
    package var resourceId: String
    /// `cpu`, `memory`, `disk`, `diskread`, `diskwrite`, `netin`, `netout`, `usage`, `temperature`.
    package var metric: String

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(resourceType: String, resourceId: String, metric: String) {
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.metric = metric
    }
}

/// One measurement.
package struct MetricPoint: Sendable, Equatable {
    package var series: SeriesKey
    /// Unix seconds.
    package var timestamp: Int64
    package var value: Double

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(series: SeriesKey, timestamp: Int64, value: Double) {
        self.series = series
        self.timestamp = timestamp
        self.value = value
    }
}

/// A point as the history API returns it: a raw value, or a rollup's average with its range.
package struct MetricSample: Codable, Sendable, Equatable {
    /// Unix milliseconds.
    package var timestamp: Int64
    package var value: Double
    package var min: Double
    package var max: Double

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(timestamp: Int64, value: Double, min: Double, max: Double) {
        self.timestamp = timestamp
        self.value = value
        self.min = min
        self.max = max
    }
}

/// The storage tiers, finest first. Each rollup keeps average, minimum and maximum.
package enum MetricTier: Int, CaseIterable, Sendable {
    case raw = 0, minute, hourly, daily

    /// Seconds per bucket (raw keeps the sampling interval).
    package var bucket: Int64 {
        switch self {
        case .raw: 1
        case .minute: 60
        case .hourly: 3600
        case .daily: 86_400
        }
    }

    package var name: String { ["raw", "minute", "hourly", "daily"][rawValue] }
}

/// How long each tier keeps its points (Pulse's defaults: 2 h, 24 h, 7 d, 90 d).
package struct MetricsRetention: Sendable, Equatable {
    package var raw: TimeInterval = 2 * 3600
    package var minute: TimeInterval = 24 * 3600
    package var hourly: TimeInterval = 7 * 86_400
    package var daily: TimeInterval = 90 * 86_400

    package func duration(of tier: MetricTier) -> TimeInterval {
        switch tier {
        case .raw: raw
        case .minute: minute
        case .hourly: hourly
        case .daily: daily
        }
    }

    /// The finest tier that still holds the whole `span` ending now.
    package func tier(covering span: TimeInterval) -> MetricTier {
        MetricTier.allCases.first { span <= duration(of: $0) } ?? .daily
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(raw: TimeInterval = 2 * 3600, minute: TimeInterval = 24 * 3600, hourly: TimeInterval = 7 * 86_400, daily: TimeInterval = 90 * 86_400)
    {
        self.raw = raw
        self.minute = minute
        self.hourly = hourly
        self.daily = daily
    }
}

/// The metrics history: written in batches off the request path, read by the history API.
package protocol MetricsStore: Sendable {
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
