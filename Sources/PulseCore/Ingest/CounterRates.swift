package import AgentProtocol
package import Foundation

/// Per-second rates of a disk's cumulative I/O counters.
package struct DiskIORates: Codable, Sendable, Equatable {
    var readBytes: Double?
    var writeBytes: Double?
    var readOps: Double?
    var writeOps: Double?
}

/// Per-second rates of an interface's byte counters.
package struct NetworkRates: Codable, Sendable, Equatable {
    var rxBytes: Double?
    var txBytes: Double?
}

/// Per-second rates of a container's block I/O counters.
package struct BlockIORates: Codable, Sendable, Equatable {
    var readBytes: Double?
    var writeBytes: Double?
}

/// Turns two readings of a cumulative counter into a rate.
///
/// A counter that went down was reset (reboot, driver reload, container restart): the interval
/// has no meaningful rate, so none is given rather than a negative or absurd one. The next pair
/// of readings yields a rate again.
package enum CounterRate {
    package static func perSecond(previous: UInt64?, current: UInt64?, elapsed: TimeInterval) -> Double? {
        guard let previous, let current, elapsed > 0, current >= previous else { return nil }
        return Double(current - previous) / elapsed
    }

    /// Seconds between two reports: the agent's own timestamps when both are set (they measure
    /// when the counters were read), else the server's receive times.
    package static func elapsed(previousReported: Date, currentReported: Date, previousReceived: Date, currentReceived: Date) -> TimeInterval {
        if !previousReported.isGoZeroTime && !currentReported.isGoZeroTime {
            let agentElapsed = currentReported.timeIntervalSince(previousReported)
            if agentElapsed > 0 { return agentElapsed }
        }
        return currentReceived.timeIntervalSince(previousReceived)
    }

    package static func disk(previous: [DiskIOCounters], current: [DiskIOCounters], elapsed: TimeInterval) -> [String: DiskIORates] {
        let before = Dictionary(previous.map { ($0.device, $0) }, uniquingKeysWith: { a, _ in a })
        var rates: [String: DiskIORates] = [:]
        for counters in current {
            guard let old = before[counters.device] else { continue }
            let rate = DiskIORates(
                readBytes: perSecond(previous: old.readBytes, current: counters.readBytes, elapsed: elapsed),
                writeBytes: perSecond(previous: old.writeBytes, current: counters.writeBytes, elapsed: elapsed),
                readOps: perSecond(previous: old.readOps, current: counters.readOps, elapsed: elapsed),
                writeOps: perSecond(previous: old.writeOps, current: counters.writeOps, elapsed: elapsed))
            if rate != DiskIORates() { rates[counters.device] = rate }
        }
        return rates
    }

    package static func network(previous: [NetworkInterface], current: [NetworkInterface], elapsed: TimeInterval) -> [String: NetworkRates] {
        let before = Dictionary(previous.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rates: [String: NetworkRates] = [:]
        for interface in current {
            guard let old = before[interface.name] else { continue }
            let rate = NetworkRates(
                rxBytes: perSecond(previous: old.rxBytes, current: interface.rxBytes, elapsed: elapsed),
                txBytes: perSecond(previous: old.txBytes, current: interface.txBytes, elapsed: elapsed))
            if rate != NetworkRates() { rates[interface.name] = rate }
        }
        return rates
    }

    static func blockIO(previous: [ContainerReport], current: [ContainerReport], elapsed: TimeInterval) -> [String: BlockIORates] {
        var rates: [String: BlockIORates] = [:]
        // Agents list containers in the same order each time: pair them by position while the IDs
        // agree, and fall back to a lookup by ID only from the first disagreement on. (Fields are
        // read through indices: iterating the reports themselves copied each one.)
        var aligned = 0
        while aligned < current.count, aligned < previous.count, current[aligned].id == previous[aligned].id {
            if let now = current[aligned].blockIo, let old = previous[aligned].blockIo {
                add(now, since: old, id: current[aligned].id, elapsed: elapsed, to: &rates)
            }
            aligned += 1
        }
        guard aligned < current.count else { return rates }
        var before: [String: ContainerBlockIO] = [:]
        before.reserveCapacity(previous.count - aligned)
        for index in previous.indices.dropFirst(aligned) {
            if let counters = previous[index].blockIo { before[previous[index].id] = counters }
        }
        for index in current.indices.dropFirst(aligned) {
            guard let now = current[index].blockIo, let old = before[current[index].id] else { continue }
            add(now, since: old, id: current[index].id, elapsed: elapsed, to: &rates)
        }
        return rates
    }

    private static func add(
        _ now: ContainerBlockIO, since old: ContainerBlockIO, id: String, elapsed: TimeInterval, to rates: inout [String: BlockIORates]
    ) {
        let rate = BlockIORates(
            readBytes: perSecond(previous: old.readBytes, current: now.readBytes, elapsed: elapsed),
            writeBytes: perSecond(previous: old.writeBytes, current: now.writeBytes, elapsed: elapsed))
        if rate != BlockIORates() { rates[id] = rate }
    }
}
