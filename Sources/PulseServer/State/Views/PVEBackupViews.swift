import Foundation

/// `pveBackups.backupTasks[]`
struct BackupTaskView: Encodable, Sendable {
    var id: String = ""
    var node: String = ""
    var type: String = ""
    var vmid: Int = 0
    var status: String = ""
    var startTime: Date = Date(timeIntervalSince1970: 0)
    var endTime: Date?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// `pveBackups.storageBackups[]`
struct StorageBackupView: Encodable, Sendable {
    var id: String = ""
    var storage: String = ""
    var node: String = ""
    var instance: String = ""
    var type: String = ""
    var vmid: Int = 0
    var time: Date = Date(timeIntervalSince1970: 0)
    var ctime: Int64 = 0
    var size: UInt64 = 0
    var format: String = ""
    var notes: String?
    var protected: Bool = false
    var volid: String = ""
    var isPBS: Bool = false
    var verified: Bool = false

    /// An empty value, filled in by the module that builds it.
    package init() {}

    /// `vzdump-qemu-104-…` → 104.
    static func vmid(fromVolumeID volid: String) -> Int? {
        let parts = volid.split(separator: "-")
        guard let index = parts.firstIndex(where: { $0.hasSuffix("vzdump") }), index + 2 < parts.count else { return nil }
        return Int(parts[index + 2])
    }
}

/// `pveBackups.guestSnapshots[]`
struct GuestSnapshotView: Encodable, Sendable {
    var id: String = ""
    var name: String = ""
    var node: String = ""
    var instance: String = ""
    var type: String = ""
    var vmid: Int = 0
    var time: Date = Date(timeIntervalSince1970: 0)
    var description: String?
    var parent: String?
    var vmstate: Bool = false

    /// An empty value, filled in by the module that builds it.
    package init() {}
}
