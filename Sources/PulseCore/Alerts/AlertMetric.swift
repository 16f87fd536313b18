/// A metric that has threshold pairs. Raw values are the JSON keys and the alert IDs' suffixes.
package enum AlertMetric: String, Codable, Sendable, CaseIterable {
    case cpu, memory, disk, diskRead, diskWrite, networkIn, networkOut, usage, temperature

    /// Unit shown in messages. I/O thresholds are in MB/s, as in Pulse.
    package var unit: String {
        switch self {
        case .temperature: "°C"
        case .diskRead, .diskWrite, .networkIn, .networkOut: " MB/s"
        default: "%"
        }
    }

    package var label: String {
        switch self {
        case .cpu: "CPU"
        case .memory: "memory"
        case .disk: "disk"
        case .diskRead: "disk read"
        case .diskWrite: "disk write"
        case .networkIn: "network in"
        case .networkOut: "network out"
        case .usage: "usage"
        case .temperature: "temperature"
        }
    }
}
