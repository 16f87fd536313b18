/// A least-squares line through a series: value = intercept + slope × time.
package struct LinearFit: Sendable, Equatable {
    /// Change per second.
    package var slope: Double
    package var intercept: Double
    /// How well the line explains the points (R², 0…1); 1 for a series that does not vary.
    package var fit: Double

    /// Nil for fewer than two points or points all at one time.
    package init?(_ points: [HistoryPoint]) {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanT = points.reduce(0) { $0 + $1.time } / n
        let meanV = points.reduce(0) { $0 + $1.value } / n
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for point in points {
            let dt = point.time - meanT
            let dv = point.value - meanV
            sxx += dt * dt
            sxy += dt * dv
            syy += dv * dv
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = meanV - slope * meanT
        fit = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy)
    }

    /// Change per day.
    package var slopePerDay: Double { slope * 86_400 }

    /// The line's value at `time`.
    package func value(at time: Double) -> Double { intercept + slope * time }
}
