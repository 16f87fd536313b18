import AgentProtocol
import Foundation
import Testing

@testable import PulseAgent

@Suite("Software RAID from /proc/mdstat")
struct MDStatTests {
    func arrays(_ name: String) throws -> [RAIDArray] {
        MDStat.parse(try FixtureRoot.text("/\(name).txt", in: FixtureRoot.folder("mdstat")))
    }

    @Test func cleanArrays() throws {
        let arrays = try arrays("clean")
        #expect(arrays.map(\.device) == ["/dev/md0", "/dev/md1"])
        let mirror = arrays[0]
        #expect(mirror.level == "raid1" && mirror.state == "clean")
        #expect(mirror.totalDevices == 2 && mirror.activeDevices == 2 && mirror.failedDevices == 0)
        #expect(mirror.devices.map(\.device) == ["/dev/sda1", "/dev/sdb1"], "sorted by slot")
        #expect(mirror.devices.map(\.slot) == [0, 1])
        #expect(mirror.rebuildPercent == 0 && mirror.operation == nil)
        #expect(arrays[1].level == "raid10" && arrays[1].totalDevices == 4)
    }

    @Test func degradedArrays() throws {
        let arrays = try arrays("degraded")
        let raid5 = try #require(arrays.first { $0.device == "/dev/md127" })
        #expect(raid5.level == "raid5")
        #expect(raid5.state == "clean, degraded")
        #expect(raid5.totalDevices == 4 && raid5.activeDevices == 3 && raid5.failedDevices == 1)
        #expect(raid5.devices.last?.device == "/dev/sdd1" && raid5.devices.last?.state == "faulty" && raid5.devices.last?.slot == -1)
        let mirror = try #require(arrays.first { $0.device == "/dev/md0" })
        #expect(mirror.state == "clean, degraded")
        #expect(mirror.spareDevices == 1 && mirror.workingDevices == 2)
    }

    @Test func rebuildsResyncsAndChecks() throws {
        let arrays = try arrays("rebuilding")
        let resync = try #require(arrays.first { $0.device == "/dev/md2" })
        #expect(resync.operation == "resync" && resync.rebuildPercent == 3.2 && resync.rebuildSpeed == "184458K/sec")
        #expect(resync.state == "clean, resyncing")
        let recovery = try #require(arrays.first { $0.device == "/dev/md1" })
        #expect(recovery.operation == "recovery" && recovery.rebuildPercent == 27.4)
        #expect(recovery.state == "clean, degraded, recovering")
        let check = try #require(arrays.first { $0.device == "/dev/md3" })
        #expect(check.operation == "check" && check.state == "clean, checking")
        let inactive = try #require(arrays.first { $0.device == "/dev/md4" })
        #expect(inactive.state == "inactive" && inactive.devices.first?.state == "spare")
    }

    @Test func noArrays() {
        #expect(MDStat.parse("Personalities : \nunused devices: <none>\n").isEmpty)
    }
}

@Suite("mdadm --detail over /proc/mdstat")
struct MDADMDetailTests {
    @Test func detailAddsNameUUIDAndMdadmsWording() throws {
        let arrays = MDStat.parse(try FixtureRoot.text("/rebuilding.txt", in: FixtureRoot.folder("mdstat")))
        let md1 = try #require(arrays.first { $0.device == "/dev/md1" })
        let merged = MDADMDetail.merge(try FixtureRoot.text("/mdadm-detail-md1.txt", in: FixtureRoot.folder("mdstat")), into: md1)
        #expect(merged.name == "nas:1")
        #expect(merged.uuid == "7d3f1a2b:9c8e4f10:a1b2c3d4:e5f60718")
        #expect(merged.state == "clean, degraded, recovering")
        #expect(merged.activeDevices == 1 && merged.workingDevices == 2 && merged.spareDevices == 1)
        #expect(merged.devices.map(\.state) == ["active sync", "spare rebuilding"])
        #expect(merged.devices.map(\.slot) == [0, 1])
        #expect(merged.rebuildPercent == 27.4 && merged.operation == "recovery", "progress still comes from mdstat")
    }
}
