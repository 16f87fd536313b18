import Foundation
import Testing

@testable import Alerting
@testable import PulseCore

/// Alert rules read narrow readings, built by the core from the snapshot; the rules never see a view.
@Suite struct ResourceReadingTests {
    private static func snapshot() -> StateSnapshot {
        var snapshot = StateSnapshot()
        var node = NodeView()
        node.id = "lab-pve1"
        node.node = "pve1"
        node.displayName = "pve1"
        node.instance = "lab"
        node.status = "online"
        node.cpu = 0.5
        node.memory = MemoryView(total: 100, used: 25)
        snapshot.nodes = [node]
        var vm = GuestView()
        vm.id = "lab:pve1:100"
        vm.vmid = 100
        vm.name = "web"
        vm.type = "qemu"
        vm.status = "running"
        vm.diskRead = 3 * 1_048_576
        vm.disk = MemoryView(total: 0, used: 0)
        var template = vm
        template.id = "lab:pve1:900"
        template.vmid = 900
        template.template = true
        var container = vm
        container.id = "lab:pve1:101"
        container.vmid = 101
        container.type = "lxc"
        snapshot.vms = [vm, template]
        snapshot.containers = [container]
        var active = StorageView()
        active.id = "lab-pve1-local"
        active.enabled = true
        active.active = true
        active.total = 100
        active.usage = 42
        var inactive = active
        inactive.id = "lab-pve1-nfs"
        inactive.active = false
        snapshot.storage = [active, inactive]
        var older = StorageBackupView()
        older.vmid = 100
        older.time = Date(timeIntervalSince1970: 1_000)
        var newer = older
        newer.time = Date(timeIntervalSince1970: 2_000)
        snapshot.pveBackups.storageBackups = [newer, older]
        return snapshot
    }

    @Test func theCoreReadsTheSnapshotInTheUnitsThresholdsUse() throws {
        let readings = Self.snapshot().readings()
        #expect(readings.map(\.id) == ["lab-pve1", "lab:pve1:100", "lab:pve1:101", "lab-pve1-local"], "no template, no inactive storage")
        let node = try #require(readings.first { $0.kind == .node })
        #expect(node.values[.cpu] == 50, "Proxmox reports a fraction; thresholds are percent")
        #expect(node.values[.memory] == 25)
        #expect(node.values[.disk] == nil, "an unknown value is absent, not 0")
        let vm = try #require(readings.first { $0.id == "lab:pve1:100" })
        #expect(vm.kind == .vm && vm.vmid == 100)
        #expect(vm.values[.diskRead] == 3, "MB/s")
        #expect(vm.values[.disk] == nil, "a guest disk of unknown size has no usage")
        #expect(vm.newestBackup == Date(timeIntervalSince1970: 2_000))
        #expect(readings.first { $0.id == "lab:pve1:101" }?.kind == .container)
        #expect(readings.first { $0.kind == .storage }?.values[.usage] == 42)
    }

    @Test func rulesNeedNothingButReadings() throws {
        var host = ResourceReading(kind: .host, id: "host:abc", recordID: "abc", name: "box", status: "online")
        host.values[.cpu] = 97
        host.values[.memory] = 10
        var gone = ResourceReading(kind: .host, id: "host:def", recordID: "def", name: "gone", status: "offline")
        gone.values[.cpu] = 99
        var configuration = AlertConfiguration()
        configuration.offlineConfirmations = 1
        let (conditions, _) = AlertConditions.build(
            from: [host, gone], configuration: configuration, memory: RuleMemory(), at: Date(timeIntervalSince1970: 0))
        #expect(conditions.map(\.id).sorted() == ["host-offline-def", "host:abc-cpu"], "an offline host has no threshold conditions")
        let cpu = try #require(conditions.first { $0.id == "host:abc-cpu" })
        #expect(cpu.resource == AlertResource(id: "host:abc", name: "box", type: "host"))
        guard case .threshold(let value, _, _, let unit, _) = cpu.check else {
            Issue.record("a CPU reading is a threshold condition")
            return
        }
        #expect(value == 97 && unit == "%")
    }
}
