import Foundation

/// Recent points per series in memory for `/api/charts`, bounded by construction: each series
/// has three rings of 120 slots (30 s for the last hour, 12 min for a day, 84 min for a week),
/// a slot holding the mean of the samples that fell in it. About 2 KB per series whatever the
/// sampling rate — Pulse v5 kept every sample and reached gigabytes.
actor ChartBuffers {
    struct Ring: Sendable {
        let step: Int64
        var values: [Float]
        var counts: [UInt16]
        var lastSlot: Int64 = .min

        init(step: Int64, capacity: Int) {
            self.step = step
            values = Array(repeating: 0, count: capacity)
            counts = Array(repeating: 0, count: capacity)
        }

        var capacity: Int { values.count }

        mutating func add(_ value: Double, at timestamp: Int64) {
            let slot = timestamp / step
            if lastSlot == .min { lastSlot = slot }
            guard slot > lastSlot - Int64(capacity) else { return }
            if slot > lastSlot {
                for cleared in max(lastSlot + 1, slot - Int64(capacity) + 1)...slot {
                    let index = Int(cleared % Int64(capacity))
                    values[index] = 0
                    counts[index] = 0
                }
                lastSlot = slot
            }
            let index = Int(slot % Int64(capacity))
            let count = counts[index] == .max ? counts[index] : counts[index] + 1
            values[index] += (Float(value) - values[index]) / Float(count)
            counts[index] = count
        }

        /// Slots since `start` (Unix seconds), oldest first, as (ms, value).
        func points(since start: Int64) -> [ChartPoint] {
            guard lastSlot != .min else { return [] }
            let first = max(lastSlot - Int64(capacity) + 1, start / step)
            guard first <= lastSlot else { return [] }
            return (first...lastSlot).compactMap { slot in
                let index = Int(slot % Int64(capacity))
                return counts[index] > 0 ? ChartPoint(timestamp: slot * step * 1000, value: Double(values[index])) : nil
            }
        }
    }

    static let capacity = 120
    static let steps: [Int64] = [30, 720, 5040]

    private var rings: [SeriesKey: [Ring]] = [:]
    private(set) var oldest: Int64?

    func add(_ points: [MetricPoint]) {
        for point in points {
            var series = rings[point.series] ?? Self.steps.map { Ring(step: $0, capacity: Self.capacity) }
            for index in series.indices { series[index].add(point.value, at: point.timestamp) }
            rings[point.series] = series
            oldest = min(oldest ?? point.timestamp, point.timestamp)
        }
    }

    /// Drops the series of resources not in `present` (removed guests, hosts, containers).
    func keep(_ present: Set<String>) {
        rings = rings.filter { present.contains($0.key.resourceId) }
    }

    /// Every series' points over the last `span` seconds, from the finest ring that covers it.
    func points(span: Int64, now: Int64) -> [SeriesKey: [ChartPoint]] {
        let ring = Self.steps.firstIndex { $0 * Int64(Self.capacity) >= span } ?? Self.steps.count - 1
        return rings.mapValues { $0[ring].points(since: now - span) }
    }
}

/// One point of `/api/charts`.
struct ChartPoint: Encodable, Sendable, Equatable {
    /// Unix milliseconds.
    var timestamp: Int64
    var value: Double
}
