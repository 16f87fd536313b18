import AgentProtocol

#if canImport(Glibc)
import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#endif

/// Builds host reports from `/proc`, `/sys` and `/etc` (under `settings.root`).
///
/// CPU usage is the busy share between two readings of `/proc/stat`: the previous collection's
/// and this one's; the very first collection takes its own pair one `cpuSampleWindow` apart.
actor HostCollector: Collector {
    struct Settings: Sendable {
        var root = SystemRoot.live
        var agentVersion = PulseAgentCommand.version
        var intervalSeconds = 30
        /// `--hostname`; else the kernel's.
        var hostname: String?
        /// `--agent-id`; else the machine ID, a MAC-based ID or the hostname.
        var agentID: String?
        var tags: [String] = []
        var diskExclude: [String] = []
        var cpuSampleWindow: Duration = .seconds(1)
        /// `--cpu-per-core`: also report each logical CPU's usage.
        var cpuPerCore = false
        /// `--report-ip`: the address reported for this host.
        var reportIP: String?
        /// The version this agent replaced by self-update, reported as `agent.updatedFrom`.
        var updatedFrom: String?
    }

    nonisolated let name = "host"
    private(set) var settings: Settings
    private let sleep: @Sendable (Duration) async throws -> Void
    private let addresses: @Sendable () -> [String: [String]]
    private let sensors: SensorReader?
    private let smart: SMARTCollector?
    private let ceph: CephCollector?
    private var previousCPU: ProcStat?
    private var sequence = 0
    private let startedAt = Int64(Date().timeIntervalSince1970)

    init(
        settings: Settings,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        addresses: @escaping @Sendable () -> [String: [String]] = InterfaceAddresses.current,
        sensors: SensorReader? = nil,
        smart: SMARTCollector? = nil,
        ceph: CephCollector? = nil
    ) {
        self.settings = settings
        self.sleep = sleep
        self.addresses = addresses
        self.sensors = sensors
        self.smart = smart
        self.ceph = ceph
    }

    func collect() async throws -> HostReport {
        let root = settings.root
        let cpu = try await cpuUsage()
        let hostname = settings.hostname ?? MachineIdentity.hostname(in: root) ?? "localhost"
        let machineID = MachineIdentity.machineID(in: root)
        let identity = settings.agentID ?? machineID ?? MachineIdentity.macID(in: root) ?? hostname
        let osRelease = (root.read("/etc/os-release") ?? root.read("/usr/lib/os-release")).map(OSRelease.init)
        let cpuInfo = root.read("/proc/cpuinfo").map(CPUInfo.init)
        sequence += 1

        return HostReport(
            agent: HostAgentInfo(
                id: identity, version: settings.agentVersion, type: HostAgentInfo.unifiedType,
                intervalSeconds: settings.intervalSeconds, hostname: hostname, updatedFrom: settings.updatedFrom,
                diskExclude: settings.diskExclude.isEmpty ? nil : settings.diskExclude),
            host: HostInfo(
                id: identity, hostname: hostname, machineId: identity, platform: "linux", osName: osRelease?.name,
                osVersion: osRelease?.versionID, kernelVersion: root.readValue("/proc/sys/kernel/osrelease"),
                architecture: Self.architecture(), cpuModel: cpuInfo?.model,
                cpuCount: cpuInfo.map(\.logicalCount).flatMap { $0 > 0 ? $0 : nil },
                uptimeSeconds: root.read("/proc/uptime").flatMap(LoadAndUptime.uptimeSeconds),
                loadAverage: root.read("/proc/loadavg").flatMap(LoadAndUptime.loadAverage), reportIp: settings.reportIP),
            metrics: HostMetrics(
                cpuUsagePercent: cpu.all, cpuPerCorePercent: settings.cpuPerCore ? cpu.cores : nil,
                memory: root.read("/proc/meminfo").flatMap(MemInfo.init)?.metrics ?? MemoryMetrics()),
            disks: await disks().nonEmpty,
            diskIO: diskIO().nonEmpty,
            network: network().nonEmpty,
            sensors: await sensorsWithSMART(),
            raid: await MDADMDetail.enrich(root.read("/proc/mdstat").map(MDStat.parse) ?? []).nonEmpty,
            ceph: await ceph?.read(),
            tags: settings.tags.isEmpty ? nil : settings.tags,
            timestamp: Date(),
            sequenceId: "\(startedAt)-\(sequence)")
    }

    /// The disk and sensor globs in force from now on (the server's settings over the flags).
    func apply(diskExclude: [String], sensors selection: SensorSelection) async {
        settings.diskExclude = diskExclude
        await sensors?.select(selection)
    }

    private func sensorsWithSMART() async -> Sensors {
        var result = await sensors?.read() ?? Sensors()
        if let disks = await smart?.read(), !disks.isEmpty { result.smart = disks }
        return result
    }

    private func readCPU() -> ProcStat? {
        settings.root.read("/proc/stat").flatMap(ProcStat.init)
    }

    /// The whole machine's usage and each core's (0 for a core without an earlier reading, e.g.
    /// one just brought online).
    private func cpuUsage() async throws -> (all: Double?, cores: [Double]?) {
        if previousCPU == nil {
            previousCPU = readCPU()
            try await sleep(settings.cpuSampleWindow)
        }
        guard let now = readCPU() else { return (nil, nil) }
        defer { previousCPU = now }
        guard let previous = previousCPU else { return (nil, nil) }
        let cores = now.cores.indices.map { index in
            index < previous.cores.count ? now.cores[index].usagePercent(since: previous.cores[index]) ?? 0 : 0
        }
        return (now.all.usagePercent(since: previous.all), cores.isEmpty ? nil : cores)
    }

    private func disks() async -> [DiskUsage] {
        let root = settings.root
        let mounts = root.read("/proc/mounts").map(MountEntry.parse) ?? []
        let filter = DiskFilter(excludePatterns: settings.diskExclude)
        let pools = await ZFSPools.read(mounts: mounts).filter { pool in
            !filter.isExcluded(device: pool.device ?? "", mountpoint: pool.mountpoint ?? "")
        }
        return pools
            + filter.select(mounts).compactMap { mount in
                guard let space = FilesystemSpace.measure(root.path(mount.mountpoint)) else { return nil }
                return DiskUsage(
                    device: mount.device, mountpoint: mount.mountpoint, filesystem: mount.filesystem, type: mount.filesystem,
                    totalBytes: space.totalBytes, usedBytes: space.usedBytes, freeBytes: space.freeBytes, usage: space.usagePercent)
            }
    }

    private func diskIO() -> [DiskIOCounters] {
        let root = settings.root
        guard let text = root.read("/proc/diskstats") else { return [] }
        return DiskStats.parse(text, wholeDisks: Set(root.list("/sys/block")))
    }

    private func network() -> [NetworkInterface] {
        let root = settings.root
        guard let text = root.read("/proc/net/dev") else { return [] }
        let addressesByName = addresses()
        return NetDev.parse(text).compactMap { counters in
            guard counters.name != "lo", let addresses = addressesByName[counters.name], !addresses.isEmpty else { return nil }
            let base = "/sys/class/net/\(counters.name)"
            return NetworkInterface(
                name: counters.name, mac: root.readValue("\(base)/address"), addresses: addresses, rxBytes: counters.rxBytes,
                txBytes: counters.txBytes, speedMbps: root.readValue("\(base)/speed").flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil })
        }
    }

    /// `uname -m` in Go's names (amd64, arm64, …), as Pulse reports it.
    static func architecture() -> String {
        switch machine() {
        case "x86_64": return "amd64"
        case "aarch64": return "arm64"
        case "armv7l": return "arm"
        case "i686", "i386": return "386"
        case let other: return other
        }
    }

    /// The build name the download endpoint uses for this machine (`linux-armv7`, not `arm`).
    static func downloadPlatform() -> String {
        switch machine() {
        case "x86_64": return "linux-amd64"
        case "aarch64": return "linux-arm64"
        case "armv7l": return "linux-armv7"
        case "armv6l": return "linux-armv6"
        case "i386", "i486", "i586", "i686": return "linux-386"
        case let other: return "linux-" + other
        }
    }

    private static func machine() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}
