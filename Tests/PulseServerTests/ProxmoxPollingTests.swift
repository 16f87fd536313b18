import AgentProtocol
import Foundation
import Logging
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The PVE poller against fakepve (PyPI), a fake of the whole PVE 9 API with fault injection:
/// what it polls reaches the state with Pulse's IDs and units, faults show in connectionHealth
/// and the scheduler health, and recovery happens by itself.
@Suite("Proxmox VE polling against fakepve", .serialized)
struct ProxmoxPollingTests {
    /// The polling service on its own store and state, run for the length of `body`.
    struct Harness {
        let store: ProxmoxInstanceStore
        let state: MonitoringState
        let health: SchedulerHealth

        /// `stateTime`: the state's clock (offline grace); the scheduler always runs on real time.
        static func with(
            stateTime: any TimeSource = SystemTimeSource(), options: PollingOptions = PollingOptions(), _ body: (Harness) async throws -> Void
        ) async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = try PulseDatabase(path: folder.appendingPathComponent("pulse.db").path)
            let box = try SecretBox.loadOrCreate(path: folder.appendingPathComponent(".encryption.key").path, sealedSecretsExist: false)
            let time = SystemTimeSource()
            let harness = Harness(
                store: try ProxmoxInstanceStore(database: database, box: box), state: MonitoringState(time: stateTime),
                health: SchedulerHealth(time: time, intervals: [.pve: 0.3, .pbs: 0.3, .pmg: 0.3]))
            var logger = Logger(label: "poll-test")
            logger.logLevel = .critical
            let service = ProxmoxPollingService(
                store: harness.store, state: harness.state, health: harness.health, logger: logger, options: options)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                do {
                    try await body(harness)
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }

        func add(_ peer: PVEPeer, name: String = "lab", configure: (inout ProxmoxInstance, inout ProxmoxCredentials) -> Void = { _, _ in })
            async throws -> ProxmoxTarget
        {
            try await add(peer.info, type: .pve, name: name, configure: configure)
        }

        func add(
            _ endpoint: PeerEndpoint, type: ProxmoxProduct, name: String,
            configure: (inout ProxmoxInstance, inout ProxmoxCredentials) -> Void = { _, _ in }
        ) async throws -> ProxmoxTarget {
            let host = try ProxmoxInstanceInput.normalisedHost(endpoint.url, type: type)
            var instance = ProxmoxInstance(
                id: "", type: type, name: name, host: host, user: String(endpoint.tokenId.split(separator: "!")[0]), tokenName: endpoint.tokenId,
                fingerprint: endpoint.fingerprint, verifySSL: true)
            var credentials = ProxmoxCredentials(password: nil, tokenValue: endpoint.tokenSecret)
            configure(&instance, &credentials)
            return try await store.add(instance, credentials: credentials)
        }

        /// Waits (up to `seconds`: in the whole parallel run on two cores a first poll of the Python
        /// peer has taken over a minute) until `condition` holds on the state snapshot.
        func waitFor(_ what: String, seconds: Double = 180, _ condition: (StateSnapshot) async -> Bool) async throws -> StateSnapshot {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline {
                let snapshot = await state.snapshot()
                if await condition(snapshot) { return snapshot }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out waiting for \(what)")
            return await state.snapshot()
        }

        func instanceHealth(_ name: String) async -> SchedulerHealthView.Instance? {
            await health.snapshot().instances.first { $0.instance == name }
        }
    }

    @Test func nodesGuestsStorageCephDisksAndBackupsReachTheStateWithPulsesIDs() async throws {
        try await PVEPeer.with(nodes: 2, guests: 6) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer)
                let state = try await harness.waitFor("a first poll") { !$0.nodes.isEmpty && !$0.pveBackups.storageBackups.isEmpty }

