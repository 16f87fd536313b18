import AgentProtocol
import Foundation
package import Logging
import ProxmoxPolling
package import PulseCore
package import PulseSupport

/// Demo mode: a generated estate fed into the state as real sources feed it, switched on and off
/// at run time.
///
/// Each reading (when switched on, then every `updateInterval` of `time`, see `DemoModeService`)
/// polls each demo PVE cluster with the real `PVEPoller` through `DemoPVECluster` and hands the
/// result to the state as the polling service does (`PVEPollHistory`, `applyPVE`), and posts each
/// demo agent's report through the validation and ingest the report routes use. Readings are a
/// function of the time (`Signal`), so a test with a manual clock sees the same estate every run.
///
/// Demo records are the PVE instances `demo-pve-*` and the agent records of demo tokens
/// (`ReportingToken.demoMode`); switching off removes exactly those. Changes, readings and
/// switching run one at a time, so a reading never lands after the estate was removed.
package actor DemoMode {
    package let state: MonitoringState
    package let time: any TimeSource
    let logger: Logger
    package private(set) var configuration: DemoConfiguration
    package private(set) var isEnabled = false
    private var estate: EstateLayout?
    private var histories: [String: PVEPollHistory] = [:]
    /// The agent records demo mode fed, for the removal blocks of those an administrator removed.
    private var fed: Set<AgentRef> = []
    private var cycle = 0
    private var disksReadAt: Date?
    private var nextReading: Date?
    /// Problems already logged, so a refused report is logged once and not at every reading.
    private var logged: Set<String> = []
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// The generator's seed: the same for every run, so the estate is the same.
    static let seed: UInt64 = 0x5075_6c73_6544_656d

    package init(state: MonitoringState, time: any TimeSource, configuration: DemoConfiguration = DemoConfiguration(), logger: Logger) {
        self.state = state
        self.time = time
        self.configuration = configuration
        self.logger = logger
    }

    /// Sets the configuration (when given) and switches on or off (when given). A new configuration
    /// while on replaces the whole estate; switching on takes the first reading before returning.
    /// The configuration must be valid (`DemoConfiguration.problem()`).
    package func change(configuration wanted: DemoConfiguration? = nil, enabled: Bool? = nil) async {
        await acquire()
        defer { release() }
        let configuration = wanted ?? self.configuration
        let on = enabled ?? isEnabled
        if isEnabled, !on || configuration != self.configuration {
            await removeEstate()
        }
        self.configuration = configuration
        if on, estate == nil {
            let layout = EstateLayout(configuration, signal: signal)
            estate = layout
            isEnabled = true
            logger.notice(
                "demo mode on",
                metadata: [
                    "nodes": "\(layout.nodeCount)", "guests": "\(layout.guestCount)", "hosts": "\(layout.hosts.count)",
                    "dockerHosts": "\(layout.dockerHosts.count)", "kubernetesClusters": "\(layout.kubernetesClusters.count)",
                ])
            await read(at: time.now())
        }
        isEnabled = on
    }

    /// Takes a reading when one is due; true if it did.
    @discardableResult
    package func readIfDue() async -> Bool {
        await acquire()
        defer { release() }
        let now = time.now()
        guard isEnabled, let due = nextReading, now >= due else { return false }
        await read(at: now)
        return true
    }

    // MARK: Reading

    private var signal: Signal { Signal(seed: Self.seed, moving: configuration.randomMetrics) }

    /// One reading of the whole estate, as of `now`.
    private func read(at now: Date) async {
        guard let estate else { return }
        let signal = signal
        // The polling service's schedule: disks every 5 minutes, backups every 10th cycle, a tenth
        // of the guests' details each cycle.
        let includeDisks = disksReadAt.map { now.timeIntervalSince($0) >= 300 } ?? true
        let options = PVEPoller.Options(includeDisks: includeDisks, includeBackups: cycle % 10 == 0, guestShare: (cycle % 10, 10))
        let polls = await withTaskGroup(of: (Int, Result<PVEPollResult, any Error>).self) { group in
            for (index, cluster) in estate.clusters.enumerated() {
                group.addTask {
                    let client = DemoPVECluster(cluster: cluster, time: now, signal: signal)
                    do {
                        return (index, .success(try await PVEPoller(client: client, instance: cluster.instance).poll(options)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [Int: Result<PVEPollResult, any Error>] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
        for (index, cluster) in estate.clusters.enumerated() {
            let instance = cluster.instance
            switch polls[index] {
            case .success(let result):
                var history = histories[instance.id] ?? PVEPollHistory(instance: instance, result: result, at: now)
                if histories[instance.id] != nil { history.update(result, instance: instance, at: now) }
                histories[instance.id] = history
                await state.applyPVE(history.inventory())
            case .failure(let error):
                note("PVE \(instance.name)", error)
            case nil:
                break
            }
        }
        if includeDisks { disksReadAt = now }
        let reports = DemoAgentReports(time: now, signal: signal, interval: Int(configuration.updateInterval.rounded(.up)))
        for host in estate.hosts {
            await report(.host, agentID: host.agentID) {
                try await state.ingest(
                    host: ReportValidation.validated(reports.report(for: host)), token: .demoMode(agentID: host.agentID), receivedAt: now
                ).hostID
            }
        }
        for host in estate.dockerHosts {
            await report(.docker, agentID: host.agentID) {
                var report = reports.report(for: host)
                try state.limits.check(report)
                try ReportValidation.validate(&report)
                return try await state.ingest(docker: report, token: .demoMode(agentID: host.agentID), receivedAt: now).hostID
            }
        }
        for cluster in estate.kubernetesClusters {
            await report(.kubernetes, agentID: cluster.agentID) {
                let report = try ReportValidation.validated(reports.report(for: cluster))
                try state.limits.check(report)
                return try await state.ingest(kubernetes: report, token: .demoMode(agentID: cluster.agentID), receivedAt: now).clusterID
            }
        }
        cycle += 1
        nextReading = now.addingTimeInterval(configuration.updateInterval)
    }

    /// Delivers one agent's report; a refusal (a real record with the same identity, a limit, a
    /// removal by an administrator) is logged once and leaves everything else as it is.
    private func report(_ kind: AgentKind, agentID: String, _ deliver: () async throws -> String) async {
        do {
            fed.insert(AgentRef(kind: kind, id: try await deliver()))
        } catch {
            note("\(kind.rawValue) agent \(agentID)", error)
        }
    }

    private func note(_ source: String, _ error: any Error) {
        let text = "\(source): \(error)"
        guard logged.insert(text).inserted else { return }
        logger.warning("demo mode: a demo source was refused", metadata: ["source": .string(source), "error": .string("\(error)")])
    }

    /// Removes every demo record from the state and forgets the estate.
    private func removeEstate() async {
        for cluster in estate?.clusters ?? [] {
            await state.removeProxmox(instanceID: cluster.instance.id)
        }
        let removed = await state.removeDemoRecords(unblocking: fed)
        logger.notice(
            "demo mode off", metadata: ["agentRecordsRemoved": "\(removed.count)", "pveInstancesRemoved": "\(estate?.clusters.count ?? 0)"])
        estate = nil
        histories = [:]
        fed = []
        cycle = 0
        disksReadAt = nil
        nextReading = nil
        logged = []
    }

    // MARK: One at a time

    private func acquire() async {
        while busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
    }

    private func release() {
        busy = false
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }
}
