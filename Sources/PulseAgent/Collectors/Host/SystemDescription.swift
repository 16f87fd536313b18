import CurlHTTP

/// `/etc/os-release` (or `/usr/lib/os-release`): `NAME` and `VERSION_ID` become the report's
/// `osName` and `osVersion`.
struct OSRelease: Sendable, Equatable {
    var name: String?
    var versionID: String?
    var prettyName: String?

    init(_ text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var value = parts[1].trimmingASCIIWhitespace
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[String(parts[0])] = value
        }
        name = values["NAME"]
        versionID = values["VERSION_ID"]
        prettyName = values["PRETTY_NAME"]
    }
}

/// `/proc/cpuinfo`: the CPU model and the number of logical CPUs.
struct CPUInfo: Sendable, Equatable {
    var model: String?
    var logicalCount: Int

    init(_ text: String) {
        var model: String?
        var count = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingASCIIWhitespace
            if key == "processor" { count += 1 }
            // x86 says "model name"; ARM says "Model" or "Hardware" (the first found wins).
            if model == nil, key == "model name" || key == "Model" || key == "Hardware" {
                let value = parts[1].trimmingASCIIWhitespace
                if !value.isEmpty { model = value }
            }
        }
        self.model = model
        logicalCount = count
    }
}

/// `/proc/loadavg` and `/proc/uptime`.
enum LoadAndUptime {
    static func loadAverage(_ text: String) -> [Double]? {
        let values = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        return values.count == 3 ? values : nil
    }

    static func uptimeSeconds(_ text: String) -> Int64? {
        text.split(separator: " ").first.flatMap { Double($0) }.map { Int64($0) }
    }
}
