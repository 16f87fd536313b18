import Foundation
import PulseCore
import PulseSupport

extension BackupTaskView {
    package init(_ task: PVEAPI.Task, in record: PVEPollHistory) {
        self.init()
        id = "\(record.instance.name)-\(task.upid)"
        node = task.node ?? ""
        type = task.type ?? "vzdump"
        vmid = Int(task.id ?? "") ?? 0
        status = task.status ?? "running"
        startTime = Date(timeIntervalSince1970: task.starttime.double)
        endTime = task.endtime?.value.map { Date(timeIntervalSince1970: $0) }
    }
}

extension StorageBackupView {
    package init(node: String, storage: String, item: PVEAPI.StorageContent, storageType: String?, in record: PVEPollHistory) {
        self.init()
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
}

extension GuestSnapshotView {
    package init(node: String, type: String, vmid: Int, snapshot: PVEAPI.Snapshot, in record: PVEPollHistory) {
        self.init()
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
