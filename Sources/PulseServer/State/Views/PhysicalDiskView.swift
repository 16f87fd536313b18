import Foundation

/// A physical disk in `/api/state` `physicalDisks` (times RFC 3339, as Pulse's raw models).
struct PhysicalDiskView: Encodable, Sendable {
    var id: String
    var node: String
    var instance: String
    var devPath: String
    var model: String
    var serial: String
    var wwn: String
    var type: String
    var size: UInt64
    /// PASSED, FAILED or UNKNOWN.
    var health: String
    /// Percent of life left, or −1 when the disk does not say.
    var wearout: Int
    var temperature: Int
    var rpm: Int
    var used: String
    var lastChecked: Date

    init(_ disk: PVEAPI.Disk, node: String, in record: PVEInstanceRecord) {
        devPath = disk.devpath ?? ""
        id = "\(record.instance.name)-\(node)-\(devPath.replacingOccurrences(of: "/", with: "-"))"
        self.node = node
        instance = record.instance.name
        model = disk.model ?? ""
        serial = disk.serial ?? ""
        wwn = disk.wwn ?? ""
        type = disk.type ?? ""
        size = disk.size.uint64
        let reported = (disk.health ?? "").uppercased()
        health = reported == "PASSED" || reported == "OK" ? "PASSED" : reported == "FAILED" ? "FAILED" : "UNKNOWN"
        wearout = disk.wearout?.value.map { Int(saturating: $0) } ?? -1
        temperature = 0
        rpm = disk.rpm.int
        used = disk.used ?? ""
        lastChecked = record.disksCheckedAt ?? record.polledAt
    }
}
