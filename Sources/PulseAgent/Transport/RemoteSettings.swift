import AgentProtocol
import Synchronization

/// The settings the agent runs with: its own (flags and environment) with the server's
/// `HostAgentSettings` over them, changed while it runs.
///
/// Precedence: a setting the server holds wins over the flag, as Pulse's remote configuration
/// does; a setting the server clears (or never set) is the flag's value again. A module can be
/// switched on only if its loop was set up at start (a Docker socket was found, Kubernetes was
/// configured): otherwise the applied settings say it is off.
final class RemoteSettings: Sendable {
    /// What flags and environment set, and which module loops exist.
    struct Local: Sendable, Equatable {
        var intervalSeconds = 30
        var enableHost = true
        var enableDocker = false
        var enableKubernetes = false
        var dockerAvailable = false
        var kubernetesAvailable = false
        var diskExclude: [String] = []
        var sensors = SensorSelection()
    }

    private struct Held: Sendable {
        var local: Local
        var remote = HostAgentSettings()
        /// The host ID the server last answered with, for fetching settings while host reports are off.
        var hostID: String?
    }

    private let held: Mutex<Held>

    init(local: Local) {
        held = Mutex(Held(local: local))
    }

    /// Records which module loops were set up (a module without a loop is off whatever the server says).
    func setAvailable(docker: Bool, kubernetes: Bool) {
        held.withLock { held in
            held.local.dockerAvailable = docker
            held.local.enableDocker = docker
            held.local.kubernetesAvailable = kubernetes
            held.local.enableKubernetes = kubernetes
        }
    }

    /// Takes the server's settings (nil: none held); true when anything changed.
    @discardableResult
    func apply(_ remote: HostAgentSettings?) -> Bool {
        var new = remote ?? HostAgentSettings()
        // What no server of ours sends is not applied: an interval outside 1 s – 1 day (0 would
        // spin), more than 64 globs per list.
        if let seconds = new.intervalSeconds, !(1...86_400).contains(seconds) { new.intervalSeconds = nil }
        new.diskExclude = new.diskExclude.map { Array($0.prefix(64)) }
        new.sensorInclude = new.sensorInclude.map { Array($0.prefix(64)) }
        new.sensorExclude = new.sensorExclude.map { Array($0.prefix(64)) }
        return held.withLock { held in
            defer { held.remote = new }
            return held.remote != new
        }
    }

    /// What the agent runs with, every field filled (reported as `agent.appliedSettings`).
    var effective: HostAgentSettings {
        held.withLock { held in
            let local = held.local
            let remote = held.remote
            return HostAgentSettings(
                intervalSeconds: remote.intervalSeconds ?? local.intervalSeconds,
                enableHost: remote.enableHost ?? local.enableHost,
                enableDocker: local.dockerAvailable && (remote.enableDocker ?? local.enableDocker),
                enableKubernetes: local.kubernetesAvailable && (remote.enableKubernetes ?? local.enableKubernetes),
                diskExclude: remote.diskExclude ?? local.diskExclude,
                sensorInclude: remote.sensorInclude ?? local.sensors.include,
                sensorExclude: remote.sensorExclude ?? local.sensors.exclude)
        }
    }

    /// The wait between reports.
    var interval: Duration { .seconds(effective.intervalSeconds ?? 30) }

    /// Whether `kind`'s loop reports now.
    func isEnabled(_ kind: ReportKind) -> Bool {
        let settings = effective
        switch kind {
        case .host: return settings.enableHost ?? true
        case .docker: return settings.enableDocker ?? false
        case .kubernetes: return settings.enableKubernetes ?? false
        }
    }

    /// The temperature readings to use: the server's globs over the flags', the flag's primary sensor.
    var sensorSelection: SensorSelection {
        let settings = effective
        let primary = held.withLock { $0.local.sensors.primary }
        return SensorSelection(include: settings.sensorInclude ?? [], exclude: settings.sensorExclude ?? [], primary: primary)
    }

    /// The host ID from the server's last reply.
    var hostID: String? {
        get { held.withLock { $0.hostID } }
        set { held.withLock { $0.hostID = newValue } }
    }
}
