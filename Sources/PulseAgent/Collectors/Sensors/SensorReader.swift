import AgentProtocol
import Logging

/// Reads temperatures and fans through libsensors for each host report.
///
/// libsensors is loaded on first use; if it is missing (or finds nothing) the report simply has
/// no temperatures, and the reason is logged once.
actor SensorReader {
    private(set) var selection: SensorSelection
    private var library: LibSensors?
    private var unavailable: String?
    private let logger: Logger

    init(selection: SensorSelection = SensorSelection(), logger: Logger = Logger(label: "pulse-agent.sensors")) {
        self.selection = selection
        self.logger = logger
    }

    /// Uses `selection` from the next reading on.
    func select(_ selection: SensorSelection) {
        self.selection = selection
    }

    /// Why readings are unavailable, if they are (for `--self-test`).
    var problem: String? {
        _ = load()
        return unavailable
    }

    func read() -> Sensors {
        guard let library = load() else { return Sensors() }
        let result = TemperatureMap.map(library.read(), selection: selection)
        if !result.dropped.isEmpty {
            logger.debug("dropped implausible sensor readings", metadata: ["readings": .string(result.dropped.joined(separator: ", "))])
        }
        return result.sensors
    }

    private func load() -> LibSensors? {
        if let library { return library }
        guard unavailable == nil else { return nil }
        do {
            library = try LibSensors()
            return library
        } catch {
            unavailable = "\(error)"
            logger.notice("temperatures unavailable", metadata: ["reason": .string("\(error)")])
            return nil
        }
    }
}
