import AgentJSONFoundation
import AgentProtocol
import Foundation
import TestSupport
import Testing

@testable import PulseAgent

@Suite("Temperatures: libsensors readings to Pulse's keys")
struct SensorTests {
    /// Reads a `sensors -j`-shaped fixture into chip readings, the way libsensors reports them.
    static func chips(_ name: String) throws -> [ChipReading] {
        let url = URL(fileURLWithPath: FixtureRoot.folder("sensors/\(name).json"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [String: Any]])
        return json.keys.sorted().map { chipName in
            var chip = ChipReading(name: chipName, prefix: String(chipName.split(separator: "-").first ?? ""))
            for (label, value) in json[chipName]!.sorted(by: { $0.key < $1.key }) {
                guard let readings = value as? [String: Double] else { continue }
                if let temperature = readings.first(where: { $0.key.hasPrefix("temp") && $0.key.hasSuffix("_input") })?.value {
                    chip.temperatures.append((label, temperature))
                }
                if let rpm = readings.first(where: { $0.key.hasPrefix("fan") && $0.key.hasSuffix("_input") })?.value {
                    chip.fans.append((label, rpm))
                }
            }
            return chip
        }
    }

    @Test func intelDesktop() throws {
        let result = TemperatureMap.map(try Self.chips("intel-desktop"))
        let temperatures = try #require(result.sensors.temperatureCelsius)
        #expect(temperatures["cpu_package"] == 52.0, "coretemp's Package id wins over the SuperIO CPUTIN")
        #expect(temperatures["cpu_core_0"] == 49.0 && temperatures["cpu_core_3"] == 50.0)
        #expect(temperatures["nvme0"] == 36.85, "NVMe chips in name order: pci-0100 first")
        #expect(temperatures["nvme1"] == 41.85, "each by its Composite reading")
        #expect(result.sensors.additional?["acpitz_temp1"] == 27.8)
        #expect(result.sensors.additional?["nct6798_systin"] == 34.0)
        #expect(result.sensors.fanRpm == ["nct6798_fan1": 0, "nct6798_fan2": 1130])
        #expect(result.dropped == ["nct6798-isa-0290/AUXTIN3: -62.0"], "a disconnected probe is dropped")
    }

    @Test func amdWorkstationKeepsGPUKeys() throws {
        let result = TemperatureMap.map(try Self.chips("amd-workstation"))
        let temperatures = try #require(result.sensors.temperatureCelsius)
        #expect(temperatures["cpu_package"] == 63.25, "Tctl, as there is no Tdie")
        #expect(temperatures["amdgpu-pci-0b00_edge"] == 47.0)
        #expect(temperatures["amdgpu-pci-0b00_junction"] == 53.0)
        #expect(temperatures["amdgpu-pci-0b00_mem"] == 60.0)
        #expect(temperatures["nvme0"] == 45.85)
        #expect(result.sensors.fanRpm?["amdgpu_fan1"] == 1650)
        #expect(result.dropped == ["iwlwifi_1-virtual-0/temp1: 255.0"])
    }

    @Test func raspberryPiCPUThermal() throws {
        let result = TemperatureMap.map(try Self.chips("raspberry-pi"))
        #expect(result.sensors.temperatureCelsius == ["cpu_package": 55.017])
    }

    @Test func includeExcludeAndPrimary() throws {
        let chips = try Self.chips("intel-desktop")
        let onlyCPU = TemperatureMap.map(chips, selection: SensorSelection(include: ["coretemp-*/*"]))
        #expect(onlyCPU.sensors.temperatureCelsius?.keys.sorted() == ["cpu_core_0", "cpu_core_1", "cpu_core_2", "cpu_core_3", "cpu_package"])
        #expect(onlyCPU.sensors.fanRpm == nil)
        let noNVMe = TemperatureMap.map(chips, selection: SensorSelection(exclude: ["nvme-*/*"]))
        #expect(noNVMe.sensors.temperatureCelsius?["nvme0"] == nil)
        let primary = TemperatureMap.map(chips, selection: SensorSelection(primary: "nct6798-*/CPUTIN"))
        #expect(primary.sensors.temperatureCelsius?["cpu_package"] == 40.5)
    }

    @Test func noChipsMeansEmptyMapsNotAnError() {
        let result = TemperatureMap.map([])
        #expect(result.sensors == Sensors())
    }

    static var fakeHwmon: String {
        PeerScript.folder + "/fake-hwmon.sh"
    }

    /// The real libsensors, loaded by the agent, reading the fake hwmon tree from ../shared/peers
    /// (a private mount namespace; needs root, which CI has).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: fakeHwmon)))
    func realLibsensorsReadsTheFakeHwmonTree() async throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-hwmon-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tree) }
        #expect(try await ChildProcess.run("/bin/bash", [Self.fakeHwmon, "make", tree]).status == 0)
        let run = try await ChildProcess.run("/bin/bash", [Self.fakeHwmon, "run", tree, FixtureRoot.agentBinary, "--once"])
        #expect(run.status == 0)
        let report = try AgentJSON.makeDecoder().decode(HostReport.self, from: run.output)
        #expect(report.sensors.temperatureCelsius == ["cpu_package": 45.0, "cpu_core_0": 43.0, "nvme0": 38.85])
        #expect(report.sensors.fanRpm == ["nct6775_fan1": 1200])
        #expect(report.sensors.additional == ["nct6775_systin": 33.5])
    }
}
