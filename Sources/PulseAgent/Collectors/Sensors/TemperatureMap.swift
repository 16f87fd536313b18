import AgentProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Which readings to use: globs over `chip/label` (e.g. `nct6775-*/SYSTIN`, `acpitz-*/*`).
struct SensorSelection: Sendable, Equatable {
    /// When not empty, only matching readings are used.
    var include: [String] = []
    var exclude: [String] = []
    /// A `chip/label` glob whose reading becomes `cpu_package`, for boards where the automatic
    /// choice is wrong.
    var primary: String?

    func allows(_ key: String) -> Bool {
        if !include.isEmpty && !include.contains(where: { fnmatch($0, key, 0) == 0 }) { return false }
        return !exclude.contains { fnmatch($0, key, 0) == 0 }
    }
}

/// Turns libsensors readings into the report's sensor maps with Pulse's key names:
/// `cpu_package`, `cpu_core_<n>`, `nvme<i>` (NVMe chips sorted by name, their Composite
/// reading), `<gpu chip>_<edge|junction|mem|temp1>`, and `<chip>_<label>` for the rest.
enum TemperatureMap {
    /// Readings outside this range are sensor faults (unplugged probes read -273 or 255).
    static let plausibleCelsius: ClosedRange<Double> = -40...150

    static let cpuChips: Set<String> = ["coretemp", "k10temp", "zenpower", "cpu_thermal", "cpu-thermal", "soc_thermal"]
    static let superIOPrefixes = ["nct", "it87", "it86", "w83", "f71", "asus"]

    struct Result: Sendable, Equatable {
        var sensors = Sensors()
        /// `chip/label: value` of readings dropped as implausible, for a debug log.
        var dropped: [String] = []
    }

    static func map(_ chips: [ChipReading], selection: SensorSelection = SensorSelection()) -> Result {
        var result = Result()
        var temperatures: [String: Double] = [:]
        var additional: [String: Double] = [:]
        var fans: [String: Double] = [:]
        var cores: [Double] = []
        var packageCandidates: [(rank: Int, value: Double)] = []

        for chip in chips {
            for (label, value) in chip.temperatures {
                let key = "\(chip.name)/\(label)"
                guard selection.allows(key) else { continue }
                guard value.isFinite, plausibleCelsius.contains(value) else {
                    result.dropped.append("\(key): \(value)")
                    continue
                }
                if let primary = selection.primary, fnmatch(primary, key, 0) == 0 { packageCandidates.append((0, value)) }
                if cpuChips.contains(chip.prefix) {
                    if label.hasPrefix("Package id") {
                        packageCandidates.append((1, value))
                    } else if label == "Tdie" {
                        packageCandidates.append((2, value))
                    } else if label == "Tctl" {
                        packageCandidates.append((3, value))
                    } else if label.hasPrefix("Tccd") {
                        packageCandidates.append((4, value))
                    } else if label.hasPrefix("Core ") {
                        temperatures["cpu_core_\(label.dropFirst(5))"] = value
                        cores.append(value)
                    } else {
                        packageCandidates.append((6, value))
                    }
                } else if superIOPrefixes.contains(where: chip.prefix.hasPrefix), label.uppercased().hasPrefix("CPU") {
                    packageCandidates.append((5, value))
                    additional[Self.key(chip, label)] = value
                } else if chip.prefix == "amdgpu" || chip.prefix == "nouveau" || chip.prefix == "radeon" {
                    temperatures["\(chip.name)_\(label.lowercased())"] = value
                } else if chip.prefix != "nvme" {
                    additional[Self.key(chip, label)] = value
                }
            }
            for (label, rpm) in chip.fans where selection.allows("\(chip.name)/\(label)") && rpm >= 0 {
                fans[Self.key(chip, label)] = rpm
            }
        }

        // NVMe drives in name order, each by its Composite reading (or its first one).
        let drives = chips.filter { $0.prefix == "nvme" }.sorted { $0.name < $1.name }
        for (index, chip) in drives.enumerated() {
            let usable = chip.temperatures.filter {
                selection.allows("\(chip.name)/\($0.label)") && $0.celsius.isFinite && plausibleCelsius.contains($0.celsius)
            }
            if let reading = usable.first(where: { $0.label == "Composite" }) ?? usable.first {
                temperatures["nvme\(index)"] = reading.celsius
            }
        }

        // cpu_package: the best-ranked candidate (the highest value within that rank), else the hottest core.
        if let bestRank = packageCandidates.map(\.rank).min() {
            temperatures["cpu_package"] = packageCandidates.filter { $0.rank == bestRank }.map(\.value).max()
        } else if let hottest = cores.max() {
            temperatures["cpu_package"] = hottest
        }

        result.sensors = Sensors(
            temperatureCelsius: temperatures.isEmpty ? nil : temperatures, fanRpm: fans.isEmpty ? nil : fans,
            additional: additional.isEmpty ? nil : additional)
        return result
    }

    /// `<chip prefix>_<label>` in lower case with runs of other characters as `_`.
    static func key(_ chip: ChipReading, _ label: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for character in "\(chip.prefix)_\(label)".lowercased() {
            if character.isLetter || character.isNumber {
                if pendingUnderscore && !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.append(character)
            } else {
                pendingUnderscore = true
            }
        }
        return out
    }
}
