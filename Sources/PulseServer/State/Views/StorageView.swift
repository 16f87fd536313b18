import Foundation

/// A storage on one node in `/api/state` `storage` and `/api/storage/`.
struct StorageView: Encodable, Sendable {
    var id: String = ""
    var storage: String = ""
    var name: String = ""
    var node: String = ""
    var instance: String = ""
    var type: String = ""
    var status: String = ""
    var total: UInt64 = 0
    var used: UInt64 = 0
    var avail: UInt64 = 0
    var free: UInt64 = 0
    var usage: Double = 0
    var content: String = ""
    var shared: Bool = false
    var enabled: Bool = false
    var active: Bool = false
    /// For a ZFS storage: its pool's size, allocation, fragmentation and health.
    var zfsPool: ZFSPoolView?

    struct ZFSPoolView: Encodable, Sendable {
        var name: String
        var health: String
        var size: UInt64
        var alloc: UInt64
        var free: UInt64
        var frag: Int
        var dedup: Double
    }

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
