/// Whole numbers from the doubles Proxmox sends: NaN becomes 0, and values past the type's range
/// its minimum or maximum. `Int(_:)` traps on all three, so one absurd number in a polled answer
/// (`"vmid": 1e300`) would end the server.
extension FixedWidthInteger {
    @inlinable
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {
            self = Self.max
        } else if value <= Double(Self.min) {
            self = Self.min
        } else {
            self.init(value)
        }
    }
}

extension FixedWidthInteger {
    /// `self + other`, or the type's maximum/minimum where the sum would overflow (sums of
    /// sizes a remote system reports).
    @inlinable
    package func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
