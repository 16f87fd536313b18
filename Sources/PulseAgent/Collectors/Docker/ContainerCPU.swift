/// CPU use of a container from two readings of its stats: the share of the host's CPU time it
/// took, in percent of one core (100 = one full core), as `docker stats` shows it.
struct ContainerCPUSample: Sendable, Equatable {
    /// Container CPU time, ns.
    let total: UInt64
    /// Host CPU time across all CPUs, ns (`system_cpu_usage`).
    let system: UInt64
    let onlineCPUs: Int

    init?(_ stats: EngineAPI.Stats.CPU?) {
        guard let stats, let total = stats.cpuUsage?.totalUsage, let system = stats.systemCPUUsage, system > 0 else { return nil }
        self.total = total
        self.system = system
        onlineCPUs = stats.onlineCPUs ?? stats.cpuUsage?.percpuUsage?.count ?? 1
    }

    init(total: UInt64, system: UInt64, onlineCPUs: Int) {
        self.total = total
        self.system = system
        self.onlineCPUs = onlineCPUs
    }

    /// Percent of one core since `earlier`; 0 when either counter did not move forward
    /// (a restarted container starts its counter again).
    func percent(since earlier: ContainerCPUSample) -> Double {
        guard total >= earlier.total, system > earlier.system else { return 0 }
        let share = Double(total - earlier.total) / Double(system - earlier.system)
        return min(max(share * Double(max(1, onlineCPUs)) * 100, 0), Double(max(1, onlineCPUs)) * 100)
    }
}
