import CSensors

#if canImport(Glibc)
import Glibc
#endif

/// One chip as libsensors reports it: its name (`coretemp-isa-0000`), its prefix (`coretemp`)
/// and its labelled readings.
struct ChipReading: Sendable, Equatable {
    var name: String
    var prefix: String
    var temperatures: [(label: String, celsius: Double)] = []
    var fans: [(label: String, rpm: Double)] = []

    static func == (lhs: ChipReading, rhs: ChipReading) -> Bool {
        lhs.name == rhs.name && lhs.prefix == rhs.prefix
            && lhs.temperatures.map(\.label) == rhs.temperatures.map(\.label) && lhs.temperatures.map(\.celsius) == rhs.temperatures.map(\.celsius)
            && lhs.fans.map(\.label) == rhs.fans.map(\.label) && lhs.fans.map(\.rpm) == rhs.fans.map(\.rpm)
    }
}

/// libsensors, loaded at run time with `dlopen`, so a host without it still runs the agent and
/// simply reports no temperatures. libsensors is not thread-safe; the owner (the sensors
/// collector actor) serialises every call.
final class LibSensors: @unchecked Sendable {
    private let library: UnsafeMutableRawPointer
    private let cleanup: pulse_sensors_cleanup_fn
    private let detectedChips: pulse_sensors_get_detected_chips_fn
    private let features: pulse_sensors_get_features_fn
    private let subfeature: pulse_sensors_get_subfeature_fn
    private let value: pulse_sensors_get_value_fn
    private let label: pulse_sensors_get_label_fn
    private let chipName: pulse_sensors_snprintf_chip_name_fn

    /// Why libsensors is unavailable, for logs and `--self-test`.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads the library and scans the chips (`sensors_init` with the system configuration).
    init() throws {
        guard let library = dlopen("libsensors.so.5", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libsensors.so", RTLD_NOW | RTLD_LOCAL) else {
            throw Unavailable(description: "libsensors is not installed (libsensors5)")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let pointer = dlsym(library, name) else { throw Unavailable(description: "libsensors lacks \(name)") }
            return unsafeBitCast(pointer, to: type)
        }
        do {
            let initialize = try symbol("sensors_init", as: pulse_sensors_init_fn.self)
            cleanup = try symbol("sensors_cleanup", as: pulse_sensors_cleanup_fn.self)
            detectedChips = try symbol("sensors_get_detected_chips", as: pulse_sensors_get_detected_chips_fn.self)
            features = try symbol("sensors_get_features", as: pulse_sensors_get_features_fn.self)
            subfeature = try symbol("sensors_get_subfeature", as: pulse_sensors_get_subfeature_fn.self)
            value = try symbol("sensors_get_value", as: pulse_sensors_get_value_fn.self)
            label = try symbol("sensors_get_label", as: pulse_sensors_get_label_fn.self)
            chipName = try symbol("sensors_snprintf_chip_name", as: pulse_sensors_snprintf_chip_name_fn.self)
            guard initialize(nil) == 0 else { throw Unavailable(description: "sensors_init failed") }
        } catch {
            dlclose(library)
            throw error
        }
        self.library = library
    }

    deinit {
        cleanup()
        dlclose(library)
    }

    /// Every detected chip with its current temperature and fan readings.
    func read() -> [ChipReading] {
        var chips: [ChipReading] = []
        var chipIndex: Int32 = 0
        while let chip = detectedChips(nil, &chipIndex) {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = chipName(&buffer, buffer.count, chip)
            var reading = ChipReading(name: String(cString: buffer), prefix: chip.pointee.prefix.map { String(cString: $0) } ?? "")
            var featureIndex: Int32 = 0
            while let feature = features(chip, &featureIndex) {
                let name =
                    label(chip, feature).map { pointer in
                        defer { free(pointer) }
                        return String(cString: pointer)
                    } ?? feature.pointee.name.map { String(cString: $0) } ?? ""
                switch feature.pointee.type {
                case SENSORS_FEATURE_TEMP:
                    if let number = read(chip, feature, SENSORS_SUBFEATURE_TEMP_INPUT) { reading.temperatures.append((name, number)) }
                case SENSORS_FEATURE_FAN:
                    if let number = read(chip, feature, SENSORS_SUBFEATURE_FAN_INPUT) { reading.fans.append((name, number)) }
                default:
                    break
                }
            }
            chips.append(reading)
        }
        return chips
    }

    private func read(
        _ chip: UnsafePointer<sensors_chip_name>, _ feature: UnsafePointer<sensors_feature>, _ type: sensors_subfeature_type
    ) -> Double? {
        guard let sub = subfeature(chip, feature, type) else { return nil }
        var number = 0.0
        return value(chip, sub.pointee.number, &number) == 0 ? number : nil
    }
}
