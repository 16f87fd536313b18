/// The chart rings of every series in a few flat arrays, so that a series costs its slots and
/// nothing more: no array (header, allocation, copy-on-write) per ring or per series.
///
/// Each series (a *row*) has `steps.count` rings of `capacity` slots; a slot holds the mean of
/// the samples that fell in it, quantized to the width of `Slot` over the row's value range (its
/// largest value marks an empty slot). The range grows with headroom when a value falls outside
/// it and the row's slots are requantized then, so a slot is exact to 1/(`Slot.max` − 1) of its
/// series' range: 1/65,534 with 16-bit slots, 1/254 with 8-bit ones. The slot being filled keeps
/// its running mean in full precision.
///
/// Samples must arrive in time order per series (the sampler's order); one older than a ring's
/// newest slot is ignored by that ring.
package struct ChartRings<Slot: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let steps: [Int64]
    package let capacity: Int

    package static var empty: Slot { .max }
    static var levels: Float { Float(Slot.max - 1) }
    /// The largest magnitude a slot holds; larger samples are kept at it.
    static var largestValue: Double { 1e30 }

    /// Quantized slot means, `rowsPerPage` rows (`steps.count × capacity` slots each) per page:
    /// growing by a page never copies the slots already held (one growing array would briefly
    /// hold twice their size, and keep up to twice the capacity needed).
    private var pages: [[Slot]] = []
    static var rowsPerPage: Int { 256 }
    /// Per row: the low and high end of the quantization range.
    private var ranges: [Float] = []
    /// Per row and ring: the newest slot number (`timestamp / step`), its sample count and mean.
    private var newestSlot: [Int64] = []
    private var newestCount: [UInt16] = []
    private var newestMean: [Float] = []
    /// Rows given back by `release`, reused before the arrays grow.
    private var freeRows: [Int] = []

    package init(steps: [Int64], capacity: Int) {
        self.steps = steps
        self.capacity = capacity
    }

    private var rowLength: Int { steps.count * capacity }

    /// Rows in use.
    var rowCount: Int { ranges.count / 2 - freeRows.count }

    /// A new, empty row.
    mutating func makeRow() -> Int {
        if let row = freeRows.popLast() {
            reset(row)
            return row
        }
        let row = ranges.count / 2
        if row / Self.rowsPerPage >= pages.count {
            pages.append(Array(repeating: Self.empty, count: Self.rowsPerPage * rowLength))
        }
        ranges.append(contentsOf: [0, 0])
        newestSlot.append(contentsOf: repeatElement(.min, count: steps.count))
        newestCount.append(contentsOf: repeatElement(0, count: steps.count))
        newestMean.append(contentsOf: repeatElement(0, count: steps.count))
        return row
    }

    /// Gives `row` back; its slots are cleared when it is reused.
    package mutating func release(_ row: Int) {
        freeRows.append(row)
    }

    private mutating func reset(_ row: Int) {
        let (page, base) = rowStart(row)
        for index in base..<(base + rowLength) { pages[page][index] = Self.empty }
        ranges[row * 2] = 0
        ranges[row * 2 + 1] = 0
        for ring in 0..<steps.count {
            newestSlot[row * steps.count + ring] = .min
            newestCount[row * steps.count + ring] = 0
            newestMean[row * steps.count + ring] = 0
        }
    }

    /// Adds one sample at `timestamp` (Unix seconds) to every ring of `row`.
    package mutating func add(_ value: Double, at timestamp: Int64, row: Int) {
        guard value.isFinite else { return }
        // Within Float's range with room for the range's headroom arithmetic: beyond it the
        // quantised level became infinite and its conversion to a slot trapped.
        let sample = Float(min(max(value, -Self.largestValue), Self.largestValue))
        widenRange(of: row, toInclude: sample)
        for ring in steps.indices {
            let state = row * steps.count + ring
            let slot = timestamp / steps[ring]
            let newest = newestSlot[state]
            if newest != .min, slot < newest { continue }
            if slot != newest {
                clearSlots(row: row, ring: ring, after: newest, through: slot)
                newestSlot[state] = slot
                newestCount[state] = 0
                newestMean[state] = 0
            }
            let count = newestCount[state] == .max ? newestCount[state] : newestCount[state] + 1
            newestMean[state] += (sample - newestMean[state]) / Float(count)
            newestCount[state] = count
            let (page, index) = slotIndex(row: row, ring: ring, slot: slot)
            pages[page][index] = quantize(newestMean[state], row: row)
        }
    }

    /// Slots of `row`'s ring `ring` from slot `start / step` on, oldest first, as (ms, value).
    package func points(row: Int, ring: Int, since start: Int64) -> [ChartPoint] {
        let state = row * steps.count + ring
        let newest = newestSlot[state]
        guard newest != .min else { return [] }
        let step = steps[ring]
        let first = max(newest - Int64(capacity) + 1, start / step)
        guard first <= newest else { return [] }
        var points: [ChartPoint] = []
        points.reserveCapacity(Int(newest - first + 1))
        for slot in first...newest {
            let value: Double
            if slot == newest {
                value = Double(newestMean[state])
            } else {
                let (page, index) = slotIndex(row: row, ring: ring, slot: slot)
                let stored = pages[page][index]
                guard stored != Self.empty else { continue }
                value = Double(dequantize(stored, row: row))
            }
            points.append(ChartPoint(timestamp: slot * step * 1000, value: value))
        }
        return points
    }

    // MARK: Slots and quantization

    /// The page of `row` and the index of its first slot there.
    private func rowStart(_ row: Int) -> (page: Int, index: Int) {
        (row / Self.rowsPerPage, row % Self.rowsPerPage * rowLength)
    }

    private func slotIndex(row: Int, ring: Int, slot: Int64) -> (page: Int, index: Int) {
        let (page, base) = rowStart(row)
        return (page, base + ring * capacity + Int(slot % Int64(capacity)))
    }

    /// Empties the slots strictly after `newest` up to and including `slot` (at most one lap).
    private mutating func clearSlots(row: Int, ring: Int, after newest: Int64, through slot: Int64) {
        let from = newest == .min ? slot - Int64(capacity) + 1 : max(newest + 1, slot - Int64(capacity) + 1)
        guard from <= slot else { return }
        for cleared in from...slot {
            let (page, index) = slotIndex(row: row, ring: ring, slot: cleared)
            pages[page][index] = Self.empty
        }
    }

    private func quantize(_ value: Float, row: Int) -> Slot {
        let low = ranges[row * 2]
        let high = ranges[row * 2 + 1]
        guard high > low else { return 0 }
        let level = ((value - low) / (high - low) * Self.levels).rounded()
        return Slot(min(max(level, 0), Self.levels))
    }

    private func dequantize(_ stored: Slot, row: Int) -> Float {
        let low = ranges[row * 2]
        let high = ranges[row * 2 + 1]
        return low + Float(stored) / Self.levels * (high - low)
    }

    /// Widens the row's range (with half its width again as headroom, so widening is rare) and
    /// requantizes its stored slots.
    private mutating func widenRange(of row: Int, toInclude value: Float) {
        let low = ranges[row * 2]
        let high = ranges[row * 2 + 1]
        guard value < low || value > high || high == low else { return }
        var newLow = low
        var newHigh = high
        if high == low {
            newLow = min(0, value)
            newHigh = max(value, newLow) * 1.5
            if newHigh <= newLow { newHigh = newLow + 1 }
        } else {
            let headroom = (high - low) / 2
            if value < low { newLow = value - headroom }
            if value > high { newHigh = value + headroom }
        }
        let (page, base) = rowStart(row)
        if high > low {
            for index in base..<(base + rowLength) where pages[page][index] != Self.empty {
                let old = low + Float(pages[page][index]) / Self.levels * (high - low)
                pages[page][index] = Slot(min(max(((old - newLow) / (newHigh - newLow) * Self.levels).rounded(), 0), Self.levels))
            }
        }
        ranges[row * 2] = newLow
        ranges[row * 2 + 1] = newHigh
    }
}
