import AgentProtocol
import Foundation
import Testing

@testable import Patrol
@testable import PulseCore

/// Each detector on a pair of seeded states: one it must report, one it must not.
@Suite("Patrol detectors")
struct PatrolDetectorTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let thresholds = PatrolThresholds()

    /// Hourly points over `hours` ending now, rising `perDay` from `end - perDay × hours / 24` to `end`.
    static func line(endingAt end: Double, perDay: Double, hours: Int = 48) -> [HistoryPoint] {
        (0...hours).map { hour in
            let age = Double(hours - hour) * 3600
            return HistoryPoint(time: now.timeIntervalSince1970 - age, value: end - perDay * age / 86_400)
        }
    }

    static func node(_ id: String, instance: String = "pve", disk: Double? = nil, memory: Double? = nil, cpu: Double? = nil) -> ResourceReading {
        var reading = ResourceReading(kind: .node, id: id, name: id, status: "online")
        reading.node = id
        reading.instance = instance
        reading.values[.disk] = disk
        reading.values[.memory] = memory
        reading.values[.cpu] = cpu
        return reading
    }

    static func detect(_ name: String, _ inputs: PatrolInputs, memory: PatrolMemory = PatrolMemory()) -> [Detection] {
        thresholds.detectors.first { $0.name == name }!.detect(inputs, memory: memory)
    }

    @Test func aDiskThatFillsInFiveDaysIsFoundAndOneThatFillsInThirtyIsNot() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [Self.node("fast", disk: 50), Self.node("slow", disk: 50)]
        inputs.history[SeriesKey(resourceType: "node", resourceId: "fast", metric: "disk")] = Self.line(endingAt: 50, perDay: 10)
        inputs.history[SeriesKey(resourceType: "node", resourceId: "slow", metric: "disk")] = Self.line(endingAt: 50, perDay: 50.0 / 30)
        let found = Self.detect("disk_forecast", inputs)
        #expect(found.map(\.resourceId) == ["fast"])
        let days = try? #require(found.first?.evidence["days_to_full"])
        #expect(abs((days ?? 0) - 5) < 0.01)
        #expect(found.first?.severity == .warning)
    }

    @Test func storageAboutToFillIsCriticalAndTooShortAHistoryIsNotForecast() {
        var storage = ResourceReading(kind: .storage, id: "pve/node1/local", name: "local", status: "online")
        storage.values[.usage] = 90
        var short = ResourceReading(kind: .storage, id: "short", name: "short", status: "online")
        short.values[.usage] = 90
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [storage, short]
        inputs.history[SeriesKey(resourceType: "storage", resourceId: "pve/node1/local", metric: "usage")] = Self.line(endingAt: 90, perDay: 10)
        // Four hours rising fast: too little history to fit a line on.
        inputs.history[SeriesKey(resourceType: "storage", resourceId: "short", metric: "usage")] = Self.line(endingAt: 90, perDay: 40, hours: 4)
        let found = Self.detect("disk_forecast", inputs)
        #expect(found.map(\.resourceId) == ["pve/node1/local"])
        #expect(found.first?.severity == .critical)
    }

    @Test func memoryGrowingSteadilyIsFoundAndMemoryThatMovesAboutIsNot() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [Self.node("leaky", memory: 70), Self.node("busy", memory: 60)]
        inputs.history[SeriesKey(resourceType: "node", resourceId: "leaky", metric: "memory")] = Self.line(endingAt: 70, perDay: 15, hours: 24)
        inputs.history[SeriesKey(resourceType: "node", resourceId: "busy", metric: "memory")] = (0...24).map { hour in
            HistoryPoint(time: Self.now.timeIntervalSince1970 - Double(24 - hour) * 3600, value: hour % 2 == 0 ? 50 : 70)
        }
        let found = Self.detect("memory_growth", inputs)
        #expect(found.map(\.resourceId) == ["leaky"])
        #expect((found.first?.evidence["daily_change_pct"] ?? 0) > 14.9)
    }

    @Test func aGuestWithoutARecentBackupIsFoundAndOneBackedUpYesterdayIsNot() {
        func guest(_ id: String, backup: Date?) -> ResourceReading {
            var reading = ResourceReading(kind: .vm, id: id, name: id, status: "running")
            reading.vmid = 100
            reading.newestBackup = backup
            return reading
        }
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [
            guest("old", backup: Self.now.addingTimeInterval(-10 * 86_400)), guest("fresh", backup: Self.now.addingTimeInterval(-86_400)),
            guest("never", backup: nil),
        ]
        let found = Dictionary(uniqueKeysWithValues: Self.detect("backup_age", inputs).map { ($0.resourceId, $0) })
        #expect(Set(found.keys) == ["old", "never"])
        #expect(found["old"]?.severity == .warning)
        #expect(found["never"]?.severity == .critical)
        #expect(found["old"]?.evidence["age_hours"] == 240)
    }

    @Test func aContainerRestartingOverAndOverIsFoundAndAStableOneIsNot() {
        var memory = PatrolMemory()
        func inputs(at minutes: Double, looping: Int) -> PatrolInputs {
            var host = ResourceReading(kind: .dockerHost, id: "docker:d1", recordID: "d1", name: "d1", status: "online")
            host.containers = [
                ContainerReading(
                    id: "c-loop", name: "loop", state: "running", health: nil, exitCode: 1, restartCount: looping, cpuPercent: 0,
                    memoryPercent: 0, memoryUsageBytes: 0, memoryLimitBytes: 0),
                ContainerReading(
                    id: "c-calm", name: "calm", state: "running", health: nil, exitCode: 0, restartCount: 1, cpuPercent: 0, memoryPercent: 0,
                    memoryUsageBytes: 0, memoryLimitBytes: 0),
            ]
            var value = PatrolInputs(now: Self.now.addingTimeInterval(minutes * 60))
            value.readings = [host]
            return value
        }
        var latest = inputs(at: 0, looping: 1)
        for (minute, count) in [(0.0, 1), (10, 3), (20, 5)] {
            latest = inputs(at: minute, looping: count)
            memory.observe(latest, thresholds: Self.thresholds)
        }
        let found = Self.detect("restart_loop", latest, memory: memory)
        #expect(found.map(\.resourceId) == ["docker:d1/c-loop"])
        #expect(found.first?.evidence["restarts"] == 4)
    }

    @Test func aGuestWhoseUptimeKeepsStartingOverIsFoundAndOneRunningOnIsNot() {
        var memory = PatrolMemory()
        var latest = PatrolInputs(now: Self.now)
        for step in 0...3 {
            latest = PatrolInputs(now: Self.now.addingTimeInterval(Double(step) * 600))
            var looping = ResourceReading(kind: .vm, id: "pve:node1:101", name: "looping", status: "running")
            looping.vmid = 101
            var steady = ResourceReading(kind: .vm, id: "pve:node1:102", name: "steady", status: "running")
            steady.vmid = 102
            latest.readings = [looping, steady]
            // The looping guest has been up 2 minutes at every look; the steady one 10 minutes longer each time.
            latest.guestUptimes = ["pve:node1:101": 120, "pve:node1:102": Int64(86_400 + step * 600)]
            memory.observe(latest, thresholds: Self.thresholds)
        }
        let found = Self.detect("restart_loop", latest, memory: memory)
        #expect(found.map(\.resourceId) == ["pve:node1:101"])
        #expect(found.first?.evidence["restarts"] == 3)
    }

    @Test func aDiskWhoseReallocatedSectorsRiseIsFoundAndAnUnchangedOneIsNot() {
        func inputs(hoursLater: Double, reallocated: Int64) -> PatrolInputs {
            var host = ResourceReading(kind: .host, id: "host:h1", recordID: "h1", name: "h1", status: "online")
            host.disks = [
                SMARTDisk(device: "sda", health: "PASSED", attributes: SMARTAttributes(reallocatedSectors: reallocated)),
                SMARTDisk(device: "sdb", health: "PASSED", attributes: SMARTAttributes(reallocatedSectors: 2)),
                // Endurance used rises with normal writes: only what is left counts.
                SMARTDisk(device: "nvme0n1", health: "PASSED", attributes: SMARTAttributes(percentageUsed: Int(hoursLater) * 10 + 20)),
                SMARTDisk(device: "nvme1n1", health: "PASSED", attributes: SMARTAttributes(percentageUsed: 95)),
            ]
            var value = PatrolInputs(now: Self.now.addingTimeInterval(hoursLater * 3600))
            value.readings = [host]
            value.physicalDisks = [
                DiskHealthReading(id: "pve-node1-sdc", name: "node1 /dev/sdc", node: "node1", health: "PASSED", wearout: 80 - Int(hoursLater))
            ]
            return value
        }
        var memory = PatrolMemory()
        memory.observe(inputs(hoursLater: 0, reallocated: 0), thresholds: Self.thresholds)
        let later = inputs(hoursLater: 2, reallocated: 8)
        memory.observe(later, thresholds: Self.thresholds)
        let found = Self.detect("smart_worsening", later, memory: memory)
        #expect(found.map(\.resourceId) == ["host:h1/sda", "host:h1/nvme1n1"])
        #expect(found.first?.evidence["reallocated_sectors"] == 8)
        #expect(found.first?.evidence["reallocated_sectors_before"] == 0)

        var failing = later
        failing.physicalDisks[0].health = "FAILED"
        let failed = Self.detect("smart_worsening", failing, memory: memory).first { $0.resourceId == "pve-node1-sdc" }
        #expect(failed?.severity == .critical)
    }

    @Test func nodesFarOutOfBalanceAreFoundAndNodesCloseTogetherAreNot() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [
            Self.node("a1", instance: "alpha", memory: 92, cpu: 20), Self.node("a2", instance: "alpha", memory: 31, cpu: 25),
            Self.node("b1", instance: "beta", memory: 60, cpu: 30), Self.node("b2", instance: "beta", memory: 50, cpu: 35),
        ]
        let found = Self.detect("node_balance", inputs)
        #expect(found.map(\.resourceId) == ["a1"])
        #expect(found.first?.evidence["spread_pct"] == 61)
        #expect(found.first?.severity == .watch)
    }

    @Test func anAgentOnAnOlderVersionIsFoundAndOneOnTheCurrentVersionIsNot() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.expectedAgentVersion = "5.2.0"
        inputs.agents = [
            AgentVersionReading(id: "old", name: "old", kind: "host", version: "5.1.36"),
            AgentVersionReading(id: "current", name: "current", kind: "host", version: "v5.2.0"),
            AgentVersionReading(id: "patch", name: "patch", kind: "dockerHost", version: "5.1.99"),
        ]
        let found = Self.detect("agent_version", inputs)
        #expect(found.map(\.resourceId) == ["host:old", "docker:patch"])
        #expect(found.first?.severity == .warning)
        inputs.expectedAgentVersion = nil
        #expect(Self.detect("agent_version", inputs).isEmpty)
    }

    @Test func aCertificateCloseToExpiryIsFoundAndOneValidForMonthsIsNot() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.certificates = [
            CertificateReading(instance: "pve-main", host: "https://pve:8006", notAfter: Self.now.addingTimeInterval(2 * 86_400)),
            CertificateReading(instance: "pbs", host: "https://pbs:8007", notAfter: Self.now.addingTimeInterval(60 * 86_400)),
        ]
        let found = Self.detect("certificate_expiry", inputs)
        #expect(found.map(\.resourceId) == ["pve-main"])
        #expect(found.first?.severity == .critical)
    }

    @Test func findingIDsDependOnlyOnTheDetectorAndTheResource() {
        var inputs = PatrolInputs(now: Self.now)
        inputs.readings = [Self.node("fast", disk: 50)]
        inputs.history[SeriesKey(resourceType: "node", resourceId: "fast", metric: "disk")] = Self.line(endingAt: 50, perDay: 10)
        let first = Self.detect("disk_forecast", inputs).map(\.id)
        inputs.now = Self.now.addingTimeInterval(3600)
        inputs.readings = [Self.node("fast", disk: 55)]
        let second = Self.detect("disk_forecast", inputs).map(\.id)
        #expect(first.count == 1 && first == second)
        #expect(first == [Finding.stableID(detector: "disk_forecast", key: "fast")])
        #expect(Finding.stableID(detector: "memory_growth", key: "fast") != first[0])
    }
}
