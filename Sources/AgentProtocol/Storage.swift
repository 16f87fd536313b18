/// Usage of one mounted filesystem (or ZFS pool). Shared by the host and Docker reports (`disks[]`).
///
/// Every field is optional, so `{}` decodes.
public struct DiskUsage: Codable, Sendable, Equatable {
    /// Block device, e.g. `/dev/nvme0n1p2`, or the pool name for ZFS.
    public var device: String?
    /// Mount point; `zpool:<pool>` for a ZFS pool without a mounted dataset.
    public var mountpoint: String?
    /// Filesystem name as reported by the OS (often the same as ``device``).
    public var filesystem: String?
    /// Filesystem type, e.g. `ext4`, `xfs`, `zfs`.
    public var type: String?
    /// Capacity in bytes.
    public var totalBytes: Int64?
    /// Used space in bytes.
    public var usedBytes: Int64?
    /// Free space in bytes.
    public var freeBytes: Int64?
    /// Used space as a percentage, 0–100.
    public var usage: Double?

    public init(
        device: String? = nil,
        mountpoint: String? = nil,
        filesystem: String? = nil,
        type: String? = nil,
        totalBytes: Int64? = nil,
        usedBytes: Int64? = nil,
        freeBytes: Int64? = nil,
        usage: Double? = nil
    ) {
        self.device = device
        self.mountpoint = mountpoint
        self.filesystem = filesystem
        self.type = type
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.freeBytes = freeBytes
        self.usage = usage
    }
}

/// Cumulative I/O counters of one whole disk since boot (`diskIO[]`). The server computes rates.
public struct DiskIOCounters: Codable, Sendable, Equatable {
    /// Kernel device name without `/dev/`, e.g. `nvme0n1`, `sda`.
    public var device: String
    /// Bytes read since boot.
    public var readBytes: UInt64?
    /// Bytes written since boot.
    public var writeBytes: UInt64?
    /// Completed read operations since boot.
    public var readOps: UInt64?
    /// Completed write operations since boot.
    public var writeOps: UInt64?
    /// Milliseconds spent reading since boot.
    public var readTimeMs: UInt64?
    /// Milliseconds spent writing since boot.
    public var writeTimeMs: UInt64?
    /// Milliseconds the device was busy with I/O since boot.
    public var ioTimeMs: UInt64?

    public init(
        device: String,
        readBytes: UInt64? = nil,
        writeBytes: UInt64? = nil,
        readOps: UInt64? = nil,
        writeOps: UInt64? = nil,
        readTimeMs: UInt64? = nil,
        writeTimeMs: UInt64? = nil,
        ioTimeMs: UInt64? = nil
    ) {
        self.device = device
        self.readBytes = readBytes
        self.writeBytes = writeBytes
        self.readOps = readOps
        self.writeOps = writeOps
        self.readTimeMs = readTimeMs
        self.writeTimeMs = writeTimeMs
        self.ioTimeMs = ioTimeMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(.device, default: "")
        readBytes = try c.decodeIfPresent(.readBytes)
        writeBytes = try c.decodeIfPresent(.writeBytes)
        readOps = try c.decodeIfPresent(.readOps)
        writeOps = try c.decodeIfPresent(.writeOps)
        readTimeMs = try c.decodeIfPresent(.readTimeMs)
        writeTimeMs = try c.decodeIfPresent(.writeTimeMs)
        ioTimeMs = try c.decodeIfPresent(.ioTimeMs)
    }
}
