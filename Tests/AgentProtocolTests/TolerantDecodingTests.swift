import AgentProtocol
import Foundation
import Testing

@Suite("Tolerant decoding")
struct TolerantDecodingTests {
    @Test func nullAndMissingNonOptionalArraysDecodeAsEmpty() throws {
        let nullContainers = try decode(
            DockerReport.self,
            #"""
            {"agent":{"id":"a","version":"1","intervalSeconds":30},"host":{"hostname":"h"},
             "containers":null,"timestamp":"2024-11-23T17:42:07Z"}
            """#)
        #expect(nullContainers.containers == [])
        let missingContainers = try decode(DockerReport.self, #"{"host":{"hostname":"h"}}"#)
        #expect(missingContainers.containers == [])
        let array = try decode(RAIDArray.self, #"{"device":"/dev/md0","level":"raid1","state":"clean","devices":null}"#)
        #expect(array.devices == [])
    }

    @Test func nullOptionalsDecodeAsNil() throws {
        let report = try decode(
            HostReport.self,
            #"""
            {"host":{"hostname":"h","loadAverage":null},"disks":null,"ceph":null,"sensors":{"smart":null},
             "timestamp":"2024-11-23T17:42:07Z"}
            """#)
        #expect(report.host.loadAverage == nil)
        #expect(report.disks == nil)
        #expect(report.ceph == nil)
        #expect(report.sensors.smart == nil)
    }

    @Test func emptyObjectsDecodeWithZeroValues() throws {
        let report = try decode(HostReport.self, "{}")
        #expect(report.host.hostname == "")
        #expect(report.agent.id == "")
        #expect(report.metrics == HostMetrics())
        #expect(report.timestamp.isGoZeroTime)
        let ceph = try decode(CephCluster.self, #"{"health":{},"monMap":{},"mgrMap":{},"osdMap":{},"pgMap":{}}"#)
        #expect(ceph.health.status == "")
        #expect(ceph.pgMap == CephPGMap())
        #expect(ceph.mgrMap.available == false)
        #expect(try decode(Sensors.self, "{}") == Sensors())
        #expect(try decode(MemoryMetrics.self, "{}") == MemoryMetrics())
        #expect(try decode(ContainerReport.self, "{}").createdAt.isGoZeroTime)
        #expect(try decode(KubernetesNode.self, #"{"capacity":{}}"#).capacity == NodeResources())
    }

    @Test func nullNonOptionalScalarsDecodeAsZero() throws {
        // Go leaves a field at its zero value when the JSON has null.
        let container = try decode(ContainerReport.self, #"{"id":"x","exitCode":null,"createdAt":null,"state":null}"#)
        #expect(container.exitCode == 0)
        #expect(container.state == "")
        #expect(container.createdAt.isGoZeroTime)
    }

    @Test func unknownKeysAreIgnored() throws {
        let plain = try Fixture.hostMinimal.decode(as: HostReport.self)
        let extended = try decode(
            HostReport.self,
            #"""
            {"agent":{"id":"b5e1d2c3-0a9f-4e8d-8c7b-6a5f4e3d2c1b","futureFlag":true},
             "host":{"hostname":"tiny","gpuCount":2,"nested":{"deep":[1,2,3]}},
             "metrics":{"memory":{"hugePagesBytes":1024}},"sensors":{"humidity":{"case":40}},
             "timestamp":"0001-01-01T00:00:00Z","somethingNew":[{"a":null}]}
            """#)
        #expect(extended == plain)
    }

    @Test func wrongTypesStillFail() {
        #expect(throws: DecodingError.self) {
            try decode(HostInfo.self, #"{"hostname":"h","cpuCount":"many"}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(DockerReport.self, #"{"containers":{}}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(DiskIOCounters.self, #"{"device":"sda","readBytes":-1}"#)
        }
    }

    @Test func invalidTimesFail() {
        #expect(throws: DecodingError.self) {
            try decode(HostReport.self, #"{"host":{"hostname":"h"},"timestamp":"2024-11-23 17:42:07"}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(HostReport.self, #"{"timestamp":1732383727}"#)
        }
    }
}
