import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Numbers a polled Proxmox answer carries become whole numbers without trapping (helper
/// review: `"vmid": 1e300` or two filesystems of 2^63 bytes would have ended the server).
@Suite("Saturating conversions of polled numbers")
struct SaturatingConversionTests {
    @Test func absurdDoublesBecomeTheNearestWholeNumber() {
        #expect(Int(saturating: 1e300) == Int.max)
        #expect(Int(saturating: -1e300) == Int.min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: .infinity) == Int64.max)
        #expect(UInt64(saturating: -5) == 0)
        #expect(Int(saturating: 101.9) == 101)
    }

    @Test func sumsOfHugeSizesStopAtTheMaximum() {
        let half = UInt64(1) << 63
        #expect(half.saturatingAdding(half) == UInt64.max)
        #expect(UInt64(3).saturatingAdding(4) == 7)
        #expect(Int64.min.saturatingAdding(-1) == Int64.min)
    }
}
