import Foundation

/// `pveBackups.backupTasks[]`
struct BackupTaskView: Encodable, Sendable {
    var id: String
    var node: String
    var type: String
    var vmid: Int
    var status: String
    var startTime: Date
    var endTime: Date?

    init(_ task: PVEAPI.Task, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(task.upid)"
        node = task.node ?? ""
        type = task.type ?? "vzdump"
        vmid = Int(task.id ?? "") ?? 0
        status = task.status ?? "running"
        startTime = Date(timeIntervalSince1970: task.starttime.double)
        endTime = task.endtime?.value.map { Date(timeIntervalSince1970: $0) }
    }
}

/// `pveBackups.storageBackups[]`
struct StorageBackupView: Encodable, Sendable {
    var id: String
    var storage: String
    var node: String
    var instance: String
    var type: String
    var vmid: Int
    var time: Date
    var ctime: Int64
    var size: UInt64
    var format: String
    var notes: String?
    var protected: Bool
    var volid: String
    var isPBS: Bool
    var verified: Bool

    init(node: String, storage: String, item: PVEAPI.StorageContent, storageType: String?, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(storage)-\(item.volid)"
        self.storage = storage
        self.node = node
        instance = record.instance.name
        let name = item.volid.lowercased()
        type = name.contains("-lxc-") || name.contains("/ct/") ? "lxc" : "qemu"
        vmid = item.vmid?.value.map(Int.init) ?? Self.vmid(fromVolumeID: item.volid) ?? 0
        ctime = Int64(saturating: item.ctime.double)
        time = Date(timeIntervalSince1970: item.ctime.double)
        size = item.size.uint64
        format = item.format ?? ""
        notes = item.notes
        protected = item.protected.flag
        volid = item.volid
        isPBS = storageType == "pbs"
        verified = item.verification?.state == "ok"
    }

    /// `vzdump-qemu-104-…` → 104.
    static func vmid(fromVolumeID volid: String) -> Int? {
        let parts = volid.split(separator: "-")
        guard let index = parts.firstIndex(where: { $0.hasSuffix("vzdump") }), index + 2 < parts.count else { return nil }
        return Int(parts[index + 2])
    }
}

/// `pveBackups.guestSnapshots[]`
struct GuestSnapshotView: Encodable, Sendable {
    var id: String
    var name: String
    var node: String
    var instance: String
    var type: String
    var vmid: Int
    var time: Date
    var description: String?
    var parent: String?
    var vmstate: Bool

    init(node: String, type: String, vmid: Int, snapshot: PVEAPI.Snapshot, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(node)-\(vmid)-\(snapshot.name)"
        name = snapshot.name
        self.node = node
        instance = record.instance.name
        self.type = type
        self.vmid = vmid
        time = Date(timeIntervalSince1970: snapshot.snaptime.double)
        description = snapshot.description.flatMap { $0.isEmpty ? nil : $0 }
        parent = snapshot.parent
        vmstate = snapshot.vmstate.flag
    }
}
