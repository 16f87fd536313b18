import AgentProtocol
import CurlHTTP

/// Linux software RAID arrays from `/proc/mdstat`.
///
/// Each array is an `mdN : <state> [<flags>] <level> <member>[slot](flag) …` line, a status line
/// ending in `[total/working] [UU_]`, and, during a rebuild, a progress line
/// (`recovery = 27.4% … speed=168394K/sec`). The kernel writes members newest first, so they are
/// sorted by slot here.
enum MDStat {
    static func parse(_ text: String) -> [RAIDArray] {
        var arrays: [RAIDArray] = []
        var current: RAIDArray?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingASCIIWhitespace
            if let header = parseHeader(line) {
                if let current { arrays.append(current) }
                current = header
                continue
            }
            guard current != nil, !line.isEmpty else { continue }
            if let counts = statusCounts(line) {
                current!.totalDevices = counts.total
                current!.activeDevices = counts.working
            } else if let progress = parseProgress(line) {
                current!.operation = progress.operation
                current!.rebuildPercent = progress.percent
                current!.rebuildSpeed = progress.speed
            }
        }
        if let current { arrays.append(current) }
        return arrays.map(finish)
    }

    private static func parseHeader(_ line: String) -> RAIDArray? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0].hasPrefix("md"), parts[1] == ":" else { return nil }
        var index = 2
        let activity = String(parts[index])
        index += 1
        var readOnly = false
        while index < parts.count, parts[index].hasPrefix("(") {
            readOnly = readOnly || parts[index].containsText("read-only")
            index += 1
        }
        var level = "unknown"
        if activity == "active", index < parts.count, !parts[index].contains("[" as Character) {
            level = String(parts[index])
            index += 1
        }
        var devices: [RAIDDevice] = []
        for member in parts[index...] {
            guard let open = member.firstIndex(of: "["), let close = member.firstIndex(of: "]") else { continue }
            let name = String(member[..<open])
            let slot = Int(member[member.index(after: open)..<close]) ?? -1
            let flags = member[member.index(after: close)...]
            let state: String =
                if flags.containsText("(F)") { "faulty" } else if flags.containsText("(S)") { "spare" } else if flags.containsText("(R)") {
                    "replacement"
                } else if flags.containsText("(W)") { "active sync writemostly" } else { "active sync" }
            devices.append(RAIDDevice(device: "/dev/\(name)", state: state, slot: state == "faulty" || state == "spare" ? -1 : slot))
        }
        let state = activity == "active" ? (readOnly ? "active, read-only" : "active") : activity
        return RAIDArray(
            device: "/dev/\(parts[0])", level: level, state: state, totalDevices: devices.count, activeDevices: 0,
            workingDevices: 0, failedDevices: 0, spareDevices: 0,
            devices: devices.sorted { ($0.slot < 0 ? Int.max : $0.slot, $0.device) < ($1.slot < 0 ? Int.max : $1.slot, $1.device) },
            rebuildPercent: 0)
    }

    /// `[4/3] [UUU_]` → total 4, working 3.
    private static func statusCounts(_ line: String) -> (total: Int, working: Int)? {
        for token in line.split(separator: " ") where token.hasPrefix("[") && token.contains("/" as Character) && token.hasSuffix("]") {
            let numbers = token.dropFirst().dropLast().split(separator: "/").compactMap { Int($0) }
            if numbers.count == 2 { return (numbers[0], numbers[1]) }
        }
        return nil
    }

    /// `recovery = 27.4% (…) finish=140.3min speed=168394K/sec`.
    private static func parseProgress(_ line: String) -> (operation: String, percent: Double, speed: String?)? {
        for operation in ["recovery", "resync", "reshape", "check", "repair"] {
            guard let range = line.rangeOfText("\(operation) =") else { continue }
            let after = line[range.upperBound...].trimmingASCIIWhitespace
            guard let percent = Double(after.prefix { $0 != "%" }) else { return nil }
            let speed = line.split(separator: " ").first { $0.hasPrefix("speed=") }.map { String($0.dropFirst(6)) }
            return (operation, percent, speed)
        }
        return nil
    }

    /// Derives counts and the mdadm-style state from members and progress.
    private static func finish(_ array: RAIDArray) -> RAIDArray {
        var array = array
        let failed = array.devices.filter { $0.state == "faulty" }.count
        let spares = array.devices.filter { $0.state == "spare" }.count
        array.failedDevices = failed
        array.spareDevices = spares
        if array.activeDevices == 0 && array.state != "inactive" {
            array.activeDevices = array.devices.count - failed - spares
        }
        if array.totalDevices == 0 || array.totalDevices < array.activeDevices { array.totalDevices = array.devices.count }
        array.workingDevices = array.activeDevices + spares
        guard array.state.hasPrefix("active") else { return array }
        var states = ["clean"]
        if array.activeDevices < array.totalDevices { states.append("degraded") }
        switch array.operation {
        case "recovery": states.append("recovering")
        case "resync": states.append("resyncing")
        case "reshape": states.append("reshaping")
        case "check", "repair": states.append("checking")
        default: break
        }
        if array.state.containsText("read-only") { states.append("read-only") }
        array.state = states.joined(separator: ", ")
        return array
    }
}
