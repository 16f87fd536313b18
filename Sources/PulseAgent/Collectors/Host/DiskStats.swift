import AgentProtocol
import CurlHTTP

/// `/proc/diskstats`, whole disks only: a device listed in `/sys/block` that is not virtual
/// (loop, ram, zram, CD/floppy). Partitions are absent from `/sys/block`, so they drop out.
enum DiskStats {
    static let virtualPrefixes = ["loop", "ram", "zram", "sr", "fd"]

    static func parse(_ text: String, wholeDisks: Set<String>) -> [DiskIOCounters] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 14 else { return nil }
            let name = String(fields[2])
            guard wholeDisks.contains(name), !virtualPrefixes.contains(where: name.hasPrefix) else { return nil }
            func number(_ index: Int) -> UInt64 { UInt64(fields[index]) ?? 0 }
            return DiskIOCounters(
                device: name, readBytes: number(5) * 512, writeBytes: number(9) * 512, readOps: number(3),
                writeOps: number(7), readTimeMs: number(6), writeTimeMs: number(10), ioTimeMs: number(12))
        }
    }
}

/// `/proc/net/dev`: cumulative byte counters per interface.
enum NetDev {
    static func parse(_ text: String) -> [(name: String, rxBytes: UInt64, txBytes: UInt64)] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingASCIIWhitespace
            let numbers = parts[1].split(separator: " ", omittingEmptySubsequences: true)
            guard numbers.count >= 9, let rx = UInt64(numbers[0]), let tx = UInt64(numbers[8]) else { return nil }
            return (name, rx, tx)
        }
    }
}
