import Foundation
import PulseCore
import PulseSupport

extension PhysicalDiskView {
    package init(_ disk: PVEAPI.Disk, node: String, in record: PVEPollHistory) {
        self.init()
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
