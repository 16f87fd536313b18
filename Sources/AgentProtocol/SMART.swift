/// S.M.A.R.T. data of one physical disk (`sensors.smart[]`), read with `smartctl --json`.
public struct SMARTDisk: Codable, Sendable, Equatable {
    /// Device name without `/dev/`, e.g. `sda`, `nvme0n1`.
    public var device: String
    /// Model name.
    public var model: String?
    /// Serial number.
    public var serial: String?
    /// World Wide Name, e.g. `5000c500a1b2c3d4`; the preferred key when matching disks across sources.
    public var wwn: String?
    /// Transport: `sata`, `sas` or `nvme`.
    public var type: String?
    /// Current temperature in °C; 0 when unknown or the disk was in standby.
    public var temperature: Int
    /// Overall self-assessment: `PASSED`, `FAILED` or `UNKNOWN`.
    public var health: String?
    /// True when the disk was spun down and not woken to read attributes.
    public var standby: Bool?
    /// Normalised attributes; absent for a disk in standby.
    public var attributes: SMARTAttributes?

    public init(
        device: String,
        model: String? = nil,
        serial: String? = nil,
        wwn: String? = nil,
        type: String? = nil,
        temperature: Int = 0,
        health: String? = nil,
        standby: Bool? = nil,
        attributes: SMARTAttributes? = nil
    ) {
        self.device = device
        self.model = model
        self.serial = serial
        self.wwn = wwn
        self.type = type
        self.temperature = temperature
        self.health = health
        self.standby = standby
        self.attributes = attributes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(.device, default: "")
        model = try c.decodeIfPresent(.model)
        serial = try c.decodeIfPresent(.serial)
        wwn = try c.decodeIfPresent(.wwn)
        type = try c.decodeIfPresent(.type)
        temperature = try c.decode(.temperature, default: 0)
        health = try c.decodeIfPresent(.health)
        standby = try c.decodeIfPresent(.standby)
        attributes = try c.decodeIfPresent(.attributes)
    }
}

/// S.M.A.R.T. attributes normalised across ATA and NVMe. Each is present only when the disk reports it.
///
/// ATA values come from attribute IDs 9, 12, 5, 197, 198 and 199; NVMe values from the health log.
public struct SMARTAttributes: Codable, Sendable, Equatable {
    /// Hours powered on (ATA 9 / NVMe `power_on_hours`).
    public var powerOnHours: Int64?
    /// Power cycles (ATA 12 / NVMe `power_cycles`).
    public var powerCycles: Int64?
    /// Reallocated sectors (ATA 5).
    public var reallocatedSectors: Int64?
    /// Sectors pending reallocation (ATA 197).
    public var pendingSectors: Int64?
    /// Offline uncorrectable sectors (ATA 198).
    public var offlineUncorrectable: Int64?
    /// UDMA CRC errors, usually a cabling fault (ATA 199).
    public var udmaCrcErrors: Int64?
    /// NVMe endurance used, in percent; may exceed 100.
    public var percentageUsed: Int?
    /// NVMe spare capacity left, in percent.
    public var availableSpare: Int?
    /// NVMe media and data integrity errors.
    public var mediaErrors: Int64?
    /// NVMe unsafe shutdowns.
    public var unsafeShutdowns: Int64?

    public init(
        powerOnHours: Int64? = nil,
        powerCycles: Int64? = nil,
        reallocatedSectors: Int64? = nil,
        pendingSectors: Int64? = nil,
        offlineUncorrectable: Int64? = nil,
        udmaCrcErrors: Int64? = nil,
        percentageUsed: Int? = nil,
        availableSpare: Int? = nil,
        mediaErrors: Int64? = nil,
        unsafeShutdowns: Int64? = nil
    ) {
        self.powerOnHours = powerOnHours
        self.powerCycles = powerCycles
        self.reallocatedSectors = reallocatedSectors
        self.pendingSectors = pendingSectors
        self.offlineUncorrectable = offlineUncorrectable
        self.udmaCrcErrors = udmaCrcErrors
        self.percentageUsed = percentageUsed
        self.availableSpare = availableSpare
        self.mediaErrors = mediaErrors
        self.unsafeShutdowns = unsafeShutdowns
    }
}
