import AgentProtocol
import SystemCommand

/// ZFS pools as disks: one entry per pool from `zpool list -Hp -o name,size,allocated,free`
/// (datasets are left out of the mount list, or every dataset would repeat the pool's space).
/// The mountpoint is the pool's root dataset mount when it has one, else `zpool:<pool>`.
enum ZFSPools {
    static func parse(_ output: String, mounts: [MountEntry]) -> [DiskUsage] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 4, let size = Int64(fields[1]), let allocated = Int64(fields[2]), let free = Int64(fields[3]), size > 0
            else { return nil }
            let name = String(fields[0])
            let mountpoint = mounts.first { $0.filesystem == "zfs" && $0.device == name }?.mountpoint ?? "zpool:\(name)"
            return DiskUsage(
                device: name, mountpoint: mountpoint, filesystem: "zfs", type: "zfs", totalBytes: size, usedBytes: allocated,
                freeBytes: free, usage: Double(allocated) / Double(size) * 100)
        }
    }

    /// Runs `zpool` when it is installed; no ZFS means no entries.
    static func read(mounts: [MountEntry]) async -> [DiskUsage] {
        guard let zpool = Command.find("zpool"),
            let result = try? await Command.run(zpool, ["list", "-Hp", "-o", "name,size,allocated,free"]), result.status == 0
        else { return [] }
        return parse(result.text, mounts: mounts)
    }
}
