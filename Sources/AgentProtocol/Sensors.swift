/// Hardware sensor readings of a host (`report.sensors`). Always written, possibly as `{}`.
///
/// Every field is optional, so `{}` decodes. Readings are keyed by a sensor name; see ``Sensors/Key`` and
/// ``Sensors/PowerKey`` for the names Pulse gives meaning to. Other keys are carried through unchanged.
public struct Sensors: Codable, Sendable, Equatable {
    /// Temperatures in °C, keyed e.g. `cpu_package`, `cpu_core_0`, `nvme0`, `amdgpu-pci-0300_edge`.
    public var temperatureCelsius: [String: Double]?
    /// Fan speeds in revolutions per minute, keyed by chip and fan label.
    public var fanRpm: [String: Double]?
    /// Power draw in watts, keyed `cpu_package`, `cpu_core`, `dram` (RAPL domains).
    public var powerWatts: [String: Double]?
    /// Other readings the agent collected (voltages, etc.), in the sensor's own unit.
    public var additional: [String: Double]?
    /// S.M.A.R.T. data, one entry per physical disk.
    public var smart: [SMARTDisk]?

    public init(
        temperatureCelsius: [String: Double]? = nil,
        fanRpm: [String: Double]? = nil,
        powerWatts: [String: Double]? = nil,
        additional: [String: Double]? = nil,
        smart: [SMARTDisk]? = nil
    ) {
        self.temperatureCelsius = temperatureCelsius
        self.fanRpm = fanRpm
        self.powerWatts = powerWatts
        self.additional = additional
        self.smart = smart
    }
}

extension Sensors {
    /// `temperatureCelsius` keys with a defined meaning on the wire.
    public enum Key {
        /// CPU package temperature (first of `Package id`, `Tdie`, `Tctl`, max `Tccd*`, … in `sensors -j`).
        public static let cpuPackage = "cpu_package"

        /// Temperature of CPU core `index`: `cpu_core_<index>`.
        public static func cpuCore(_ index: Int) -> String {
            "cpu_core_\(index)"
        }

        /// Composite temperature of the `index`-th NVMe controller (sorted by chip name): `nvme<index>`.
        public static func nvme(_ index: Int) -> String {
            "nvme\(index)"
        }

        /// A GPU reading: `<chip>_<reading>`, e.g. `amdgpu-pci-0300_edge` (readings: edge, junction, mem, temp1).
        public static func gpu(chip: String, reading: String) -> String {
            "\(chip)_\(reading)"
        }
    }

    /// `powerWatts` keys (RAPL domains).
    public enum PowerKey {
        /// Whole CPU package.
        public static let cpuPackage = "cpu_package"
        /// All cores together.
        public static let cpuCore = "cpu_core"
        /// Memory.
        public static let dram = "dram"
    }
}
