import Foundation

/// Recent points per series in memory for `/api/charts`, bounded by construction: each series
/// has three rings of 120 slots (30 s for the last hour, 12 min for a day, 84 min for a week),
/// a slot holding the mean of the samples that fell in it (see `ChartRings`): 16 bits for the
/// hour, 8 bits (1/254 of the series' range, under a pixel of a chart) for the day and the week.
/// About 0.5 KB per series whatever the sampling rate — Pulse v5 kept every sample and reached
/// gigabytes.
package actor ChartBuffers {
    package init() {}

    package static let capacity = 120
    static let steps: [Int64] = [30, 720, 5040]

    private var rows: [SeriesKey: Int] = [:]
    /// The hour's ring. A row has the same number here and in `coarse`: both make and release
    /// rows together.
    private var fine = ChartRings<UInt16>(steps: [ChartBuffers.steps[0]], capacity: ChartBuffers.capacity)
    /// The day's and the week's rings.
    private var coarse = ChartRings<UInt8>(steps: Array(ChartBuffers.steps.dropFirst()), capacity: ChartBuffers.capacity)
    package private(set) var oldest: Int64?

    package func add(_ points: [MetricPoint]) {
        for point in points {
            let row: Int
            if let existing = rows[point.series] {
                row = existing
            } else {
                row = fine.makeRow()
                let coarseRow = coarse.makeRow()
                assert(coarseRow == row, "the fine and coarse rings hand out the same rows")
                rows[point.series] = row
            }
            fine.add(point.value, at: point.timestamp, row: row)
            coarse.add(point.value, at: point.timestamp, row: row)
            oldest = min(oldest ?? point.timestamp, point.timestamp)
        }
    }

    /// Drops the series of resources not in `present` (removed guests, hosts, containers).
    package func keep(_ present: Set<String>) {
        for (series, row) in rows where !present.contains(series.resourceId) {
            fine.release(row)
            coarse.release(row)
            rows[series] = nil
        }
    }

    /// Every series' points over the last `span` seconds, from the finest ring that covers it.
    package func points(span: Int64, now: Int64) -> [SeriesKey: [ChartPoint]] {
        let ring = Self.steps.firstIndex { $0 * Int64(Self.capacity) >= span } ?? Self.steps.count - 1
        if ring == 0 { return rows.mapValues { fine.points(row: $0, ring: 0, since: now - span) } }
        return rows.mapValues { coarse.points(row: $0, ring: ring - 1, since: now - span) }
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
