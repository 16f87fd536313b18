import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

@Suite("Encoding like Go omitempty")
struct EncodingTests {
    @Test func minimalHostReportKeepsAlwaysWrittenKeys() throws {
        let report = HostReport(
            agent: HostAgentInfo(id: "agent-1"), host: HostInfo(hostname: "tiny"), timestamp: .goZeroTime)
        let object = try encodeToObject(report)
        #expect(Set(object.keys) == ["agent", "host", "metrics", "sensors", "timestamp"])
        #expect(object["agent"] as? [String: String] == ["id": "agent-1"])
        #expect(object["host"] as? [String: String] == ["hostname": "tiny"])
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(Set(metrics.keys) == ["memory"])
        #expect((metrics["memory"] as? [String: Any])?.isEmpty == true)
        #expect((object["sensors"] as? [String: Any])?.isEmpty == true)
        #expect(object["timestamp"] as? String == "0001-01-01T00:00:00Z")
    }

    @Test func minimalDockerReportWritesEmptyContainers() throws {
        let report = DockerReport(
            agent: AgentInfo(id: "d1", version: "1.0.0", intervalSeconds: 30),
            host: DockerHostInfo(hostname: "box"),
            timestamp: unixDate(1_732_383_727))
        let object = try encodeToObject(report)
        #expect(Set(object.keys) == ["agent", "host", "containers", "timestamp"])
        #expect((object["containers"] as? [Any])?.isEmpty == true)
        let agent = try #require(object["agent"] as? [String: Any])
        #expect(Set(agent.keys) == ["id", "version", "intervalSeconds"])
        let host = try #require(object["host"] as? [String: Any])
        #expect(Set(host.keys) == ["hostname", "memory"])
        #expect(object["timestamp"] as? String == "2024-11-23T17:42:07Z")
    }

    @Test func containerWritesNonOmitemptyFieldsEvenWhenZero() throws {
        let container = ContainerReport(
            id: "abc", name: "idle", image: "busybox", createdAt: unixDate(1_732_383_727, millis: 250),
            state: "created", status: "Created")
        let object = try encodeToObject(container)
        #expect(
            Set(object.keys) == [
                "id", "name", "image", "createdAt", "state", "status", "cpuPercent", "memoryUsageBytes",
                "memoryLimitBytes", "memoryPercent", "uptimeSeconds", "restartCount", "exitCode",
            ])
        #expect(object["exitCode"] as? Int == 0)
        #expect(object["createdAt"] as? String == "2024-11-23T17:42:07.25Z")
    }

    @Test func minimalKubernetesReport() throws {
        let report = KubernetesReport(
            agent: AgentInfo(id: "k1", version: "1.0.0", intervalSeconds: 60),
            cluster: KubernetesCluster(id: "c1"),
            timestamp: unixDate(0))
        let object = try encodeToObject(report)
        #expect(Set(object.keys) == ["agent", "cluster", "timestamp"])
        #expect(object["cluster"] as? [String: String] == ["id": "c1"])
        #expect(object["timestamp"] as? String == "1970-01-01T00:00:00Z")
    }

    @Test func raidAndNodeAlwaysWriteTheirRequiredFields() throws {
        let raid = try encodeToObject(RAIDArray(device: "/dev/md0", level: "raid1", state: "clean"))
        #expect(
            Set(raid.keys) == [
                "device", "level", "state", "totalDevices", "activeDevices", "workingDevices", "failedDevices",
                "spareDevices", "devices", "rebuildPercent",
            ])
        let node = try encodeToObject(KubernetesNode(uid: "u", name: "n", ready: false))
        #expect(Set(node.keys) == ["uid", "name", "ready", "capacity", "allocatable"])
    }

    @Test func replyLastSeenIsRFC3339() throws {
        let reply = HostReportReply(hostId: "atlas", lastSeen: unixDate(1_732_383_727, millis: 5))
        let object = try encodeToObject(reply)
        #expect(Set(object.keys) == ["success", "hostId", "lastSeen"])
        #expect(object["lastSeen"] as? String == "2024-11-23T17:42:07.005Z")
        #expect(object["success"] as? Bool == true)
    }

    @Test func encoderRejectsYearsRFC3339CannotHold() {
        #expect(throws: EncodingError.self) {
            try AgentJSON.makeEncoder().encode(["t": Date(timeIntervalSince1970: 300_000_000_000)])
        }
    }
}
