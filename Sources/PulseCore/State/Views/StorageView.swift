import Foundation

/// A storage on one node in `/api/state` `storage` and `/api/storage/`.
package struct StorageView: Encodable, Sendable {
    package var id: String = ""
    package var storage: String = ""
    package var name: String = ""
    package var node: String = ""
    package var instance: String = ""
    package var type: String = ""
    package var status: String = ""
    package var total: UInt64 = 0
    package var used: UInt64 = 0
    package var avail: UInt64 = 0
    package var free: UInt64 = 0
    package var usage: Double = 0
    package var content: String = ""
    package var shared: Bool = false
    package var enabled: Bool = false
    package var active: Bool = false
    /// For a ZFS storage: its pool's size, allocation, fragmentation and health.
    package var zfsPool: ZFSPoolView?
    /// Present when the last poll could not read this node's storage: these are the last good values.
    package var freshness: DataFreshness?

    package struct ZFSPoolView: Encodable, Sendable {
        package var name: String
        package var health: String
        package var size: UInt64
        package var alloc: UInt64
        package var free: UInt64
        package var frag: Int
        package var dedup: Double

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(name: String, health: String, size: UInt64, alloc: UInt64, free: UInt64, frag: Int, dedup: Double) {
            self.name = name
            self.health = health
            self.size = size
            self.alloc = alloc
            self.free = free
            self.frag = frag
            self.dedup = dedup
        }
    }

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