                #expect(state.nodes.map(\.id) == ["lab-pve1", "lab-pve2"])
                #expect(state.nodes.allSatisfy { $0.status == "online" && $0.instance == "lab" && $0.type == "node" })
                #expect(state.nodes.first?.clusterName == "fakecluster")
                // Six guests over two nodes: every third a container.
                #expect(state.vms.map(\.id) == ["lab:pve1:100", "lab:pve2:101", "lab:pve2:103", "lab:pve1:104"])
                #expect(state.containers.map(\.id) == ["lab:pve1:102", "lab:pve2:105"])
                let vm = try #require(state.vms.first)
                #expect(vm.type == "qemu" && vm.maxmem == 2 * 1024 * 1024 * 1024 && vm.cpus == 2 && vm.tags == "db")
                #expect(vm.cpu >= 0 && vm.cpu <= 1, "cpu is a 0–1 ratio")
                #expect(state.containers.first?.tags == "web,prod", "PVE's ';' separated tags are joined with ','")
                #expect(state.storage.contains { $0.id == "lab-pve1-local" && $0.type == "dir" && $0.total > 0 && $0.status == "available" })
                #expect(state.cephClusters.contains { $0.instance == "lab" && $0.health == "HEALTH_OK" && $0.numOsds == 1 })
                #expect(state.cephClusters.first { $0.instance == "lab" }?.pools?.map(\.name) == ["example-pool"])
                #expect(state.physicalDisks.contains { $0.node == "pve1" && $0.health == "PASSED" && $0.wwn == "0x5000000000000001" })
                #expect(state.pveBackups.storageBackups.contains { $0.vmid == 100 && $0.storage == "local" && $0.size == 1024 * 1024 * 1024 })
                #expect(state.connectionHealth["lab"] == true)
                #expect(state.replicationJobs.contains { $0.id == "lab-100-0" && $0.targetNode == "pve1" })

                // Backup-age alerts (off by default) measure from each guest's newest backup.
                var alerting = AlertConfiguration()
                alerting.backupDefaults.enabled = true
                let newestOf100 = try #require(state.pveBackups.storageBackups.filter { $0.vmid == 100 }.map(\.time).max())
                func backupAge(after days: Double) -> (holds: Bool, level: AlertLevel)? {
                    let conditions = AlertConditions.build(
                        from: state.readings(), configuration: alerting, memory: RuleMemory(), at: newestOf100.addingTimeInterval(days * 86_400)
                    ).conditions
                    guard case .rule(let holds, let level, _, _, _, _, _)? = conditions.first(where: { $0.id == "lab:pve1:100-backup-age" })?.check
                    else { return nil }
                    return (holds, level)
                }
                #expect(backupAge(after: 1) == nil, "a day-old backup: the rule does not hold, so no condition is built")
                #expect(backupAge(after: 8).map { $0.holds && $0.level == .warning } == true)
                #expect(backupAge(after: 15).map { $0.holds && $0.level == .critical } == true)

                // Guest agents: a tenth of the VMs per cycle, so within ten cycles every VM with an
                // agent has its OS, addresses and real disk usage; a VM without one has none.
                let withAgents = try await harness.waitFor("guest-agent details") { snapshot in
                    ["lab:pve1:100", "lab:pve1:104"].allSatisfy { id in snapshot.vms.first { $0.id == id }?.osName != nil }
                }
                let vm100 = try #require(withAgents.vms.first { $0.id == "lab:pve1:100" })
                #expect(vm100.osName == "Debian GNU/Linux 13 (trixie)" && vm100.osVersion == "13")
                #expect(vm100.ipAddresses == ["192.0.2.10"] && vm100.networkInterfaces?.first?.mac == "bc:24:11:00:00:01")
                #expect(
                    vm100.disk?.total == 10 * 1024 * 1024 * 1024 && vm100.disk?.used == 2 * 1024 * 1024 * 1024,
                    "disk usage from the agent's filesystems")
                #expect(withAgents.vms.first { $0.id == "lab:pve2:101" }?.osName == nil, "no agent, no details")
                let snapshots = withAgents.pveBackups.guestSnapshots
                #expect(snapshots.map(\.name) == ["before-upgrade"] && snapshots.first?.vmid == 100 && snapshots.first?.description == "pre 9.1")

