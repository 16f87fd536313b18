import AgentProtocol

/// The parts of `smartctl --json` output the agent uses (smartctl 7.x JSON format 1).
struct SmartctlOutput: Decodable {
    struct Device: Decodable {
        var name: String?
        var type: String?
        var `protocol`: String?
    }

    struct WWN: Decodable {
        var naa: UInt64
        var oui: UInt64
        var id: UInt64
    }

    struct Status: Decodable { var passed: Bool? }
    struct Temperature: Decodable { var current: Int? }
    struct PowerOnTime: Decodable { var hours: Int64? }
    struct Smartctl: Decodable { var exit_status: Int? }

    struct ATAAttributes: Decodable {
        struct Attribute: Decodable {
            struct Raw: Decodable { var value: Int64? }
            var id: Int
            var raw: Raw?
        }
        var table: [Attribute]?
    }

    struct NVMeHealth: Decodable {
        var percentage_used: Int?
        var available_spare: Int?
        var media_errors: Int64?
        var unsafe_shutdowns: Int64?
        var power_on_hours: Int64?
        var power_cycles: Int64?
        var temperature: Int?
    }

    var smartctl: Smartctl?
    var device: Device?
    var model_name: String?
    var serial_number: String?
    var wwn: WWN?
    var smart_status: Status?
    var temperature: Temperature?
    var power_on_time: PowerOnTime?
    var power_cycle_count: Int64?
    var ata_smart_attributes: ATAAttributes?
    var nvme_smart_health_information_log: NVMeHealth?

    /// The report entry for this output. `standby` is true when smartctl did not wake the disk
    /// (`-n standby,3` makes it exit with 3 and print little more than the device).
    func disk(standby: Bool) -> SMARTDisk? {
        guard let name = device?.name else { return nil }
        let device = name.hasPrefix("/dev/") ? String(name.dropFirst(5)) : name
        let health: String =
            switch smart_status?.passed {
            case true: "PASSED"
            case false: "FAILED"
            default: "UNKNOWN"
            }
        return SMARTDisk(
            device: device, model: model_name, serial: serial_number, wwn: wwn.map(Self.format), type: transport,
            temperature: standby ? 0 : (temperature?.current ?? nvme_smart_health_information_log?.temperature ?? 0),
            health: standby ? (smart_status == nil ? nil : health) : health, standby: standby ? true : nil,
            attributes: standby ? nil : attributes)
    }

    /// `sata`, `sas` or `nvme`, from smartctl's protocol (a USB bridge speaking SAT counts as SATA).
    var transport: String? {
        switch (device?.protocol ?? device?.type ?? "").lowercased() {
        case "nvme": "nvme"
        case "ata", "sat": "sata"
        case "scsi": "sas"
        case "": nil
        case let other: other
        }
    }

    var attributes: SMARTAttributes? {
        if let log = nvme_smart_health_information_log {
            return SMARTAttributes(
                powerOnHours: log.power_on_hours ?? power_on_time?.hours, powerCycles: log.power_cycles ?? power_cycle_count,
                percentageUsed: log.percentage_used, availableSpare: log.available_spare, mediaErrors: log.media_errors,
                unsafeShutdowns: log.unsafe_shutdowns)
        }
        guard let table = ata_smart_attributes?.table else {
            return power_on_time == nil && power_cycle_count == nil
                ? nil : SMARTAttributes(powerOnHours: power_on_time?.hours, powerCycles: power_cycle_count)
        }
        func raw(_ id: Int) -> Int64? { table.first { $0.id == id }?.raw?.value }
        return SMARTAttributes(
            // Attribute 9's raw value packs extra fields on some drives; smartctl's decoded hours are exact.
            powerOnHours: power_on_time?.hours ?? raw(9), powerCycles: power_cycle_count ?? raw(12),
            reallocatedSectors: raw(5), pendingSectors: raw(197), offlineUncorrectable: raw(198), udmaCrcErrors: raw(199))
    }

    /// `naa‖oui‖id` as 16 hex digits, the form `/dev/disk/by-id/wwn-0x…` uses.
    static func format(_ wwn: WWN) -> String {
        let digits = String(wwn.naa, radix: 16) + padded(wwn.oui, 6) + padded(wwn.id, 9)
        return digits.lowercased()
    }

    private static func padded(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// The device list of `smartctl --scan-open --json=o`.
struct SmartctlScan: Decodable {
    struct Entry: Decodable {
        var name: String
        var type: String?
    }
    var devices: [Entry]?
}
