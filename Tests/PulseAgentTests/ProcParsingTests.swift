import AgentProtocol
import Foundation
import Testing

@testable import PulseAgent

@Suite("Parsing recorded /proc and /etc files")
struct ProcParsingTests {
    @Test func cpuUsageIsTheBusyShareBetweenTwoReadings() throws {
        let earlier = try #require(ProcStat(try FixtureRoot.text("/proc/stat")))
        let later = try #require(ProcStat(try FixtureRoot.text("/proc/stat.later")))
        #expect(earlier.cores.count == 2)
        #expect(earlier.all.user == 529_474 && earlier.all.idle == 312_805)
        let usage = try #require(later.all.usagePercent(since: earlier.all))
        let busy = Double(later.all.busy - earlier.all.busy)
        let total = Double(later.all.total - earlier.all.total)
        #expect(usage == busy / total * 100)
        #expect((0...100).contains(usage))
        #expect(earlier.all.usagePercent(since: earlier.all) == nil, "no time passed, no figure")
    }

    @Test func memoryUsedIsTotalMinusAvailable() throws {
        let text = try FixtureRoot.text("/proc/meminfo")
        let info = try #require(MemInfo(text))
        let totalKiB = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }?.split(separator: " ").dropFirst().first.flatMap { Int64($0) })
        #expect(info.totalBytes == totalKiB * 1024)
        let metrics = info.metrics
        #expect(metrics.usedBytes == info.totalBytes - info.availableBytes)
        #expect(metrics.usedBytes! + metrics.freeBytes! == metrics.totalBytes)
        #expect((0...100).contains(try #require(metrics.usage)))
    }

    @Test func olderKernelsWithoutMemAvailableFallBack() throws {
        let info = try #require(MemInfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n"))
        #expect(info.availableBytes == 400 * 1024)
    }

    @Test func osReleaseAndCPUInfo() throws {
        let release = OSRelease(try FixtureRoot.text("/etc/os-release"))
        #expect(release.name == "Debian GNU/Linux")
        #expect(release.versionID == "12")
        let cpu = CPUInfo(try FixtureRoot.text("/proc/cpuinfo"))
        #expect(cpu.logicalCount == 2)
        #expect(cpu.model?.isEmpty == false)
        #expect(CPUInfo("processor : 0\nModel : Raspberry Pi 4 Model B Rev 1.4\n").model == "Raspberry Pi 4 Model B Rev 1.4")
    }

    @Test func loadAndUptime() throws {
        #expect(LoadAndUptime.loadAverage("0.52 0.58 0.59 1/389 12345\n") == [0.52, 0.58, 0.59])
        #expect(LoadAndUptime.uptimeSeconds("35017.47 68612.64\n") == 35017)
        #expect(LoadAndUptime.loadAverage(try FixtureRoot.text("/proc/loadavg"))?.count == 3)
    }

    @Test func machineIDIsWrittenAsAUUID() {
        #expect(MachineIdentity.machineID(in: SystemRoot(FixtureRoot.debian12VM)) == "01234567-89ab-cdef-0123-456789abcdef")
        #expect(MachineIdentity.hostname(in: SystemRoot(FixtureRoot.debian12VM)) == "fixture-host")
    }

    @Test func wholeDisksOnlyFromDiskstats() throws {
        let root = SystemRoot(FixtureRoot.debian12VM)
        let disks = DiskStats.parse(try FixtureRoot.text("/proc/diskstats"), wholeDisks: Set(root.list("/sys/block")))
        #expect(disks.map(\.device) == ["vda"], "loop and zram devices are virtual")
        let vda = try #require(disks.first)
        #expect(vda.readOps == 408_927)
        #expect(vda.readBytes == 21_445_850 * 512)
        #expect(vda.writeBytes == 28_349_472 * 512)
        #expect(vda.ioTimeMs == 106_716)
        let partitions = DiskStats.parse(" 259 0 nvme0n1 1 0 8 0 1 0 8 0 0 0 0\n 259 1 nvme0n1p1 1 0 8 0 1 0 8 0 0 0 0\n", wholeDisks: ["nvme0n1"])
        #expect(partitions.map(\.device) == ["nvme0n1"])
    }

    @Test func networkCountersFromNetDev() throws {
        let interfaces = NetDev.parse(try FixtureRoot.text("/proc/net/dev"))
        #expect(interfaces.contains { $0.name == "lo" })
        let parsed = NetDev.parse("Inter-|   Receive\n face |bytes\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n")
        #expect(parsed.count == 1 && parsed[0].rxBytes == 1000 && parsed[0].txBytes == 2000)
    }
}

