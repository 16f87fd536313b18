package import Foundation

/// A physical disk in `/api/state` `physicalDisks` (times RFC 3339, as Pulse's raw models).
package struct PhysicalDiskView: Encodable, Sendable {
    package var id: String = ""
    package var node: String = ""
    package var instance: String = ""
    package var devPath: String = ""
    package var model: String = ""
    package var serial: String = ""
    package var wwn: String = ""
    package var type: String = ""
    package var size: UInt64 = 0
    /// PASSED, FAILED or UNKNOWN.
    package var health: String = ""
    /// Percent of life left, or −1 when the disk does not say.
    package var wearout: Int = 0
    package var temperature: Int = 0
    package var rpm: Int = 0
    package var used: String = ""
    package var lastChecked: Date = Date(timeIntervalSince1970: 0)
    /// Present when the last disk read of this node failed: these are the last good values.
    package var freshness: DataFreshness?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
