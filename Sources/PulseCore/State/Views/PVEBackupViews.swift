package import Foundation

/// `pveBackups.backupTasks[]`
package struct BackupTaskView: Encodable, Sendable {
    package var id: String = ""
    package var node: String = ""
    package var type: String = ""
    package var vmid: Int = 0
    package var status: String = ""
    package var startTime: Date = Date(timeIntervalSince1970: 0)
    package var endTime: Date?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// `pveBackups.storageBackups[]`
package struct StorageBackupView: Encodable, Sendable {
    package var id: String = ""
    package var storage: String = ""
    package var node: String = ""
    package var instance: String = ""
    package var type: String = ""
    package var vmid: Int = 0
    package var time: Date = Date(timeIntervalSince1970: 0)
    package var ctime: Int64 = 0
    package var size: UInt64 = 0
    package var format: String = ""
    package var notes: String?
    package var protected: Bool = false
    package var volid: String = ""
    package var isPBS: Bool = false
    package var verified: Bool = false

    /// An empty value, filled in by the module that builds it.
    package init() {}

    /// `vzdump-qemu-104-…` → 104.
    package static func vmid(fromVolumeID volid: String) -> Int? {
        let parts = volid.split(separator: "-")
        guard let index = parts.firstIndex(where: { $0.hasSuffix("vzdump") }), index + 2 < parts.count else { return nil }
        return Int(parts[index + 2])
    }
}

/// `pveBackups.guestSnapshots[]`
package struct GuestSnapshotView: Encodable, Sendable {
    package var id: String = ""
    package var name: String = ""
    package var node: String = ""
    package var instance: String = ""
    package var type: String = ""
    package var vmid: Int = 0
    package var time: Date = Date(timeIntervalSince1970: 0)
    package var description: String?
    package var parent: String?
    package var vmstate: Bool = false

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
