import Foundation
import PulseCore

extension StorageView {
    package init(_ entry: PVEAPI.Storage, node: String, in record: PVEPollHistory) {
        self.init()
        id = "\(record.instance.name)-\(node)-\(entry.storage)"
        storage = entry.storage
        name = entry.storage
        self.node = node
        instance = record.instance.name
        type = entry.type ?? ""
        enabled = entry.enabled?.value.map { $0 != 0 } ?? true
        active = entry.active.flag
        status = !enabled ? "disabled" : active ? "available" : "unavailable"
        total = entry.total.uint64
        used = entry.used.uint64
        avail = entry.avail.uint64
        free = avail
        usage = total > 0 ? min(100, Double(used) / Double(total) * 100) : 0
        content = entry.content ?? ""
        shared = entry.shared.flag
        if entry.type == "zfspool", let dataset = record.zfsStoragePools[entry.storage],
            let pool = record.zfsPools[node]?.first(where: { $0.name == String(dataset.split(separator: "/").first ?? "") })
        {
            zfsPool = ZFSPoolView(
                name: pool.name, health: pool.health ?? "UNKNOWN", size: pool.size.uint64, alloc: pool.alloc.uint64,
                free: pool.free.uint64, frag: pool.frag.int, dedup: pool.dedup?.value ?? 1)
        }
    }
}
