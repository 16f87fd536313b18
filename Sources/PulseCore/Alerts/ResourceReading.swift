package import AgentProtocol
package import Foundation

/// One monitored resource as alert rules read it: who it is, its status and its measured values,
/// with none of the API's view types. `StateSnapshot.readings()` builds them; the `Alerting`
/// target reads nothing else of the state.
package struct ResourceReading: Sendable, Equatable {
    /// What kind of resource this is; the raw value is the alert's `resourceType`.
    package enum Kind: String, Sendable {
        case node, vm, container, host, dockerHost, storage, pbs, pmg, kubernetesCluster
    }

    package var kind: Kind
    /// The resource's ID as alerts name it (`host:<id>` for a host agent, `docker:<id>` for a
    /// Docker host, the record's own ID otherwise).
    package var id: String
    /// The record's own ID, which rule IDs such as `host-offline-<id>` use.
    package var recordID: String
    package var name: String
    /// The Proxmox node, or the host name of an agent's machine.
    package var node: String = ""
    package var instance: String = ""
    /// `online`, `offline`, `running`, `stopped`, `unknown`, …
    package var status: String
    /// Measured values in the units thresholds use: percent, °C, MB/s.
    package var values: [AlertMetric: Double] = [:]
    /// A guest's VMID (backups are matched by it).
    package var vmid: Int?
    /// A guest's newest backup on PVE storage or PBS; nil when it has none.
    package var newestBackup: Date?
    package var raid: [RAIDArray] = []
    package var disks: [SMARTDisk] = []
    package var containers: [ContainerReading] = []

    package init(kind: Kind, id: String, recordID: String? = nil, name: String, status: String) {
        self.kind = kind
        self.id = id
        self.recordID = recordID ?? id
        self.name = name
        self.status = status
    }
}

/// One container of a Docker host as alert rules read it.
package struct ContainerReading: Sendable, Equatable {
    package var id: String
    /// The name without Docker's leading slash.
    package var name: String
    /// `running`, `exited`, `dead`, …
    package var state: String
    package var health: String?
    package var exitCode: Int
    package var restartCount: Int
    package var cpuPercent: Double
    package var memoryPercent: Double
    package var memoryUsageBytes: Int64
    package var memoryLimitBytes: Int64
    /// The agent found another image under the container's tag in its registry.
    package var updateAvailable: Bool

    /// Every stored property, in declaration order.
    package init(
        id: String, name: String, state: String, health: String?, exitCode: Int, restartCount: Int, cpuPercent: Double,
        memoryPercent: Double, memoryUsageBytes: Int64, memoryLimitBytes: Int64, updateAvailable: Bool = false
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.health = health
        self.exitCode = exitCode
        self.restartCount = restartCount
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.memoryUsageBytes = memoryUsageBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.updateAvailable = updateAvailable
    }
}
