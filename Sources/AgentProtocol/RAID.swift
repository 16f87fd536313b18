/// One Linux md RAID array (`raid[]`), from `/proc/mdstat` and `mdadm --detail`.
public struct RAIDArray: Codable, Sendable, Equatable {
    /// Array device, e.g. `/dev/md0`.
    public var device: String
    /// Array name, if set, e.g. `nas:0`.
    public var name: String?
    /// RAID level: `raid0`, `raid1`, `raid5`, `raid6`, `raid10`, …
    public var level: String
    /// mdadm state, e.g. `clean`, `active`, `degraded`, `recovering`, `resyncing`, or combinations
    /// such as `clean, degraded, recovering`.
    public var state: String
    /// Devices the array is made of.
    public var totalDevices: Int
    /// Devices active in the array.
    public var activeDevices: Int
    /// Devices working (active plus spares).
    public var workingDevices: Int
    /// Failed devices.
    public var failedDevices: Int
    /// Spare devices.
    public var spareDevices: Int
    /// Array UUID.
    public var uuid: String?
    /// Member devices; always written.
    public var devices: [RAIDDevice]
    /// Progress of a rebuild, resync or check, 0–100; 0 when idle.
    public var rebuildPercent: Double
    /// Sync speed as mdstat shows it, e.g. `185000K/sec`.
    public var rebuildSpeed: String?
    /// The sync action in progress: `recovery` (rebuild after a disk replacement), `resync` (after an
    /// unclean shutdown) or `check` (a scrub). Absent when idle. Lets alerts tell a real rebuild from
    /// routine maintenance.
    public var operation: String?

    public init(
        device: String,
        name: String? = nil,
        level: String,
        state: String,
        totalDevices: Int = 0,
        activeDevices: Int = 0,
        workingDevices: Int = 0,
        failedDevices: Int = 0,
        spareDevices: Int = 0,
        uuid: String? = nil,
        devices: [RAIDDevice] = [],
        rebuildPercent: Double = 0,
        rebuildSpeed: String? = nil,
        operation: String? = nil
    ) {
        self.device = device
        self.name = name
        self.level = level
        self.state = state
        self.totalDevices = totalDevices
        self.activeDevices = activeDevices
        self.workingDevices = workingDevices
        self.failedDevices = failedDevices
        self.spareDevices = spareDevices
        self.uuid = uuid
        self.devices = devices
        self.rebuildPercent = rebuildPercent
        self.rebuildSpeed = rebuildSpeed
        self.operation = operation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(.device, default: "")
        name = try c.decodeIfPresent(.name)
        level = try c.decode(.level, default: "")
        state = try c.decode(.state, default: "")
        totalDevices = try c.decode(.totalDevices, default: 0)
        activeDevices = try c.decode(.activeDevices, default: 0)
        workingDevices = try c.decode(.workingDevices, default: 0)
        failedDevices = try c.decode(.failedDevices, default: 0)
        spareDevices = try c.decode(.spareDevices, default: 0)
        uuid = try c.decodeIfPresent(.uuid)
        devices = try c.decode(.devices, default: [])
        rebuildPercent = try c.decode(.rebuildPercent, default: 0)
        rebuildSpeed = try c.decodeIfPresent(.rebuildSpeed)
        operation = try c.decodeIfPresent(.operation)
    }
}

/// One member of a RAID array.
public struct RAIDDevice: Codable, Sendable, Equatable {
    /// Member device, e.g. `/dev/sda1`.
    public var device: String
    /// `active`, `spare`, `faulty`, `removed`, or mdadm's combined form such as `spare rebuilding`.
    public var state: String
    /// Position in the array; -1 when not applicable (spares, faulty devices).
    public var slot: Int

    public init(device: String, state: String, slot: Int) {
        self.device = device
        self.state = state
        self.slot = slot
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(.device, default: "")
        state = try c.decode(.state, default: "")
        slot = try c.decode(.slot, default: 0)
    }
}