                let health = try #require(await harness.instanceHealth("lab"))
                #expect(health.key == "pve::lab" && health.breaker.state == .closed && health.pollStatus.lastRequests > 0)
            }
        }
    }

    @Test func faultsShowInConnectionHealthAndTheSchedulerAndRecoveryIsAutomatic() async throws {
        try await PVEPeer.with(nodes: 2, guests: 3) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer)
                _ = try await harness.waitFor("a first poll") { $0.connectionHealth["lab"] == true }

                // A node that stops answering: the instance stays healthy, the node is not
                // declared offline before the grace period, the other node keeps its data.
                try await peer.command("offline pve2")
                try await Task.sleep(for: .seconds(1))
                var state = await harness.state.snapshot()
                #expect(state.connectionHealth["lab"] == true)
                #expect(state.nodes.first { $0.node == "pve2" }?.status == "online", "offline only after the 60 s grace")
                #expect(state.nodes.first { $0.node == "pve1" }?.status == "online")
                try await peer.command("online pve2")

                // The whole API failing: unhealthy, breaker open, error recorded.
                try await peer.command("fail GET /nodes 500 boom")
                state = try await harness.waitFor("the failure to show") { $0.connectionHealth["lab"] == false }
                #expect(!state.nodes.isEmpty, "the last good data stays while the instance is down")
                try await Task.sleep(for: .seconds(1.5))
                let failing = try #require(await harness.instanceHealth("lab"))
                #expect(failing.pollStatus.consecutiveFailures >= 3)
                #expect(failing.pollStatus.lastError?.category == .transient)
                #expect(failing.pollStatus.lastError?.message.contains("500") == true)
                #expect(failing.breaker.state == .open && failing.breaker.retryAt != nil)

                // Recovery by itself once the breaker's retry comes round (5 s ± 20 %).
                try await peer.command("clear")
                _ = try await harness.waitFor("recovery", seconds: 20) { $0.connectionHealth["lab"] == true }
                let recovered = try #require(await harness.instanceHealth("lab"))
                #expect(recovered.breaker.state == .closed && recovered.pollStatus.consecutiveFailures == 0)
            }
        }
    }

    @Test func passwordLoginRenewsAnExpiredTicketByItself() async throws {
        try await PVEPeer.with(nodes: 1, guests: 2) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer) { instance, credentials in
                    instance.user = "root@pam"
                    instance.tokenName = nil
                    credentials = ProxmoxCredentials(password: "secret", tokenValue: nil)
                }
                _ = try await harness.waitFor("a first poll") { $0.connectionHealth["lab"] == true }
                try await peer.command("revoke-tickets")
                let before = await harness.state.snapshot().stats.pollingCycles
                _ = try await harness.waitFor("polls after the ticket was revoked") { $0.stats.pollingCycles >= before + 3 }
                #expect(await harness.instanceHealth("lab")?.pollStatus.consecutiveFailures == 0)
            }
        }
    }

    @Test func aWrongFingerprintOrAnUntrustedCertificateNeverReceivesCredentials() async throws {
        try await PVEPeer.with(nodes: 1, guests: 1) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer, name: "pinned-wrong") { instance, _ in
                    instance.fingerprint = String(repeating: "AB:", count: 31) + "AB"
                }
                _ = try await harness.add(peer, name: "unverified") { instance, _ in instance.fingerprint = nil }
                _ = try await harness.add(peer, name: "pinned-right")
                _ = try await harness.waitFor("the pinned instance to poll") { $0.connectionHealth["pinned-right"] == true }
                try await Task.sleep(for: .seconds(1))
                for name in ["pinned-wrong", "unverified"] {
                    let health = try #require(await harness.instanceHealth(name))
                    #expect(health.pollStatus.lastSuccess == nil, "\(name) must not poll")
                    #expect(health.pollStatus.lastError?.category == .permanent, "\(name): \(String(describing: health.pollStatus.lastError))")
                    #expect(health.deadLetter.present && health.deadLetter.reason == "permanent_failure")
                }
                #expect(await harness.instanceHealth("pinned-wrong")?.pollStatus.lastError?.message.contains("fingerprint mismatch") == true)
                #expect(await harness.health.snapshot().deadLetter.count == 2)
            }
        }
    }

    @Test func anAgentOnANodeAddsItsTemperaturesToThatNodeAndAnotherMachineNamedLikeItDoesNotStealIt() async throws {
        try await PVEPeer.with(nodes: 2, guests: 3) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer)
                _ = try await harness.waitFor("a first poll") { $0.nodes.count == 2 }
                var report = try AgentJSONTesting.decodeHost(AgentPayloads.host(hostname: "PVE1.lab.example", machineID: "machine-of-pve1"))
                report.sensors.temperatureCelsius = ["cpu_package": 51, "cpu_core_0": 49, "cpu_core_1": 53, "nvme0": 38, "amdgpu-pci-0300_edge": 44]
                report.sensors.smart = [SMARTDisk(device: "sdz", serial: "EX0000000001", wwn: "0x5000000000000001", temperature: 31)]
                _ = try await harness.state.ingest(host: report, token: nil, receivedAt: Date())

                var state = await harness.state.snapshot()
                let node = try #require(state.nodes.first { $0.node == "pve1" })
                let host = try #require(state.hosts.first)
                #expect(node.linkedHostAgentId == host.id && host.linkedNodeId == "lab-pve1")
                #expect(node.temperature?.cpuPackage == 51 && node.temperature?.cpuMax == 53 && node.temperature?.cpuMin == 49)
                #expect(node.temperature?.nvme == [.init(device: "nvme0", temp: 38)])
                #expect(node.temperature?.gpu?.first?.device == "amdgpu-pci-0300" && node.temperature?.gpu?.first?.edge == 44, "GPU keys kept")
                #expect(state.physicalDisks.first { $0.node == "pve1" }?.temperature == 31, "SMART matched by WWN")
                #expect(state.nodes.first { $0.node == "pve2" }?.temperature == nil)
                #expect(state.nodes.count == 2, "one machine shows once: no second node, the agent only adds to it")

                // A second machine (another machine-id) with the same name: the node keeps its agent.
                var impostor = try AgentJSONTesting.decodeHost(
                    AgentPayloads.host(hostname: "pve1", agentID: "agent-2", machineID: "machine-of-a-vm", hostID: "other"))
                impostor.sensors.temperatureCelsius = ["cpu_package": 99]
                _ = try await harness.state.ingest(host: impostor, token: nil, receivedAt: Date())
                state = await harness.state.snapshot()
                #expect(state.nodes.first { $0.node == "pve1" }?.temperature?.cpuPackage == 51)
                #expect(state.hosts.first { $0.id != host.id }?.linkedNodeId == nil)
            }
        }
    }

    @Test func backupServerAndMailGatewayFixturesReachTheStateInPulsesShapes() async throws {
        try await PBSPMGFixture.with { fixture in
            try await Harness.with { harness in
                _ = try await harness.add(fixture.info.pbs, type: .pbs, name: "backup")
                _ = try await harness.add(fixture.info.pmg, type: .pmg, name: "mail") { instance, credentials in
                    instance.tokenName = nil
                    instance.user = "root@pam"
                    credentials = ProxmoxCredentials(password: fixture.info.pmg.password, tokenValue: nil)
                }
                let state = try await harness.waitFor("both polled") { !$0.pbs.isEmpty && !$0.pmg.isEmpty }

                let pbs = try #require(state.pbs.first)
                #expect(pbs.id == "pbs-backup" && pbs.status == "online" && pbs.version == "3.2.7")
                #expect(pbs.cpu == 12.5 && pbs.memory == 25 && pbs.memoryTotal == 16 * 1024 * 1024 * 1024)
                let main = try #require(pbs.datastores.first { $0.name == "main" })
                #expect(main.usage == 25 && main.deduplicationFactor == 4 && main.namespaces == ["prod"])
                #expect(pbs.syncJobs.map(\.status) == ["ok"] && pbs.verifyJobs.first?.status == "error" && pbs.pruneJobs.count == 1)
                #expect(pbs.garbageJobs.map(\.store) == ["main"] && pbs.backupJobs.count == 1)
                #expect(state.pbsBackups.count == 3)
                let verified = try #require(state.pbsBackups.first { $0.vmid == "100" })
                #expect(verified.backupType == "vm" && verified.verified && verified.namespace == "" && verified.comment == "nightly")
                #expect(state.pbsBackups.first { $0.vmid == "200" }?.namespace == "prod")
                #expect(state.backups.pbs.count == 3)
                #expect(state.connectionHealth["pbs-backup"] == true)

                let pmg = try #require(state.pmg.first)
                #expect(pmg.id == "pmg-mail" && pmg.version == "8.1.4")
                #expect(pmg.nodes?.map(\.name) == ["pmg1", "pmg2"] && pmg.nodes?.first?.role == "master")
                #expect(pmg.nodes?.first?.queueStatus?.total == 8 && pmg.nodes?.first?.queueStatus?.deferred == 5)
                #expect(pmg.mailStats?.countIn == 1000 && pmg.mailStats?.spamIn == 150 && pmg.mailStats?.averageProcessTimeMs == 420)
                #expect(pmg.mailCount?.count == 24 && pmg.spamDistribution?.count == 5)
                #expect(pmg.quarantine?.spam == 42 && pmg.quarantine?.virus == 3)
                #expect(state.connectionHealth["pmg-mail"] == true)

                // A datastore that fails stays listed with its error; the instance stays healthy.
                try await fixture.command("fail pbs /admin/datastore/offsite/status 500")
                let degraded = try await harness.waitFor("the datastore error") { snapshot in
                    snapshot.pbs.first?.datastores.first { $0.name == "offsite" }?.status == "unavailable"
                }
                #expect(degraded.connectionHealth["pbs-backup"] == true)
                let failed = try #require(degraded.staleData.first { $0.instance == "backup" && $0.part == "datastore:offsite" })
                #expect(failed.type == "pbs" && failed.status == "failed" && failed.lastGood != nil, "with when it was last read")
                #expect(failed.error.contains("500"))
                // A gateway's statistics failing are listed as failed, not shown as zero.
                try await fixture.command("fail pmg /statistics/mail 500")
                let noStatistics = try await harness.waitFor("the statistics failure") { snapshot in
                    snapshot.staleData.contains { $0.instance == "mail" && $0.part == "mail-statistics" }
                }
                #expect(noStatistics.pmg.first?.mailStats == nil)
                // The gateway going away: unhealthy, then back by itself.
                try await fixture.command("fail pmg /version 503")
                let down = try await harness.waitFor("the gateway failure") { $0.connectionHealth["pmg-mail"] == false }
                let whole = try #require(down.staleData.first { $0.instance == "mail" && $0.part == "poll" })
                #expect(whole.status == "stale" && whole.lastGood != nil, "its last good values are shown, marked as such")
                try await fixture.command("clear")
                _ = try await harness.waitFor("the gateway back", seconds: 20) { $0.connectionHealth["pmg-mail"] == true }
            }
        }
    }

    /// A part of a poll that fails keeps its last good values, marked stale with when they were
    /// read; the rest of the poll and the other nodes stay current.
    @Test func aFailedPartShowsItsLastGoodValuesMarkedStaleUntilItIsReadAgain() async throws {
        try await PVEPeer.with(nodes: 2, guests: 2) { peer in
            try await Harness.with { harness in
                _ = try await harness.add(peer)
                let first = try await harness.waitFor("storage of both nodes") { snapshot in
                    Set(snapshot.storage.map(\.node)) == ["pve1", "pve2"]
                }
                #expect(first.staleData.isEmpty && first.storage.allSatisfy { $0.freshness == nil })
                let before = first.storage.filter { $0.node == "pve1" }.map(\.id)

                try await peer.command("fail GET /nodes/pve1/storage 500 broken")
                let stale = try await harness.waitFor("pve1's storage marked stale") { snapshot in
                    snapshot.staleData.contains { $0.part == "storage:pve1" }
                }
                let entry = try #require(stale.staleData.first { $0.part == "storage:pve1" })
                #expect(entry.instance == "lab" && entry.type == "pve" && entry.status == "stale" && entry.lastGood != nil)
                let kept = stale.storage.filter { $0.node == "pve1" }
                #expect(kept.map(\.id) == before, "the last good values stay listed")
                #expect(kept.allSatisfy { $0.freshness?.status == "stale" && $0.freshness?.lastGood == entry.lastGood })
                #expect(stale.storage.filter { $0.node == "pve2" }.allSatisfy { $0.freshness == nil }, "the other node is current")
                #expect(stale.connectionHealth["lab"] == true, "one part failing does not fail the instance")

                try await peer.command("clear")
                let fresh = try await harness.waitFor("pve1's storage read again") { snapshot in
                    snapshot.staleData.isEmpty && snapshot.storage.allSatisfy { $0.freshness == nil }
                }
                #expect(fresh.storage.filter { $0.node == "pve1" }.map(\.id) == before)
            }
        }
    }

    @Test func aSlowInstanceDelaysNoOtherAndLostQuorumKeepsReadsGoing() async throws {
        try await PVEPeer.with(nodes: 1, guests: 2) { slow in
            try await PVEPeer.with(nodes: 1, guests: 2) { fast in
                try await Harness.with { harness in
                    _ = try await harness.add(slow, name: "slow")
                    _ = try await harness.add(fast, name: "fast")
                    _ = try await harness.waitFor("both polled") { $0.connectionHealth["slow"] == true && $0.connectionHealth["fast"] == true }
                    try await slow.command("latency 1")
                    try await fast.command("lose-quorum")
                    let before = try #require(await harness.instanceHealth("fast")).pollStatus.successfulPolls
                    let slowBefore = try #require(await harness.instanceHealth("slow")).pollStatus.successfulPolls
                    try await Task.sleep(for: .seconds(3))
                    let fastAfter = try #require(await harness.instanceHealth("fast")).pollStatus.successfulPolls
                    let slowAfter = try #require(await harness.instanceHealth("slow")).pollStatus.successfulPolls
                    // A slow poll makes ~6 requests of 1 s each; the other instance goes on every 0.3 s.
                    #expect(fastAfter - before >= 4, "the fast instance polled \(fastAfter - before) times")
                    #expect(slowAfter - slowBefore <= 1)
                    let state = await harness.state.snapshot()
                    #expect(state.connectionHealth["fast"] == true, "reads work without quorum")
                    #expect(state.connectionHealth["slow"] == true, "slow is not down")
                }
            }
        }
    }

    /// `connectionTimeout`, `backupPollingEnabled` and `backupPollingInterval` as the settings
    /// routes put them in force: each poll loop reads them on its next cycle.
    @Test func theRequestTimeoutAndBackupReadsFollowTheOptionsAtTheNextPoll() async throws {
        try await PVEPeer.with(nodes: 1, guests: 2) { peer in
            let options = PollingOptions(.init(backupsEnabled: false, requestTimeout: .seconds(1)))
            try await Harness.with(options: options) { harness in
                _ = try await harness.add(peer)
                _ = try await harness.waitFor("three polls") { _ in
                    (await harness.instanceHealth("lab")?.pollStatus.successfulPolls ?? 0) >= 3
                }
                #expect(await harness.state.snapshot().pveBackups.storageBackups.isEmpty, "backup reads are off")

                try await peer.command("latency 2")
                _ = try await harness.waitFor("requests over the 1 s limit failing", seconds: 30) { $0.connectionHealth["lab"] == false }
                options.set(.init(backupsEnabled: true, backupInterval: 3600, requestTimeout: .seconds(10)))
                let state = try await harness.waitFor("a poll within the new limit, with backups", seconds: 90) {
                    $0.connectionHealth["lab"] == true && !$0.pveBackups.storageBackups.isEmpty
                }
                #expect(state.nodes.map(\.id) == ["lab-pve1"])
            }
        }
    }

    @Test func aNodeThatStopsAnsweringIsOfflineOnlyAfterTheGracePeriod() async throws {
        let clock = ManualTimeSource(Date())
        try await PVEPeer.with(nodes: 2, guests: 2) { peer in
            try await Harness.with(stateTime: clock) { harness in
                _ = try await harness.add(peer)
                _ = try await harness.waitFor("a first poll") { $0.nodes.count == 2 }
                try await peer.command("offline pve2")
                let cycles = await harness.state.snapshot().stats.pollingCycles
                _ = try await harness.waitFor("polls with pve2 away") { $0.stats.pollingCycles >= cycles + 2 }
                clock.advance(by: 59)
                #expect(await harness.state.snapshot().nodes.first { $0.node == "pve2" }?.status == "online", "within the grace")
                clock.advance(by: 2)
                let state = await harness.state.snapshot()
                #expect(state.nodes.first { $0.node == "pve2" }?.status == "offline")
                #expect(state.nodes.first { $0.node == "pve2" }?.connectionHealth == "error")
                // pve1 answered after the clock moved, so it is still online.
                _ = try await harness.waitFor("pve1 polled again") { $0.stats.pollingCycles >= cycles + 4 }
                #expect(await harness.state.snapshot().nodes.first { $0.node == "pve1" }?.status == "online")
                try await peer.command("online pve2")
                _ = try await harness.waitFor("pve2 back") { $0.nodes.first { $0.node == "pve2" }?.status == "online" }
            }
        }
    }
}