@Suite("Which filesystems are reported")
struct DiskFilterTests {
    @Test func recordedVMReportsOnlyItsRootDisk() throws {
        let mounts = MountEntry.parse(try FixtureRoot.text("/proc/mounts"))
        let selected = DiskFilter().select(mounts)
        #expect(selected.map(\.mountpoint) == ["/"])
        #expect(selected.first?.device == "/dev/vda")
    }

    @Test func pulseFiltersAndBindMountsAndExcludes() {
        let table = """
            /dev/sda2 / ext4 rw 0 0
            /dev/sda1 /boot/efi vfat rw 0 0
            /dev/sdb1 /mnt/backup\\040disk xfs rw 0 0
            /dev/sdc1 /srv/data ext4 rw 0 0
            /dev/sdc1 /srv/data/bind ext4 rw 0 0
            nas:/export /mnt/nas nfs4 rw 0 0
            tank/data /tank/data zfs rw 0 0
            overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0
            /dev/loop3 /snap/core/1 squashfs ro 0 0
            sshfs#me@host: /mnt/remote fuse.sshfs rw 0 0
            """
        let mounts = MountEntry.parse(table)
        #expect(mounts[2].mountpoint == "/mnt/backup disk", "octal escapes are decoded")
        #expect(DiskFilter().select(mounts).map(\.mountpoint) == ["/", "/mnt/backup disk", "/srv/data"])
        #expect(DiskFilter(excludePatterns: ["/mnt/backup*", "sdc1"]).select(mounts).map(\.mountpoint) == ["/"])
    }

    @Test func filesystemSpaceComesFromStatvfs() throws {
        let space = try #require(FilesystemSpace.measure("/"))
        #expect(space.totalBytes > 0)
        #expect(space.usedBytes >= 0 && space.usedBytes <= space.totalBytes)
        #expect((0...100).contains(space.usagePercent))
        #expect(FilesystemSpace.measure("/no/such/mountpoint") == nil)
    }
}

@Suite("ZFS pools from zpool list -Hp")
struct ZFSPoolTests {
    @Test func onePoolOneEntryMountedOrNot() {
        let output = "rpool\t498216206336\t151732969472\t346483236864\ntank\t15994458210304\t9170941005824\t6823517204480\nbroken\tx\t1\t2\n"
        let mounts = MountEntry.parse("rpool/ROOT/pve-1 / zfs rw 0 0\ntank /tank zfs rw 0 0\ntank/media /tank/media zfs rw 0 0\n")
        let pools = ZFSPools.parse(output, mounts: mounts)
        #expect(pools.map(\.device) == ["rpool", "tank"], "the malformed line is skipped")
        #expect(pools[0].mountpoint == "zpool:rpool", "rpool's root dataset is not mounted")
        #expect(pools[1].mountpoint == "/tank")
        #expect(pools[1].totalBytes == 15_994_458_210_304 && pools[1].usedBytes == 9_170_941_005_824)
        #expect(pools.allSatisfy { $0.type == "zfs" })
        let usage = pools[1].usage ?? 0
        #expect(abs(usage - 57.34) < 0.01)
        #expect(DiskFilter().select(mounts).isEmpty, "datasets never appear as disks of their own")
        let filter = DiskFilter(excludePatterns: ["rpool", "/mnt/*"])
        #expect(filter.isExcluded(device: "rpool", mountpoint: "zpool:rpool"))
        #expect(!filter.isExcluded(device: "tank", mountpoint: "/tank"))
    }
}
