package import Foundation
import PulseSupport

/// The Proxmox pollers' path into the state: model values per instance, never Proxmox API types.
extension MonitoringState {
    /// Takes in a successful PVE poll.
    package func applyPVE(_ inventory: PVEInventory) {
        let now = time.now()
        pollingCycles += 1
        let previous = pveInstances[inventory.instanceID]?.inventory
        var record = pveInstances[inventory.instanceID] ?? PolledPVE(inventory: inventory, polledAt: now)
        record.inventory = inventory
        record.polledAt = now
        record.healthy = true
        for node in inventory.respondingNodes { record.nodeLastSeen[node] = now }
        pveInstances[inventory.instanceID] = record
        // Links follow names: relearnt when this instance's nodes or guests were renamed, added or
        // removed (hosts relearn on ingest). Relearning reads every instance, so doing it at every
        // poll of every instance grew with the square of the estate.
        if previous.map({ !$0.hasSameNames(as: inventory) }) ?? true { learnNodeLinks() }
        didChange()
    }

    /// Takes in a successful PBS poll.
    package func applyPBS(_ inventory: PBSInventory) {
        pollingCycles += 1
        pbsInstances[inventory.instanceID] = PolledInstance(inventory: inventory, polledAt: time.now())
        didChange()
    }

    /// Takes in a successful PMG poll.
    package func applyPMG(_ inventory: PMGInventory) {
        pollingCycles += 1
        pmgInstances[inventory.instanceID] = PolledInstance(inventory: inventory, polledAt: time.now())
        didChange()
    }

    /// Records a failed poll: the instance's data stays (marked unhealthy) until it answers again.
    package func markProxmoxUnreachable(instanceID: String) {
        guard proxmoxHealth(instanceID: instanceID) == true else { return }
        pveInstances[instanceID]?.healthy = false
        pbsInstances[instanceID]?.healthy = false
        pmgInstances[instanceID]?.healthy = false
        didChange()
    }

    /// Forgets an instance that was removed from the configuration.
    package func removeProxmox(instanceID: String) {
        let removed = [
            pveInstances.removeValue(forKey: instanceID) != nil, pbsInstances.removeValue(forKey: instanceID) != nil,
            pmgInstances.removeValue(forKey: instanceID) != nil,
        ]
        if removed.contains(true) { didChange() }
    }

    /// Whether an instance's last poll succeeded; nil if it never succeeded.
    package func proxmoxHealth(instanceID: String) -> Bool? {
        pveInstances[instanceID]?.healthy ?? pbsInstances[instanceID]?.healthy ?? pmgInstances[instanceID]?.healthy
    }
}

/// The latest successful poll of a PBS or PMG instance.
package struct PolledInstance<Inventory: Sendable>: Sendable {
    package var inventory: Inventory
    package var polledAt: Date
    /// false after a failed poll, true after a successful one.
    package var healthy = true
}

/// The latest successful poll of a PVE instance, and when each of its nodes last answered.
package struct PolledPVE: Sendable {
    package var inventory: PVEInventory
    package var polledAt: Date
    var nodeLastSeen: [String: Date] = [:]
    /// false after a failed poll, true after a successful one.
    package var healthy = true

    /// `node` with what depends on time: `online` while it answered within the grace period.
    package func node(_ node: NodeView, at now: Date) -> NodeView {
        var node = node
        let seen = nodeLastSeen[node.node]
        node.status = seen.map { now.timeIntervalSince($0) <= PVEInventory.nodeOfflineGrace } == true ? "online" : "offline"
        node.lastSeen = (seen ?? polledAt).unixMillis
        node.connectionHealth = node.status == "online" && healthy ? "healthy" : "error"
        return node
    }
}
