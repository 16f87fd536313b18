import AgentJSONFoundation
import AgentProtocol
import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import PulseAgent

@Suite("The host collector on a recorded system tree")
struct HostCollectorTests {
    @Test func reportFromTheRecordedVM() async throws {
        let tree = try FixtureRoot.copy(FixtureRoot.debian12VM)
        defer { try? FileManager.default.removeItem(at: tree) }
        let root = SystemRoot(tree.path)
        // The collector samples /proc/stat twice; "sleeping" moves the recorded later sample in.
        let collector = HostCollector(
            settings: .init(root: root, intervalSeconds: 15, tags: ["lab"]),
            sleep: { _ in
                try? FileManager.default.removeItem(atPath: tree.path + "/proc/stat")
                try FileManager.default.copyItem(atPath: tree.path + "/proc/stat.later", toPath: tree.path + "/proc/stat")
            },
            addresses: { ["lo": ["127.0.0.1/8"], "eth0": ["192.0.2.10/24"]] })
        let report = try await collector.collect()

        #expect(report.agent.id == "01234567-89ab-cdef-0123-456789abcdef")
        #expect(report.agent.type == "unified")
        #expect(report.agent.intervalSeconds == 15)
        #expect(report.host.id == report.agent.id && report.host.machineId == report.agent.id)
        #expect(report.host.hostname == "fixture-host")
        #expect(report.host.osName == "Debian GNU/Linux" && report.host.osVersion == "12")
        #expect(report.host.kernelVersion == (try FixtureRoot.text("/proc/sys/kernel/osrelease")).trimmingASCIIWhitespace)
        #expect(report.host.cpuCount == 2)
        #expect(report.host.loadAverage?.count == 3)

        let earlier = try #require(ProcStat(try FixtureRoot.text("/proc/stat")))
        let later = try #require(ProcStat(try FixtureRoot.text("/proc/stat.later")))
        let expectedCPU = try #require(later.all.usagePercent(since: earlier.all))
        #expect(report.metrics.cpuUsagePercent == expectedCPU)
        #expect(report.metrics.cpuPerCorePercent == nil, "per-core usage is opt-in")
        #expect(report.metrics.memory.totalBytes == MemInfo(try FixtureRoot.text("/proc/meminfo"))?.totalBytes)

        #expect(report.disks?.map(\.mountpoint) == ["/"])
        #expect((report.disks?.first?.totalBytes ?? 0) > 0)
        #expect(report.diskIO?.map(\.device) == ["vda"])
        #expect(report.network?.map(\.name).contains("lo") == false)
        #expect(report.tags == ["lab"])
        #expect(report.sequenceId?.hasSuffix("-1") == true)

        let second = try await collector.collect()
        #expect(second.sequenceId?.hasSuffix("-2") == true, "every report is a distinct heartbeat")
        #expect(second.metrics.cpuUsagePercent == nil, "no time passed between the two recorded readings")
    }

    @Test func perCoreUsageComesFromEachCoreLineWhenAskedFor() async throws {
        let tree = try FixtureRoot.copy(FixtureRoot.debian12VM)
        defer { try? FileManager.default.removeItem(at: tree) }
        let collector = HostCollector(
            settings: .init(root: SystemRoot(tree.path), cpuPerCore: true),
            sleep: { _ in
                try? FileManager.default.removeItem(atPath: tree.path + "/proc/stat")
                try FileManager.default.copyItem(atPath: tree.path + "/proc/stat.later", toPath: tree.path + "/proc/stat")
            },
            addresses: { [:] })
        let report = try await collector.collect()
        let earlier = try #require(ProcStat(try FixtureRoot.text("/proc/stat")))
        let later = try #require(ProcStat(try FixtureRoot.text("/proc/stat.later")))
        let cores = try #require(report.metrics.cpuPerCorePercent)
        #expect(cores.count == 2, "the recorded VM has two vCPUs")
        for index in 0..<2 {
            #expect(cores[index] == later.cores[index].usagePercent(since: earlier.cores[index]))
            #expect((0...100).contains(cores[index]))
        }
        let encoded = String(decoding: try AgentJSON.makeEncoder().encode(report), as: UTF8.self)
        #expect(encoded.contains("\"cpuPerCorePercent\":["))
    }

    @Test func overridesWinOverTheMachine() async throws {
        let collector = HostCollector(
            settings: .init(root: SystemRoot(FixtureRoot.debian12VM), hostname: "web-1", agentID: "custom-id"),
            sleep: { _ in }, addresses: { [:] })
        let report = try await collector.collect()
        #expect(report.agent.id == "custom-id")
        #expect(report.host.hostname == "web-1")
        #expect(report.network == nil, "interfaces without addresses are left out")
    }

    @Test func theLiveSystemGivesAPlausibleReport() async throws {
        let report = try await HostCollector(settings: .init(cpuSampleWindow: .milliseconds(200))).collect()
        let cpu = try #require(report.metrics.cpuUsagePercent)
        #expect((0...100).contains(cpu))
        let meminfo = try #require(SystemRoot.live.read("/proc/meminfo").flatMap(MemInfo.init))
        #expect(report.metrics.memory.totalBytes == meminfo.totalBytes)
        #expect(report.disks?.isEmpty == false)
        #expect(report.host.architecture == HostCollector.architecture())
    }
}
