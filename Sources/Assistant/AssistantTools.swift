import AgentProtocol
package import Foundation
package import PulseCore

/// What the tools read: the shared state snapshot and the metrics history. Nothing here can
/// change anything, and no tool that would is offered.
package struct AssistantData: Sendable {
    package var snapshot: @Sendable () async -> StateSnapshot
    /// Samples of one series between two Unix-millisecond times.
    package var history: @Sendable (SeriesKey, Int64, Int64) async throws -> [MetricSample]
    package var now: @Sendable () -> Date

    package init(
        snapshot: @escaping @Sendable () async -> StateSnapshot,
        history: @escaping @Sendable (SeriesKey, Int64, Int64) async throws -> [MetricSample], now: @escaping @Sendable () -> Date
    ) {
        self.snapshot = snapshot
        self.history = history
        self.now = now
    }
}

/// The read-only tools the model may call, and running one. A result is JSON of the tool views
/// (`ToolViews.swift`), cut to `resultLimit` characters.
package struct AssistantTools: Sendable {
    package let data: AssistantData
    /// The most characters of one tool result handed to the model.
    package let resultLimit: Int

    package init(data: AssistantData, resultLimit: Int = 16_000) {
        self.data = data
        self.resultLimit = resultLimit
    }

    /// The tools' names, descriptions and parameters.
    package static let specs: [ToolSpec] = [
        ToolSpec(
            name: "get_state_summary",
            description: "Counts of monitored resources by type and status, resources that look unhealthy, and the busiest by CPU.",
            parameters: schema([:], required: [])),
        ToolSpec(
            name: "get_resource",
            description: "Details of one resource (node, VM, container, host, Docker host or container, storage, Kubernetes cluster) by ID.",
            parameters: schema(["resource_id": ["type": "string", "description": "The resource's ID"]], required: ["resource_id"])),
        ToolSpec(name: "list_active_alerts", description: "The alerts active now.", parameters: schema([:], required: [])),
        ToolSpec(
            name: "get_metric_history",
            description:
                "Samples of one metric of one resource over a range (1h, 6h, 24h or 7d); metric is cpu, memory, disk, netin, netout, diskread or diskwrite.",
            parameters: schema(
                [
                    "resource_id": ["type": "string"], "metric": ["type": "string"],
                    "range": ["type": "string", "enum": ["1h", "6h", "24h", "7d"]],
                ], required: ["resource_id", "metric"])),
        ToolSpec(
            name: "list_guest_backups",
            description: "The backups of one VM or container (PVE storage, PBS, backup tasks), newest first.",
            parameters: schema(["guest_id": ["type": "string", "description": "The guest's resource ID"]], required: ["guest_id"])),
        ToolSpec(
            name: "get_kubernetes_problems",
            description: "Nodes not ready, pods failing or restarting, deployments short of replicas; for one cluster or all.",
            parameters: schema(["cluster_id": ["type": "string"]], required: [])),
    ]

    private static func schema(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })]
    }

    /// Runs `call`; an unknown tool or a bad argument is a result the model can read, not a failure.
    package func run(_ call: ToolCall) async -> (output: String, success: Bool) {
        do {
            let output = try await result(of: call)
            return (Self.capped(output, limit: resultLimit), true)
        } catch let refusal as ToolRefusal {
            return ("error: \(refusal.message)", false)
        } catch {
            return ("error: the tool failed", false)
        }
    }

    struct ToolRefusal: Error {
        let message: String
    }

    private func argument(_ call: ToolCall, _ name: String) throws -> String {
        guard let value = call.arguments[name]?.stringValue, !value.isEmpty else { throw ToolRefusal(message: "\(name) is required") }
        return value
    }

    private func result(of call: ToolCall) async throws -> String {
        switch call.name {
        case "get_state_summary": return try Self.json(summary(await data.snapshot()))
        case "get_resource":
            let id = try argument(call, "resource_id")
            guard let resource = await data.snapshot().resources().first(where: { $0.id == id }) else {
                throw ToolRefusal(message: "no resource has the ID \(id)")
            }
            return try Self.json(ToolResource(resource))
        case "list_active_alerts": return try Self.json(await data.snapshot().activeAlerts.map(ToolAlert.init))
        case "get_metric_history": return try await history(call)
        case "list_guest_backups": return try Self.json(backups(of: try argument(call, "guest_id"), in: await data.snapshot()))
        case "get_kubernetes_problems":
            let wanted = call.arguments["cluster_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let clusters = await data.snapshot().kubernetesClusters.filter { wanted == nil || $0.id == wanted }
            if let wanted, clusters.isEmpty { throw ToolRefusal(message: "no Kubernetes cluster has the ID \(wanted)") }
            return try Self.json(clusters.map(ToolKubernetesProblems.init))
        default: throw ToolRefusal(message: "there is no tool named \(call.name)")
        }
    }

    struct Summary: Encodable {
        var counts: [String: [String: Int]]
        var unhealthy: [ToolResource]
        var busiest: [ToolResource]
        var activeAlerts: Int
    }

    private func summary(_ snapshot: StateSnapshot) -> Summary {
        let resources = snapshot.resources()
        var counts: [String: [String: Int]] = [:]
        for resource in resources { counts[resource.type.rawValue, default: [:]][resource.status.rawValue, default: 0] += 1 }
        let unhealthy = resources.filter { resource in
            [Resource.Status.offline, .degraded, .unknown].contains(resource.status) || (resource.memory?.current ?? 0) > 90
                || (resource.disk?.current ?? 0) > 90
                || !(resource.alerts ?? []).isEmpty
        }
        let busiest = resources.filter { $0.cpu != nil }.sorted { ($0.cpu?.current ?? 0) > ($1.cpu?.current ?? 0) }.prefix(10)
        return Summary(
            counts: counts, unhealthy: unhealthy.prefix(50).map(ToolResource.init), busiest: busiest.map(ToolResource.init),
            activeAlerts: snapshot.activeAlerts.count)
    }

    /// The history series names of each resource type.
    private static let seriesType: [Resource.Kind: String] = [
        .node: "node", .vm: "vm", .container: "container", .host: "host", .dockerHost: "dockerHost", .dockerContainer: "dockerContainer",
        .storage: "storage",
    ]
    private static let ranges: [String: Int64] = ["1h": 3_600_000, "6h": 21_600_000, "24h": 86_400_000, "7d": 604_800_000]

    private func history(_ call: ToolCall) async throws -> String {
        let id = try argument(call, "resource_id")
        let metric = try argument(call, "metric")
        guard ["cpu", "memory", "disk", "netin", "netout", "diskread", "diskwrite", "usage", "temperature"].contains(metric) else {
            throw ToolRefusal(message: "unknown metric \(metric)")
        }
        let rangeName = call.arguments["range"]?.stringValue ?? "1h"
        guard let span = Self.ranges[rangeName] else { throw ToolRefusal(message: "range must be 1h, 6h, 24h or 7d") }
        guard let resource = await data.snapshot().resources().first(where: { $0.id == id }), let type = Self.seriesType[resource.type] else {
            throw ToolRefusal(message: "no resource with history has the ID \(id)")
        }
        let end = Int64(data.now().timeIntervalSince1970 * 1000)
        let samples = try await data.history(SeriesKey(resourceType: type, resourceId: id, metric: metric), end - span, end)
        // At most 60 points: every n-th sample, and always the newest.
        let step = max(1, samples.count / 60)
        var picked = stride(from: 0, to: samples.count, by: step).map { samples[$0] }
        if let last = samples.last, picked.last != last { picked.append(last) }
        struct Point: Encodable {
            var time: String
            var value: Double
        }
        struct Reply: Encodable {
            var resourceId: String
            var metric: String
            var range: String
            var points: [Point]
        }
        let formatter = ISO8601DateFormatter()
        let points = picked.map {
            Point(time: formatter.string(from: Date(timeIntervalSince1970: Double($0.timestamp) / 1000)), value: ToolResource.rounded($0.value))
        }
        return try Self.json(Reply(resourceId: id, metric: metric, range: rangeName, points: points))
    }

    private func backups(of guestID: String, in snapshot: StateSnapshot) throws -> [ToolBackup] {
        guard let guest = (snapshot.vms + snapshot.containers).first(where: { $0.id == guestID }) else {
            throw ToolRefusal(message: "no VM or container has the ID \(guestID)")
        }
        let formatter = ISO8601DateFormatter()
        var found: [(Date, ToolBackup)] = []
        for backup in snapshot.backups.pve.storageBackups where backup.vmid == guest.vmid && backup.instance == guest.instance {
            found.append(
                (
                    backup.time,
                    ToolBackup(
                        source: "pve", store: backup.storage, time: formatter.string(from: backup.time), sizeBytes: backup.size,
                        verified: backup.verified)
                ))
        }
        for backup in snapshot.pbsBackups where backup.vmid == String(guest.vmid) {
            found.append(
                (
                    backup.backupTime,
                    ToolBackup(
                        source: "pbs", store: backup.datastore, time: formatter.string(from: backup.backupTime), sizeBytes: backup.size,
                        verified: backup.verified)
                ))
        }
        for task in snapshot.backups.pve.backupTasks where task.vmid == guest.vmid && task.node == guest.node {
            found.append(
                (task.startTime, ToolBackup(source: "task", store: task.node, time: formatter.string(from: task.startTime), status: task.status)))
        }
        return found.sorted { $0.0 > $1.0 }.prefix(50).map(\.1)
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `text` cut to `limit` characters, saying so.
    static func capped(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… [cut at \(limit) characters]"
    }
}
