/// Settings the server holds for one host agent and the agent applies without a restart.
///
/// Each field is optional: nil leaves the agent's own value (its flags or environment). The keys
/// are Pulse's agent-profile setting names, so a Pulse v5 agent fetching
/// `GET /api/agents/host/{id}/config` at start applies `interval` and the `enable_*` modules and
/// ignores the rest. The same type describes what an agent applied (`report.agent.appliedSettings`),
/// with every field filled.
public struct HostAgentSettings: Codable, Sendable, Equatable {
    /// Seconds between reports; on the wire a Go duration (`"30s"`), and a bare number is accepted as seconds.
    public var intervalSeconds: Int?
    /// The host metrics module.
    public var enableHost: Bool?
    /// The Docker/Podman module.
    public var enableDocker: Bool?
    /// The Kubernetes module.
    public var enableKubernetes: Bool?
    /// Globs of devices or mount points left out of the disk list (as `--disk-exclude`).
    public var diskExclude: [String]?
    /// Globs over `chip/label` of the temperature readings to use (as `--sensor-include`).
    public var sensorInclude: [String]?
    /// Globs over `chip/label` of the temperature readings to leave out (as `--sensor-exclude`).
    public var sensorExclude: [String]?

    public init(
        intervalSeconds: Int? = nil, enableHost: Bool? = nil, enableDocker: Bool? = nil, enableKubernetes: Bool? = nil,
        diskExclude: [String]? = nil, sensorInclude: [String]? = nil, sensorExclude: [String]? = nil
    ) {
        self.intervalSeconds = intervalSeconds
        self.enableHost = enableHost
        self.enableDocker = enableDocker
        self.enableKubernetes = enableKubernetes
        self.diskExclude = diskExclude
        self.sensorInclude = sensorInclude
        self.sensorExclude = sensorExclude
    }

    /// The wire keys, in the order they are written.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case intervalSeconds = "interval"
        case enableHost = "enable_host"
        case enableDocker = "enable_docker"
        case enableKubernetes = "enable_kubernetes"
        case diskExclude = "disk_exclude"
        case sensorInclude = "sensor_include"
        case sensorExclude = "sensor_exclude"
    }

    /// True when no field is set.
    public var isEmpty: Bool { self == HostAgentSettings() }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? c.decodeIfPresent(String.self, forKey: .intervalSeconds) {
            guard let seconds = WireDuration.seconds(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .intervalSeconds, in: c, debugDescription: "interval must be a duration such as 30s or 1m, got '\(text)'")
            }
            intervalSeconds = seconds
        } else {
            intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds)
        }
        enableHost = try c.decodeIfPresent(.enableHost)
        enableDocker = try c.decodeIfPresent(.enableDocker)
        enableKubernetes = try c.decodeIfPresent(.enableKubernetes)
        diskExclude = try c.decodeIfPresent(.diskExclude)
        sensorInclude = try c.decodeIfPresent(.sensorInclude)
        sensorExclude = try c.decodeIfPresent(.sensorExclude)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(intervalSeconds.map { "\($0)s" }, forKey: .intervalSeconds)
        try c.encodeIfPresent(enableHost, forKey: .enableHost)
        try c.encodeIfPresent(enableDocker, forKey: .enableDocker)
        try c.encodeIfPresent(enableKubernetes, forKey: .enableKubernetes)
        try c.encodeIfPresent(diskExclude, forKey: .diskExclude)
        try c.encodeIfPresent(sensorInclude, forKey: .sensorInclude)
        try c.encodeIfPresent(sensorExclude, forKey: .sensorExclude)
    }
}

/// Whole seconds from a Go duration as Pulse writes intervals (`30s`, `1m30s`, `2h`, `1500ms`)
/// or a bare number of seconds; nil for anything else or a fraction of a second.
public enum WireDuration {
    public static func seconds(_ text: String) -> Int? {
        if let plain = Int(text) { return plain }
        let units: [(String, Int)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var rest = Substring(text)
        var milliseconds = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            milliseconds += value * factor
        }
        guard milliseconds % 1000 == 0 else { return nil }
        return milliseconds / 1000
    }
}
