import Foundation

/// Recent points per series in memory for `/api/charts`, bounded by construction: each series
/// has three rings of 120 slots (30 s for the last hour, 12 min for a day, 84 min for a week),
/// a slot holding the mean of the samples that fell in it, in 16 bits (see `ChartRings`). About
/// 0.8 KB per series whatever the sampling rate — Pulse v5 kept every sample and reached
/// gigabytes.
package actor ChartBuffers {
    package init() {}

    package static let capacity = 120
    static let steps: [Int64] = [30, 720, 5040]

    private var rows: [SeriesKey: Int] = [:]
    private var rings = ChartRings(steps: ChartBuffers.steps, capacity: ChartBuffers.capacity)
    package private(set) var oldest: Int64?

    package func add(_ points: [MetricPoint]) {
        for point in points {
            let row: Int
            if let existing = rows[point.series] {
                row = existing
            } else {
                row = rings.makeRow()
                rows[point.series] = row
            }
            rings.add(point.value, at: point.timestamp, row: row)
            oldest = min(oldest ?? point.timestamp, point.timestamp)
        }
    }

    /// Drops the series of resources not in `present` (removed guests, hosts, containers).
    package func keep(_ present: Set<String>) {
        for (series, row) in rows where !present.contains(series.resourceId) {
            rings.release(row)
            rows[series] = nil
        }
    }

    /// Every series' points over the last `span` seconds, from the finest ring that covers it.
    package func points(span: Int64, now: Int64) -> [SeriesKey: [ChartPoint]] {
        let ring = Self.steps.firstIndex { $0 * Int64(Self.capacity) >= span } ?? Self.steps.count - 1
        return rows.mapValues { rings.points(row: $0, ring: ring, since: now - span) }
    }

    /// Series held.
    var seriesCount: Int { rows.count }
}

/// One point of `/api/charts`.
package struct ChartPoint: Encodable, Sendable, Equatable {
    /// Unix milliseconds.
    package var timestamp: Int64
    package var value: Double

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}
