import AgentJSONFoundation
import AgentProtocol
import Foundation
import Synchronization
import SystemCommand
import Testing

@testable import PulseAgent

/// `ceph status` / `ceph df` JSON → the report's `ceph` object, across release shapes, and the
/// collector's handling of a CLI that fails.
@Suite struct CephTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: FixtureRoot.folder("ceph/\(name)"))))
    }

    /// A `ceph` stand-in answering from fixtures, recording the commands it was asked.
    final class RecordedCLI: Sendable {
        let asked = Mutex<[[String]]>([])
        let status: String
        let exitStatus: Int32
        init(status: String, exitStatus: Int32 = 0) {
            self.status = status
            self.exitStatus = exitStatus
        }
        var runner: CephCollector.Runner {
            { [self] arguments in
                asked.withLock { $0.append(arguments) }
                let file = arguments.first == "df" ? "df-reef.json" : status
                return Command.Result(status: exitStatus, output: try CephTests.fixture(file))
            }
        }
    }

    func cluster(_ status: String, df: String? = "df-reef.json") throws -> CephCluster {
        let parsed = try AgentJSONDecoder().decode(CephStatusOutput.self, from: try Self.fixture(status))
        let pools = try df.map { try AgentJSONDecoder().decode(CephDFOutput.self, from: try Self.fixture($0)) }
        return try #require(CephCluster(status: parsed, df: pools, collectedAt: Date(timeIntervalSince1970: 1_732_352_000)))
    }

    @Test func healthyReefCluster() throws {
        let ceph = try cluster("status-reef-ok.json")
        #expect(ceph.fsid == "5d2f7c3e-9b1a-4e61-8f0d-2c7b9a4e1f30")
        #expect(ceph.health.status == "HEALTH_OK")
        #expect(ceph.health.checks == nil)
        #expect(ceph.monMap.numMons == 3 && ceph.monMap.epoch == 3)
        #expect(ceph.monMap.monitors?.map(\.name) == ["pve1", "pve2", "pve3"])
        #expect(ceph.mgrMap == CephManagerMap(available: true, numMgrs: 3, activeMgr: nil, standbys: 2))
        #expect(ceph.osdMap == CephOSDMap(epoch: 1287, numOsds: 6, numUp: 6, numIn: 6, numDown: 0, numOut: 0))
        #expect(ceph.pgMap.numPgs == 129)
        #expect(ceph.pgMap.bytesTotal == 6_001_162_678_272 && ceph.pgMap.bytesAvailable == 4_850_325_893_120)
        #expect(abs(ceph.pgMap.usagePercent - 19.1769) < 0.001)
        #expect(ceph.pgMap.writeOpsPerSec == 187 && ceph.pgMap.readBytesPerSec == 2_371_584)
        #expect(ceph.collectedAt == "2024-11-23T08:53:20Z")
        let pools = try #require(ceph.pools)
        #expect(pools.map(\.name) == [".mgr", "vm-pool"])
        #expect(
            pools[1]
                == CephPool(
                    id: 2, name: "vm-pool", bytesUsed: 1_150_791_794_688, bytesAvailable: 1_531_876_622_336, objects: 96410,
                    percentUsed: 20.027440786361694))
        #expect(ceph.services?.map(\.type) == ["mon", "mgr", "osd"])
    }

    @Test func degradedClusterKeepsEachCheckAndDaemonCounts() throws {
        let ceph = try cluster("status-reef-warn.json")
        #expect(ceph.health.status == "HEALTH_WARN")
        #expect(ceph.health.checks?.keys.sorted() == ["OSD_DOWN", "OSD_HOST_DOWN", "PG_DEGRADED"])
        #expect(ceph.health.checks?["OSD_DOWN"] == CephCheck(severity: "HEALTH_WARN", message: "1 osds down"))
        #expect(ceph.osdMap.numUp == 4 && ceph.osdMap.numDown == 2 && ceph.osdMap.numOut == 0)
        #expect(ceph.pgMap.degradedRatio == 0.11111111111111112)
        let services = Dictionary(uniqueKeysWithValues: (ceph.services ?? []).map { ($0.type, $0) })
        #expect(services["mon"] == CephService(type: "mon", running: 2, total: 3, daemons: ["pve1", "pve2"]), "one monitor out of quorum")
        #expect(
            services["rgw"] == CephService(type: "rgw", running: 2, total: 2, daemons: ["pve1.rgw0", "pve2.rgw0"]),
            "servicemap's summary entry is not a daemon")
    }

    @Test func nautilusShapeWithNestedOSDMapAndNamedManager() throws {
        let ceph = try cluster("status-nautilus.json", df: nil)
        #expect(ceph.osdMap == CephOSDMap(epoch: 96, numOsds: 3, numUp: 3, numIn: 3, numDown: 0, numOut: 0))
        #expect(ceph.mgrMap == CephManagerMap(available: true, numMgrs: 2, activeMgr: "ceph-a", standbys: 1))
        #expect(ceph.monMap.monitors?.first == CephMonitor(name: "ceph-a", rank: 0, addr: "10.1.0.1:6789/0", status: "in quorum"))
        #expect(ceph.pools == nil)
    }

    @Test func statusWithoutAnFSIDIsNoCluster() throws {
        let parsed = try AgentJSONDecoder().decode(CephStatusOutput.self, from: Array(#"{"health":{"status":"HEALTH_OK"}}"#.utf8))
        #expect(CephCluster(status: parsed, df: nil, collectedAt: Date()) == nil)
    }

    @Test func collectorAsksBothCommandsAndCachesForTheRefreshInterval() async throws {
        let cli = RecordedCLI(status: "status-reef-ok.json")
        let collector = CephCollector(runner: cli.runner, refreshInterval: .seconds(3600))
        let first = await collector.read()
        #expect(first?.fsid == "5d2f7c3e-9b1a-4e61-8f0d-2c7b9a4e1f30")
        #expect(first?.pools?.count == 2)
        #expect(await collector.read() == first)
        #expect(
            cli.asked.withLock { $0 } == [["status", "--format", "json"], ["df", "--format", "json"]], "the second read is served from the cache")
        #expect(await collector.problem == nil)
    }

    @Test func failingCLIMeansNoCephAndAReasonNotAnError() async throws {
        let cli = RecordedCLI(status: "status-reef-ok.json", exitStatus: 1)
        let collector = CephCollector(runner: cli.runner, refreshInterval: .zero)
        #expect(await collector.read() == nil)
        #expect(await collector.problem?.contains("ceph status exited with 1") == true)

        let garbage = CephCollector(runner: { _ in Command.Result(status: 0, output: Array("not json".utf8)) }, refreshInterval: .zero)
        #expect(await garbage.read() == nil)
        #expect(await garbage.problem != nil)
    }

    @Test func noCLIOrNoClusterConfigurationMeansNotApplicable() async throws {
        // The recorded VM has no /etc/ceph.
        let collector = CephCollector.system(root: SystemRoot(FixtureRoot.debian12VM))
        #expect(await collector.isApplicable == false)
        #expect(await collector.read() == nil)
    }

    @Test func reportCarriesTheClusterWithPulseFieldNames() async throws {
        let cli = RecordedCLI(status: "status-reef-warn.json")
        let collector = HostCollector(
            settings: .init(root: SystemRoot(FixtureRoot.debian12VM)), sleep: { _ in }, addresses: { [:] },
            ceph: CephCollector(runner: cli.runner))
        let report = try await collector.collect()
        let json = try #require(try JSONSerialization.jsonObject(with: AgentJSON.makeEncoder().encode(report)) as? [String: Any])
        let ceph = try #require(json["ceph"] as? [String: Any])
        #expect((ceph["health"] as? [String: Any])?["status"] as? String == "HEALTH_WARN")
        #expect((ceph["osdMap"] as? [String: Any])?["numUp"] as? Int == 4)
        #expect((ceph["pgMap"] as? [String: Any])?["bytesTotal"] as? Int == 4_000_775_120_896)
        #expect(((ceph["pools"] as? [[String: Any]])?.last)?["percentUsed"] as? Double == 20.027440786361694)
    }
}
