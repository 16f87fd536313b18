import AgentProtocol
import Foundation

/// The Proxmox pollers' path into the state.
extension MonitoringState {
    /// Takes in a successful PVE poll.
    func applyPVE(_ result: PVEPollResult, instance: ProxmoxInstance) {
        let now = time.now()
        pollingCycles += 1
        if var record = pveInstances[instance.id] {
            record.update(result, instance: instance, at: now)
            pveInstances[instance.id] = record
        } else {
            pveInstances[instance.id] = PVEInstanceRecord(instance: instance, result: result, at: now)
        }
        didChange()
    }

    /// Takes in a successful PBS poll.
    func applyPBS(_ result: PBSPollResult, instance: ProxmoxInstance) {
        pollingCycles += 1
        pbsInstances[instance.id] = PolledInstance(instance: instance, result: result, polledAt: time.now())
        didChange()
    }

    /// Takes in a successful PMG poll.
    func applyPMG(_ result: PMGPollResult, instance: ProxmoxInstance) {
        pollingCycles += 1
        pmgInstances[instance.id] = PolledInstance(instance: instance, result: result, polledAt: time.now())
        didChange()
    }

    /// Records a failed poll: the instance's data stays (marked unhealthy) until it answers again.
    func markProxmoxUnreachable(instanceID: String) {
        guard proxmoxHealth(instanceID: instanceID) == true else { return }
        pveInstances[instanceID]?.healthy = false
        pbsInstances[instanceID]?.healthy = false
        pmgInstances[instanceID]?.healthy = false
        didChange()
    }

    /// Forgets an instance that was removed from the configuration.
    func removeProxmox(instanceID: String) {
        let removed = [
            pveInstances.removeValue(forKey: instanceID) != nil, pbsInstances.removeValue(forKey: instanceID) != nil,
            pmgInstances.removeValue(forKey: instanceID) != nil,
        ]
        if removed.contains(true) { didChange() }
    }

    /// Whether an instance's last poll succeeded; nil if it never succeeded.
    func proxmoxHealth(instanceID: String) -> Bool? {
        pveInstances[instanceID]?.healthy ?? pbsInstances[instanceID]?.healthy ?? pmgInstances[instanceID]?.healthy
    }
}

/// The latest successful poll of a PBS or PMG instance.
struct PolledInstance<Result: Sendable>: Sendable {
    var instance: ProxmoxInstance
    var result: Result
    var polledAt: Date
    var healthy = true
}

extension CephPool {
    /// A pool from PVE's `/nodes/{node}/ceph/pool`; what is free follows from used and its share.
    init?(_ pool: PVEAPI.CephPool) {
        guard let name = pool.pool_name else { return nil }
        let used = pool.bytes_used.uint64
        let fraction = pool.percent_used.double
        let available = fraction > 0 && fraction < 1 ? UInt64(Double(used) / fraction) - used : 0
        self.init(id: pool.pool.int, name: name, bytesUsed: used, bytesAvailable: available, objects: 0, percentUsed: fraction * 100)
    }
}
