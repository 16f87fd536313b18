import Foundation

/// A physical disk in `/api/state` `physicalDisks` (times RFC 3339, as Pulse's raw models).
struct PhysicalDiskView: Encodable, Sendable {
    var id: String = ""
    var node: String = ""
    var instance: String = ""
    var devPath: String = ""
    var model: String = ""
    var serial: String = ""
    var wwn: String = ""
    var type: String = ""
    var size: UInt64 = 0
    /// PASSED, FAILED or UNKNOWN.
    var health: String = ""
    /// Percent of life left, or −1 when the disk does not say.
    var wearout: Int = 0
    var temperature: Int = 0
    var rpm: Int = 0
    var used: String = ""
    var lastChecked: Date = Date(timeIntervalSince1970: 0)

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
