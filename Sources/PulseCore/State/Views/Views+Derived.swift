import AgentProtocol

// Readings derived from the views in one place, for the consumers that judge or record them
// (alerts, the metrics history, the Prometheus exposition).

extension NodeView {
    /// The CPU package temperature, else the hottest core's, from the linked host agent.
    package var cpuTemperature: Double? { temperature?.cpuPackage ?? temperature?.cpuMax }
}

extension GuestView {
    /// `vm` or `container`: the resource type alerts, history and exposition use.
    package var resourceType: String { type == "lxc" ? "container" : "vm" }
}

extension HostView {
    /// The hottest CPU sensor (`cpu_package`, `cpu_core_N`).
    package var cpuTemperature: Double? {
        (sensors?.temperatureCelsius ?? [:]).filter { $0.key.hasPrefix("cpu") }.values.max()
    }
}

extension ContainerView {
    /// The name without the leading `/` the Docker API puts there.
    package var bareName: String { name.hasPrefix("/") ? String(name.dropFirst()) : name }
}

extension SMARTDisk {
    /// `sda` for `/dev/sda`.
    package var deviceName: String { device.split(separator: "/").last.map(String.init) ?? device }
}
