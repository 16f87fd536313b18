import AgentProtocol
import CurlHTTP
import SystemCommand

/// `mdadm --detail /dev/mdN`: what /proc/mdstat does not say (array name and UUID) and mdadm's
/// own wording of the state and member roles (`spare rebuilding`).
enum MDADMDetail {
    /// `array` with the details from mdadm's output laid over it.
    static func merge(_ output: String, into array: RAIDArray) -> RAIDArray {
        var array = array
        var inDeviceTable = false
        var devices: [RAIDDevice] = []
        for rawLine in output.split(separator: "\n") {
            let line = rawLine.trimmingASCIIWhitespace
            if line.hasPrefix("Number") && line.containsText("RaidDevice") {
                inDeviceTable = true
                continue
            }
            if inDeviceTable {
                if let device = tableRow(line) { devices.append(device) }
                continue
            }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingASCIIWhitespace
            let value = parts[1].trimmingASCIIWhitespace
            switch key {
            case "State": array.state = value
            case "Name": array.name = value.split(separator: "(").first.map { $0.trimmingASCIIWhitespace }
            case "UUID": array.uuid = value
            case "Raid Level": array.level = value
            case "Raid Devices": array.totalDevices = Int(value) ?? array.totalDevices
            case "Active Devices": array.activeDevices = Int(value) ?? array.activeDevices
            case "Working Devices": array.workingDevices = Int(value) ?? array.workingDevices
            case "Failed Devices": array.failedDevices = Int(value) ?? array.failedDevices
            case "Spare Devices": array.spareDevices = Int(value) ?? array.spareDevices
            default: break
            }
        }
        if !devices.isEmpty { array.devices = devices }
        return array
    }

    /// `   2       8       17        1      spare rebuilding   /dev/sdb1` (RaidDevice `-` for spares).
    private static func tableRow(_ line: String) -> RAIDDevice? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 6, Int(fields[0]) != nil, let path = fields.last, path.hasPrefix("/dev/") else { return nil }
        let state = fields[4..<(fields.count - 1)].joined(separator: " ")
        return RAIDDevice(device: String(path), state: state, slot: Int(fields[3]) ?? -1)
    }

    /// Enriches every array when `mdadm` is installed; otherwise returns them unchanged.
    static func enrich(_ arrays: [RAIDArray]) async -> [RAIDArray] {
        guard !arrays.isEmpty, let mdadm = Command.find("mdadm") else { return arrays }
        var result: [RAIDArray] = []
        for array in arrays {
            if let detail = try? await Command.run(mdadm, ["--detail", array.device]), detail.status == 0 {
                result.append(merge(detail.text, into: array))
            } else {
                result.append(array)
            }
        }
        return result
    }
}
