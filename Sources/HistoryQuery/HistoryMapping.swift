/// Which metrics of the local history an engine answers, and with which expression.
///
/// The families are the ones `/metrics` exposes (and remote write sends); a metric without a
/// family there is not listed and stays with the local store.
package enum HistoryMapping {
    private static let byID = ["id"]
    /// Guests by ID and `type` (`vm` or `container`, the resource type itself).
    private static let byGuest = ["id", "type"]
    private static let byContainer = ["host_id", "id"]

    /// `resourceType → metric → expression`; `vm` and `container` share theirs.
    package static let expressions: [String: [String: HistoryExpression]] = [
        "node": [
            "cpu": .percent(of: "pulse_node_cpu_usage_ratio", by: byID),
            "memory": .usedOverTotal("pulse_node_memory_used_bytes", "pulse_node_memory_total_bytes", by: byID),
            "disk": .usedOverTotal("pulse_node_disk_used_bytes", "pulse_node_disk_total_bytes", by: byID),
            "temperature": .gauge("pulse_node_temperature_celsius", by: byID),
        ],
        "vm": guest,
        "container": guest,
        "host": [
            "cpu": .percent(of: "pulse_host_cpu_usage_ratio", by: byID),
            "memory": .usedOverTotal("pulse_host_memory_used_bytes", "pulse_host_memory_total_bytes", by: byID),
            "disk": .usedOverTotal("pulse_host_filesystem_used_bytes", "pulse_host_filesystem_total_bytes", by: byID),
            // The local history's host temperature is its hottest `cpu…` sensor.
            "temperature": .gauge("pulse_host_temperature_celsius", by: byID, fixed: [PromQL.Matcher("sensor", "cpu.*", isRegex: true)]),
        ],
        "dockerHost": [
            "cpu": .percent(of: "pulse_docker_host_cpu_usage_ratio", by: byID),
            "memory": .usedOverTotal("pulse_docker_host_memory_used_bytes", "pulse_docker_host_memory_total_bytes", by: byID),
        ],
        "dockerContainer": [
            "cpu": HistoryExpression.percent(of: "pulse_docker_container_cpu_usage_ratio", by: byContainer).whileContainerRuns(),
            "memory": HistoryExpression.usedOverTotal(
                "pulse_docker_container_memory_usage_bytes", "pulse_docker_container_memory_limit_bytes", by: byContainer
            ).whileContainerRuns(),
        ],
        "storage": [
            "usage": .usedOverTotal("pulse_storage_used_bytes", "pulse_storage_total_bytes", by: byID)
        ],
        // A host agent's S.M.A.R.T. disk is `host:<host>/<device>`, a Proxmox disk its own ID:
        // the family's `id` is the local history's either way.
        "disk": [
            "temperature": .gauge("pulse_disk_temperature_celsius", by: byID)
        ],
    ]

    private static let guest: [String: HistoryExpression] = [
        "cpu": .percent(of: "pulse_guest_cpu_usage_ratio", by: byGuest),
        "memory": .usedOverTotal("pulse_guest_memory_used_bytes", "pulse_guest_memory_total_bytes", by: byGuest),
        "disk": .usedOverTotal("pulse_guest_disk_used_bytes", "pulse_guest_disk_total_bytes", by: byGuest),
        "diskread": .gauge("pulse_guest_disk_read_bytes_per_second", by: byGuest),
        "diskwrite": .gauge("pulse_guest_disk_write_bytes_per_second", by: byGuest),
        "netin": .gauge("pulse_guest_network_receive_bytes_per_second", by: byGuest),
        "netout": .gauge("pulse_guest_network_transmit_bytes_per_second", by: byGuest),
    ]

    /// One query per family for `/api/charts`: the resource types it answers, its metric and
    /// expression (guests of both types in one query, told apart by their `type` label). Disks
    /// have no charts.
    package static let chartFamilies: [(resourceTypes: [String], metric: String, expression: HistoryExpression)] = {
        var families: [(resourceTypes: [String], metric: String, expression: HistoryExpression)] = []
        for resourceType in ["node", "vm", "host", "dockerHost", "dockerContainer", "storage"] {
            let types = resourceType == "vm" ? ["vm", "container"] : [resourceType]
            for (metric, expression) in (expressions[resourceType] ?? [:]).sorted(by: { $0.key < $1.key }) {
                families.append((types, metric, expression))
            }
        }
        return families
    }()

    /// The expression for `metric` of `resourceType`, nil when the engine has no family for it.
    package static func expression(resourceType: String, metric: String) -> HistoryExpression? {
        expressions[resourceType]?[metric]
    }

    /// The matchers that select one resource: its `id` (and a guest's `type`; a Docker
    /// container's ID is `<host>/<container>`, `host_id` and `id` in the families); nil when the
    /// ID cannot name one.
    package static func resourceMatchers(resourceType: String, resourceId: String) -> [PromQL.Matcher]? {
        switch resourceType {
        case "vm", "container": return [PromQL.Matcher("id", resourceId), PromQL.Matcher("type", resourceType)]
        case "dockerContainer":
            guard let slash = resourceId.lastIndex(of: "/") else { return nil }
            return [
                PromQL.Matcher("host_id", String(resourceId[..<slash])), PromQL.Matcher("id", String(resourceId[resourceId.index(after: slash)...])),
            ]
        default: return [PromQL.Matcher("id", resourceId)]
        }
    }

    /// The resource type and ID the local history uses for a result series of a family
    /// answering `resourceTypes`; nil when its labels name none of them.
    static func resource(of labels: [String: String], among resourceTypes: [String]) -> (type: String, id: String)? {
        guard let id = labels["id"] else { return nil }
        if resourceTypes == ["dockerContainer"] { return labels["host_id"].map { ("dockerContainer", "\($0)/\(id)") } }
        if resourceTypes.count == 1 { return (resourceTypes[0], id) }
        guard let type = labels["type"], resourceTypes.contains(type) else { return nil }
        return (type, id)
    }
}
