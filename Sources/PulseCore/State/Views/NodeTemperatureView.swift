package import AgentProtocol
package import Foundation

/// A node's `temperature` in `/api/state`, from the host agent linked to the node (Pulse's raw
/// model: `lastUpdate` in RFC 3339). GPU keys the agent sends are kept (Pulse v5 dropped them).
package struct NodeTemperatureView: Encodable, Sendable, Equatable {
    package struct Core: Encodable, Sendable, Equatable {
        package var core: Int
        var temp: Double
    }
    package struct Device: Encodable, Sendable, Equatable {
        package var device: String
        var temp: Double
    }
    package struct GPU: Encodable, Sendable, Equatable {
        package var device: String
        var edge: Double?
        var junction: Double?
        package var mem: Double?
    }
    package struct Disk: Encodable, Sendable, Equatable {
        package var device: String
        package var serial: String?
        package var wwn: String?
        package var model: String?
        package var temperature: Int
    }

    var cpuPackage: Double?
    var cpuMax: Double?
    var cpuMin: Double?
    package var cores: [Core]?
    var gpu: [GPU]?
    var nvme: [Device]?
    package var smart: [Disk]?
    package var available: Bool
    var hasCPU: Bool
    var hasGPU: Bool
    var hasNVMe: Bool
    var hasSMART: Bool
    var lastUpdate: Date

    /// nil when the agent reports no temperature at all.
    package init?(_ sensors: Sensors, at time: Date) {
        var cores: [Core] = []
        var nvme: [Device] = []
        var gpus: [String: GPU] = [:]
        for (key, value) in sensors.temperatureCelsius ?? [:] {
            if key == Sensors.Key.cpuPackage {
                cpuPackage = value
            } else if key.hasPrefix("cpu_core_"), let index = Int(key.dropFirst("cpu_core_".count)) {
                cores.append(Core(core: index, temp: value))
            } else if key.hasPrefix("nvme"), Int(key.dropFirst(4)) != nil {
                nvme.append(Device(device: key, temp: value))
            } else if let underscore = key.lastIndex(of: "_") {
                let chip = String(key[..<underscore])
                var gpu = gpus[chip] ?? GPU(device: chip)
                switch key[key.index(after: underscore)...] {
                case "edge", "temp1": gpu.edge = value
                case "junction": gpu.junction = value
                case "mem": gpu.mem = value
                default: continue
                }
                gpus[chip] = gpu
            }
        }
        let smart = (sensors.smart ?? []).filter { $0.temperature > 0 }.map {
            Disk(device: $0.device, serial: $0.serial, wwn: $0.wwn, model: $0.model, temperature: $0.temperature)
        }
        let cpuReadings = cores.map(\.temp) + (cpuPackage.map { [$0] } ?? [])
        cpuMax = cpuReadings.max()
        cpuMin = cores.map(\.temp).min()
        self.cores = cores.isEmpty ? nil : cores.sorted { $0.core < $1.core }
        self.nvme = nvme.isEmpty ? nil : nvme.sorted { $0.device < $1.device }
        gpu = gpus.isEmpty ? nil : gpus.values.sorted { $0.device < $1.device }
        self.smart = smart.isEmpty ? nil : smart
        hasCPU = !cpuReadings.isEmpty
        hasGPU = !gpus.isEmpty
        hasNVMe = !nvme.isEmpty
        hasSMART = !smart.isEmpty
        available = hasCPU || hasGPU || hasNVMe || hasSMART
        lastUpdate = time
        guard available else { return nil }
    }
}
