import Foundation
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// Polls every configured PVE, PBS and PMG instance, each in a child task of its own so a slow
/// or dead one never delays the others, and follows configuration changes within a second.
///
/// Each instance polls at its product's interval (`SchedulerHealth`); PVE physical disks every
/// 5 minutes, PVE backups every 10th cycle (Pulse's `BACKUP_POLLING_CYCLES`) or at the interval
/// and on/off switch of `options`, and a tenth of the guests' snapshots and guest-agent details
/// each cycle. A client is made again when `options`' request timeout changes. Failures go
/// through `SchedulerHealth` (breaker, backoff, dead letter) and mark the instance unhealthy.
package struct ProxmoxPollingService: Service {
    package let store: ProxmoxInstanceStore
    package let state: MonitoringState
    package let health: SchedulerHealth
    package let logger: Logger
    /// Backup reads and the request timeout, as the system settings have them now.
    package var options = PollingOptions()
    /// Makes the client for an instance with a request timeout; tests may count or wrap requests.
    var makeClient: @Sendable (ProxmoxTarget, Duration) -> any ProxmoxClient = { ProxmoxHTTPClient(target: $0, timeout: $1) }
    /// Stamps polls (`lastSeen`, rates); the state keeps its own clock for what depends on time.
    package var time: any TimeSource = SystemTimeSource()

    static let diskInterval: TimeInterval = 300
    static let backupEveryCycles = 10

    package func run() async throws {
        let running = RunningPollers()
        let histories = PVEPollHistories()
        await withDiscardingTaskGroup { group in
            var started: [String: ProxmoxTarget] = [:]
            var seenVersion = -1
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let version = await store.version
                if version != seenVersion {
                    seenVersion = version
                    let targets = await store.all()
                    let current = Dictionary(uniqueKeysWithValues: targets.map { ($0.instance.id, $0) })
                    for (id, _) in started where current[id] == nil {
                        await running.stop(id)
                        await health.forget(id: id)
                        await state.removeProxmox(instanceID: id)
                        await histories.forget(id)
                        started[id] = nil
                        logger.info("stopped polling", metadata: ["instance": .string(id)])
                    }
                    for target in targets where started[target.instance.id] != target {
                        let generation = await running.start(target.instance.id)
                        await health.track(target.instance)
                        started[target.instance.id] = target
                        group.addTask { await pollLoop(target, generation: generation, running: running, histories: histories) }
                        logger.info("polling", metadata: ["instance": .string(target.instance.id), "name": .string(target.instance.name)])
                    }
                }
                try? await Task.sleep(for: .seconds(1))
            }
            await running.stopAll()
        }
    }

    private func pollLoop(_ target: ProxmoxTarget, generation: Int, running: RunningPollers, histories: PVEPollHistories) async {
        let id = target.instance.id
        var timeout = options.current.requestTimeout
        var client = makeClient(target, timeout)
        var logger = logger
        logger[metadataKey: "instance"] = .string(target.instance.name)
        var cycle = 0
        var disksReadAt: Date?
        var backupsReadAt: Date?
        while !Task.isShuttingDownGracefully && !Task.isCancelled, await running.isCurrent(id, generation) {
            if await health.mayPoll(id: id) {
                let now = time.now()
                let knobs = options.current
                if knobs.requestTimeout != timeout {
                    timeout = knobs.requestTimeout
                    client = makeClient(target, timeout)
                }
                let started = ContinuousClock.now
                do {
                    let requests: Int
                    switch target.instance.type {
                    case .pve:
                        let options = PVEPoller.Options(
                            includeDisks: disksReadAt.map { now.timeIntervalSince($0) >= Self.diskInterval } ?? true,
                            includeBackups: Self.backupsDue(knobs, cycle: cycle, lastRead: backupsReadAt, now: now),
                            guestShare: (cycle % Self.backupEveryCycles, Self.backupEveryCycles))
                        let result = try await PVEPoller(client: client, instance: target.instance).poll(options)
                        guard await running.isCurrent(id, generation) else { return }
                        let inventory = await histories.absorb(result, instance: target.instance, at: now)
                        await state.applyPVE(inventory)
                        if options.includeDisks { disksReadAt = now }
                        if options.includeBackups { backupsReadAt = now }
                        requests = result.requests
                    case .pbs:
                        let result = try await PBSPoller(client: client).poll()
                        guard await running.isCurrent(id, generation) else { return }
                        let instance = target.instance
                        await state.applyPBS(
                            PBSInventory(
                                instanceID: instance.id, instanceName: instance.name,
                                server: PBSInstanceView(result, instance: instance, polledAt: now),
                                backups: result.snapshots.map {
                                    PBSBackupView(datastore: $0.datastore, namespace: $0.namespace, snapshot: $0.snapshot, instance: instance)
                                }))
                        requests = result.requests
                    case .pmg:
                        let result = try await PMGPoller(client: client).poll(now: now)
                        guard await running.isCurrent(id, generation) else { return }
                        let instance = target.instance
                        await state.applyPMG(
                            PMGInventory(
                                instanceID: instance.id, instanceName: instance.name,
                                server: PMGInstanceView(result, instance: instance, polledAt: now)))
                        requests = result.requests
                    }
                    await health.recordSuccess(id: id, duration: ContinuousClock.now - started, requests: requests)
                    cycle += 1
                } catch is CancellationError {
                    return
                } catch {
                    let failure = error as? ProxmoxError ?? ProxmoxError(category: .transient, description: "\(error)")
                    guard await running.isCurrent(id, generation) else { return }
                    await state.markProxmoxUnreachable(instanceID: id)
                    await health.recordFailure(id: id, error: failure)
                    logger.warning("poll failed", metadata: ["error": .string(failure.description), "category": .string(failure.category.rawValue)])
                }
            }
            // Wake at least every second to notice a configuration change or shutdown.
            let wait = min(1, max(0.05, await health.secondsUntilDue(id: id)))
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    /// Whether this PVE poll reads backups: never when switched off; with an interval, once it has
    /// passed since the last read; otherwise every tenth cycle.
    static func backupsDue(_ knobs: PollingOptions.Values, cycle: Int, lastRead: Date?, now: Date) -> Bool {
        guard knobs.backupsEnabled else { return false }
        guard knobs.backupInterval > 0 else { return cycle % backupEveryCycles == 0 }
        return lastRead.map { now.timeIntervalSince($0) >= knobs.backupInterval } ?? true
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        store: ProxmoxInstanceStore, state: MonitoringState, health: SchedulerHealth, logger: Logger, time: any TimeSource = SystemTimeSource(),
        options: PollingOptions = PollingOptions()
    ) {
        self.store = store
        self.state = state
        self.health = health
        self.logger = logger
        self.time = time
        self.options = options
    }
}

/// Which generation of each instance's poll loop is current; an old loop ends on its next turn.
package actor RunningPollers {
    private var generations: [String: Int] = [:]
    private var next = 0

    package func start(_ id: String) -> Int {
        next += 1
        generations[id] = next
        return next
    }

    package func stop(_ id: String) { generations[id] = nil }
    func stopAll() { generations.removeAll() }
    func isCurrent(_ id: String, _ generation: Int) -> Bool { generations[id] == generation }
}

/// Each PVE instance's poll history, kept across restarts of its poll loop (a configuration
/// change) so rates continue; forgotten with the instance.
package actor PVEPollHistories {
    private var histories: [String: PVEPollHistory] = [:]

    /// Takes in a successful poll and returns the instance's model values.
    func absorb(_ result: PVEPollResult, instance: ProxmoxInstance, at now: Date) -> PVEInventory {
        if var history = histories[instance.id] {
            history.update(result, instance: instance, at: now)
            histories[instance.id] = history
        } else {
            histories[instance.id] = PVEPollHistory(instance: instance, result: result, at: now)
        }
        return histories[instance.id]!.inventory()
    }

    func forget(_ id: String) { histories[id] = nil }
}
