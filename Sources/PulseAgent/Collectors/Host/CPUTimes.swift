/// The CPU time counters of one line of `/proc/stat` (in clock ticks).
struct CPUTimes: Sendable, Equatable {
    var user: UInt64 = 0
    var nice: UInt64 = 0
    var system: UInt64 = 0
    var idle: UInt64 = 0
    var iowait: UInt64 = 0
    var irq: UInt64 = 0
    var softirq: UInt64 = 0
    var steal: UInt64 = 0

    /// Everything the CPU spent (guest time is already inside `user` and `nice`).
    var total: UInt64 { user + nice + system + idle + iowait + irq + softirq + steal }
    /// Time not idle and not waiting for I/O.
    var busy: UInt64 { total - idle - iowait }

    /// Percent busy between `earlier` and `self`; nil if no time passed or counters went back.
    func usagePercent(since earlier: CPUTimes) -> Double? {
        guard total > earlier.total, busy >= earlier.busy else { return nil }
        let percent = Double(busy - earlier.busy) / Double(total - earlier.total) * 100
        return min(max(percent, 0), 100)
    }
}

/// `/proc/stat`: the aggregate `cpu` line and one line per core.
struct ProcStat: Sendable, Equatable {
    var all: CPUTimes
    var cores: [CPUTimes]

    init?(_ text: String) {
        var all: CPUTimes?
        var cores: [CPUTimes] = []
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5 else { continue }
            let numbers = fields.dropFirst().prefix(8).map { UInt64($0) ?? 0 }
            var times = CPUTimes()
            times.user = numbers[0]
            times.nice = numbers[1]
            times.system = numbers[2]
            times.idle = numbers[3]
            if numbers.count > 4 { times.iowait = numbers[4] }
            if numbers.count > 5 { times.irq = numbers[5] }
            if numbers.count > 6 { times.softirq = numbers[6] }
            if numbers.count > 7 { times.steal = numbers[7] }
            if fields[0] == "cpu" { all = times } else { cores.append(times) }
        }
        guard let all else { return nil }
        self.all = all
        self.cores = cores
    }
}
