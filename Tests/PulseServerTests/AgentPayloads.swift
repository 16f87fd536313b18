import AgentJSONFoundation
import AgentProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Pulse-v5-shaped agent payloads for server tests.
enum AgentPayloads {
    /// The AgentProtocol corpus, shared rather than copied.
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../AgentProtocolTests/Fixtures/\(name).json").standardizedFileURL
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A unified host agent's report; counters and times are parameters so tests can move them.
    static func host(
        hostname: String, agentID: String = "agent-1", machineID: String? = nil, hostID: String? = nil,
        interval: Int = 30, timestamp: String = "2025-06-15T15:06:40Z", sequence: String? = nil,
        readBytes: UInt64 = 1_000_000, rxBytes: UInt64 = 5_000, cpu: Double = 12.5
    ) -> String {
        var host: [String: Any] = [
            "hostname": hostname, "platform": "linux", "osName": "Debian GNU/Linux", "osVersion": "12",
            "kernelVersion": "6.1.0-18-amd64", "architecture": "amd64", "cpuCount": 4, "uptimeSeconds": 3600,
            "loadAverage": [0.5, 0.4, 0.3],
        ]
        if let machineID { host["machineId"] = machineID }
        if let hostID { host["id"] = hostID }
        var report: [String: Any] = [
            "agent": ["id": agentID, "version": "5.1.36", "type": "unified", "intervalSeconds": interval],
            "host": host,
            "metrics": ["cpuUsagePercent": cpu, "memory": ["totalBytes": 8_000_000_000, "usedBytes": 2_000_000_000, "freeBytes": 6_000_000_000]],
            "disks": [
                [
                    "device": "/dev/sda1", "mountpoint": "/", "type": "ext4", "totalBytes": 100_000, "usedBytes": 40_000, "freeBytes": 60_000,
                    "usage": 40.0,
                ]
            ],
            "diskIO": [["device": "sda", "readBytes": readBytes, "writeBytes": 2 * readBytes, "readOps": 10, "writeOps": 20]],
            "network": [["name": "eth0", "addresses": ["192.0.2.10/24"], "rxBytes": rxBytes, "txBytes": rxBytes]],
            "sensors": ["temperatureCelsius": ["cpu_package": 48.0]],
            "timestamp": timestamp,
        ]
        if let sequence { report["sequenceId"] = sequence }
        return json(report)
    }

    /// A Docker report with `containers` running containers.
    static func docker(
        hostname: String, agentID: String, machineID: String? = nil, interval: Int = 30,
        timestamp: String = "2025-06-15T15:06:40Z", containers: Int = 2, readBytes: UInt64 = 4096
    ) -> String {
        var host: [String: Any] = ["hostname": hostname, "runtime": "podman", "totalCpu": 4, "totalMemoryBytes": 8_000_000_000, "memory": [:]]
        if let machineID { host["machineId"] = machineID }
        let list: [[String: Any]] = (0..<containers).map { index in
            [
                "id": "c\(index)", "name": "web-\(index)", "image": "nginx:1.27", "createdAt": "2025-06-15T14:00:00Z",
                "state": "running", "status": "Up 1 hour", "cpuPercent": 3.5, "memoryUsageBytes": 50_000_000,
                "memoryLimitBytes": 500_000_000, "memoryPercent": 10.0, "uptimeSeconds": 3600, "restartCount": 0,
                "exitCode": 0, "startedAt": "2025-06-15T14:00:01Z", "blockIo": ["readBytes": readBytes, "writeBytes": readBytes],
            ]
        }
        return json([
            "agent": ["id": agentID, "version": "5.1.36", "type": "unified", "intervalSeconds": interval],
            "host": host, "containers": list, "timestamp": timestamp,
        ])
    }

    static func kubernetes(clusterID: String, agentID: String, timestamp: String = "2025-06-15T15:06:40Z") -> String {
        json([
            "agent": ["id": agentID, "version": "5.1.36", "intervalSeconds": 60],
            "cluster": ["id": clusterID, "name": "lab"],
            "nodes": [["uid": "n1", "name": "node-1", "ready": true, "capacity": ["cpuCores": 4], "allocatable": ["cpuCores": 4]]],
            "pods": [], "deployments": [], "timestamp": timestamp,
        ])
    }
}

extension TestClientProtocol {
    /// POSTs `body` with token `token` and returns the response.
    func post(_ path: String, token: String, body: String) async throws -> TestResponse {
        try await execute(uri: path, method: .post, headers: [.apiToken: token, .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    /// The state as a JSON object, read with the admin token.
    func state() async throws -> [String: Any] {
        try await execute(uri: "/api/state", method: .get, headers: [.apiToken: TestServer.adminToken]) { try $0.jsonObject() }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The elements of array `key`, each a JSON object.
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
}

/// Decoding helpers for tests that build state directly.
enum AgentJSONTesting {
    static func decodeHost(_ json: String) throws -> HostReport {
        try AgentJSON.makeDecoder().decode(HostReport.self, from: Data(json.utf8))
    }
}
