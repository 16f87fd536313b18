#if canImport(Glibc)
import Glibc
#endif

/// One line of `/proc/mounts`.
struct MountEntry: Sendable, Equatable {
    var device: String
    var mountpoint: String
    var filesystem: String

    /// Parses `/proc/mounts`, undoing the kernel's octal escapes (`\040` is a space).
    static func parse(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { return nil }
            return MountEntry(device: unescape(fields[0]), mountpoint: unescape(fields[1]), filesystem: String(fields[2]))
        }
    }

    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Which mounts are real storage worth reporting (Pulse's filesystem filters, plus the user's
/// `--disk-exclude` globs).
struct DiskFilter: Sendable {
    /// Read-only images, memory and kernel filesystems, network filesystems, overlays.
    static let ignoredFilesystems: Set<String> = [
        "squashfs", "erofs", "iso9660", "udf", "cramfs", "romfs", "overlay", "aufs",
        "tmpfs", "devtmpfs", "ramfs", "cgroup", "cgroup2", "proc", "sysfs", "devpts", "mqueue", "securityfs",
        "debugfs", "tracefs", "pstore", "bpf", "autofs", "hugetlbfs", "configfs", "fusectl", "binfmt_misc",
        "efivarfs", "rpc_pipefs", "nsfs", "selinuxfs",
        "9p", "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ceph", "glusterfs", "sshfs",
        "zfs",  // ZFS is reported per pool through `zpool list`, not per dataset.
    ]
    static let ignoredPrefixes = ["/dev", "/proc", "/sys", "/run", "/var/lib/docker", "/var/lib/containers", "/snap"]
    static let ignoredMountpoints: Set<String> = ["/boot/efi"]

    /// Globs matched against the mountpoint and the device (`/mnt/backup*`, `sdz`).
    var excludePatterns: [String] = []

    func includes(_ mount: MountEntry) -> Bool {
        if Self.ignoredFilesystems.contains(mount.filesystem) || mount.filesystem.hasPrefix("fuse") { return false }
        if Self.ignoredMountpoints.contains(mount.mountpoint) { return false }
        if Self.ignoredPrefixes.contains(where: { mount.mountpoint == $0 || mount.mountpoint.hasPrefix($0 + "/") }) { return false }
        return !isExcluded(device: mount.device, mountpoint: mount.mountpoint)
    }

    /// Whether a `--disk-exclude` glob matches the mountpoint, the device or the device's last
    /// path component. Also applied to ZFS pools, which are not mounts.
    func isExcluded(device: String, mountpoint: String) -> Bool {
        let deviceName = device.split(separator: "/").last.map(String.init) ?? device
        return excludePatterns.contains { pattern in
            fnmatch(pattern, mountpoint, 0) == 0 || fnmatch(pattern, device, 0) == 0 || fnmatch(pattern, deviceName, 0) == 0
        }
    }

    /// The mounts to report: filtered, and one entry per device (bind mounts and repeats of the
    /// same filesystem keep the shortest mountpoint).
    func select(_ mounts: [MountEntry]) -> [MountEntry] {
        var byDevice: [String: MountEntry] = [:]
        var order: [String] = []
        for mount in mounts where includes(mount) {
            if let existing = byDevice[mount.device] {
                if mount.mountpoint.count < existing.mountpoint.count { byDevice[mount.device] = mount }
            } else {
                byDevice[mount.device] = mount
                order.append(mount.device)
            }
        }
        return order.compactMap { byDevice[$0] }
    }
}

/// Space on a mounted filesystem, from `statvfs`.
struct FilesystemSpace: Sendable, Equatable {
    var totalBytes: Int64
    var usedBytes: Int64
    /// Space available to unprivileged users (what `df` shows as Avail).
    var freeBytes: Int64

    /// `df`'s percentage: used / (used + available).
    var usagePercent: Double {
        let base = usedBytes + freeBytes
        return base > 0 ? Double(usedBytes) / Double(base) * 100 : 0
    }

    static func measure(_ path: String) -> FilesystemSpace? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0, stats.f_blocks > 0 else { return nil }
        let unit = Int64(stats.f_frsize)
        let total = Int64(stats.f_blocks) * unit
        return FilesystemSpace(
            totalBytes: total, usedBytes: total - Int64(stats.f_bfree) * unit, freeBytes: Int64(stats.f_bavail) * unit)
    }
}
