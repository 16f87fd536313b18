import Foundation

/// What the state keeps of one PVE instance: the latest successful poll and what is derived
/// across polls (I/O rates, when each node last answered, disks and backups refreshed less often).
struct PVEInstanceRecord: Sendable {
    var instance: ProxmoxInstance
    var latest: PVEPollResult
    var polledAt: Date
    /// Guest key `node:vmid` → counters of the previous poll, for rates.
    var guestCounters: [String: GuestCounters] = [:]
    var guestRates: [String: GuestRates] = [:]
    /// When each node last answered its `/status`.
    var nodeLastSeen: [String: Date] = [:]
    var disks: [String: [PVEAPI.Disk]] = [:]
    var disksCheckedAt: Date?
    var backups = PVEBackupData()
    /// Guest-agent details by guest key, refreshed a tenth of the VMs per cycle.
    var guestDetails: [String: GuestAgentDetails] = [:]
    /// Snapshots by guest key, refreshed like the guest details.
    var guestSnapshots: [String: [GuestSnapshot]] = [:]
    var zfsPools: [String: [PVEAPI.ZFSPool]] = [:]
    var zfsStoragePools: [String: String] = [:]
    /// false after a failed poll, true after a successful one.
    var healthy = true

    /// A node counts as offline only after this long without an answer.
    static let nodeOfflineGrace: TimeInterval = 60

    struct GuestCounters: Sendable {
        var at: Date
        var diskRead: UInt64
        var diskWrite: UInt64
        var netIn: UInt64
        var netOut: UInt64
    }

    struct GuestRates: Sendable, Equatable {
        var diskRead: Double = 0
        var diskWrite: Double = 0
        var netIn: Double = 0
        var netOut: Double = 0
    }

    init(instance: ProxmoxInstance, result: PVEPollResult, at now: Date) {
        self.instance = instance
        latest = result
        polledAt = now
        absorb(result, at: now)
    }

    /// Takes a new successful poll in.
    mutating func update(_ result: PVEPollResult, instance: ProxmoxInstance, at now: Date) {
        self.instance = instance
        latest = result
        polledAt = now
        absorb(result, at: now)
    }

    private mutating func absorb(_ result: PVEPollResult, at now: Date) {
        healthy = true
        for node in result.nodeStatus.keys { nodeLastSeen[node] = now }
        var counters: [String: GuestCounters] = [:]
        var rates: [String: GuestRates] = [:]
        for guest in result.guests {
            guard let key = Self.guestKey(guest) else { continue }
            let current = GuestCounters(
                at: now, diskRead: guest.diskread.uint64, diskWrite: guest.diskwrite.uint64, netIn: guest.netin.uint64,
                netOut: guest.netout.uint64)
            counters[key] = current
            if let previous = guestCounters[key] {
                let elapsed = now.timeIntervalSince(previous.at)
                rates[key] = GuestRates(
                    diskRead: CounterRate.perSecond(previous: previous.diskRead, current: current.diskRead, elapsed: elapsed) ?? 0,
                    diskWrite: CounterRate.perSecond(previous: previous.diskWrite, current: current.diskWrite, elapsed: elapsed) ?? 0,
                    netIn: CounterRate.perSecond(previous: previous.netIn, current: current.netIn, elapsed: elapsed) ?? 0,
                    netOut: CounterRate.perSecond(previous: previous.netOut, current: current.netOut, elapsed: elapsed) ?? 0)
            }
        }
        guestCounters = counters
        guestRates = rates
        if let disks = result.disks {
            self.disks = disks
            disksCheckedAt = now
        }
        if let backups = result.backups { self.backups = backups }
        guestDetails.merge(result.guestDetails) { _, new in new }
        guestDetails = guestDetails.filter { counters[$0.key] != nil }
        guestSnapshots.merge(result.guestSnapshots) { _, new in new }
        guestSnapshots = guestSnapshots.filter { counters[$0.key] != nil }
        if let pools = result.zfsPools { zfsPools = pools }
        if let storagePools = result.zfsStoragePools { zfsStoragePools = storagePools }
    }

    static func guestKey(_ guest: PVEAPI.Guest) -> String? {
        guard let node = guest.node, let vmid = guest.vmid?.value else { return nil }
        return "\(node):\(Int(vmid))"
    }

    /// `online` while the node answered within the grace period.
    func nodeStatus(_ node: String, at now: Date) -> String {
        guard let seen = nodeLastSeen[node] else { return "offline" }
        return now.timeIntervalSince(seen) <= Self.nodeOfflineGrace ? "online" : "offline"
    }
}
