import AgentProtocol
import Foundation
import SystemCommand
import Testing

@testable import PulseAgent

@Suite("S.M.A.R.T. from smartctl --json")
struct SMARTTests {
    /// Real smartctl outputs from the pySMART 1.4.3 sdist, fetched by `make test` (not committed).
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/test-data/pysmart-1.4.3/tests/dataset/singletests").standardizedFileURL.path
    static var haveDataset: Bool { FileManager.default.fileExists(atPath: dataset) }

    func disk(_ path: String, standby: Bool = false) throws -> SMARTDisk {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let output = try AgentJSONDecoder().decode(SmartctlOutput.self, from: [UInt8](data))
        return try #require(output.disk(standby: standby))
    }

    @Test(.enabled(if: haveDataset, "pySMART dataset not fetched"))
    func realSixteenTerabyteSATADrive() throws {
        let disk = try disk(Self.dataset + "/sata_hdd_1_issue46/heliumhdd.json")
        #expect(disk.device == "sda")
        #expect(disk.model == "WDC  WUH721816ALE6L4")
        #expect(disk.serial == "3WJMHZ6L")
        #expect(disk.wwn == "5" + "000cca" + String(10_819_538_438, radix: 16), "naa 5, oui 3274, id 10819538438")
        #expect(disk.type == "sata")
        #expect(disk.temperature == 26)
        #expect(disk.health == "PASSED")
        let attributes = try #require(disk.attributes)
        #expect(attributes.powerOnHours == 593 && attributes.powerCycles == 6)
        #expect(attributes.reallocatedSectors == 0 && attributes.pendingSectors == 0)
        #expect(attributes.offlineUncorrectable == 0 && attributes.udmaCrcErrors == 0)
        #expect(attributes.percentageUsed == nil)
    }

    @Test(.enabled(if: haveDataset, "pySMART dataset not fetched"))
    func realNVMeDrive() throws {
        let disk = try disk(Self.dataset + "/nvme_5_issue_46/nvmessd.json")
        #expect(disk.model == "WD_BLACK SN770 500GB")
        #expect(disk.type == "nvme")
        #expect(disk.temperature == 33)
        #expect(disk.wwn == nil)
        let attributes = try #require(disk.attributes)
        #expect(attributes.powerOnHours == 670 && attributes.powerCycles == 81)
        #expect(attributes.percentageUsed == 0 && attributes.availableSpare == 100)
        #expect(attributes.mediaErrors == 0 && attributes.unsafeShutdowns == 29)
        #expect(attributes.reallocatedSectors == nil)
    }

    @Test func usbBridgeDiskFailingAndInStandby() throws {
        let failing = try disk(FixtureRoot.folder("smart") + "/usb-sat-failing.json")
        #expect(failing.health == "FAILED" && failing.type == "sata")
        #expect(failing.attributes?.reallocatedSectors == 1672 && failing.attributes?.pendingSectors == 24)
        #expect(failing.attributes?.powerOnHours == 17880, "decoded hours, not the packed raw value")
        let sleeping = try disk(FixtureRoot.folder("smart") + "/usb-sat-standby.json", standby: true)
        #expect(sleeping.standby == true && sleeping.attributes == nil && sleeping.temperature == 0)
    }

    @Test func missingSmartctlIsReportedNotFatal() async {
        let collector = SMARTCollector(smartctl: nil)
        #expect(await collector.read().isEmpty)
        #expect(await collector.problem?.contains("smartctl") == true)
    }

    /// The real smartctl (smartmontools from Debian) on this machine: a VM without SMART disks.
    @Test(.enabled(if: Command.find("smartctl") != nil))
    func realSmartctlOnThisMachineNeverFails() async {
        let collector = SMARTCollector(refreshInterval: .zero)
        let disks = await collector.read()
        #expect(disks.allSatisfy { !$0.device.isEmpty })
        if disks.isEmpty { #expect(await collector.problem != nil, "an empty result says why") }
    }
}
