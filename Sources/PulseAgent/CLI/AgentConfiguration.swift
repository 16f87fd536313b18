import CurlHTTP

#if canImport(Glibc)
import Glibc
#endif

/// The agent's settings after flags and environment are merged and checked.
struct AgentConfiguration: Sendable, Equatable {
    var url = "http://localhost:7655"
    var token: String?
    var intervalSeconds = 30
    var hostname: String?
    var agentID: String?
    var insecure = false
    var caCertificateFile: String?
    var enableHost = true
    /// Nil: on when a Docker or Podman socket is found.
    var enableDocker: Bool?
    var enableKubernetes = false
    var tags: [String] = []
    var diskExclude: [String] = []
    var logLevel = "info"
    /// Nil when the health endpoint is off (`--health-addr ""` or `off`).
    var healthAddress: ListenAddress? = ListenAddress(host: nil, port: 9191)
    var hostRoot = "/"
    var cpuPerCore = false
    var disableCeph = false
    var disableAutoUpdate = false
    /// The pinned key updates must be signed with; nil: no automatic updates.
    var updateKeyFile: String?
    var kubeconfig: String?
    var kubeContext: String?
    var kubeSelection = KubeReportBuilder.Selection()
    var bufferDirectory: String?
    var sensors = SensorSelection()
    /// `--agent-id-file`: where the agent ID is kept (read, or written when missing).
    var agentIDFile: String?
    /// `--enable-proxmox`: set up the monitoring token and register this node.
    var enableProxmox = false
    /// Nil: detected.
    var proxmoxType: ProxmoxProduct?
    /// `--enable-commands`: accepted and logged; there is no command channel to enable.
    var enableCommands = false
    /// Off with `--disable-docker-update-checks`: whether each container's registry is asked
    /// whether its tag has moved.
    var dockerUpdateChecks = true
    var dockerRuntime = DockerRuntime.auto
    /// `--report-ip`: the address reported for this host.
    var reportIP: String?

    /// Where Pulse's installer keeps the token when no flag or variable names one.
    static let defaultTokenFile = "/var/lib/pulse-agent/token"

    /// One hour of reports, and never fewer than Pulse's 60.
    var bufferCapacity: Int { max(60, 3600 / max(1, intervalSeconds)) }
}

extension AgentOptions {
    /// Merges flags over `environment` over defaults; throws a `ValidationError` naming the bad value.
    /// Without a token flag or variable, the token is read from `defaultTokenFile` when it exists.
    func resolve(
        environment: [String: String], defaultTokenFile: String = AgentConfiguration.defaultTokenFile, readFile: (String) -> String?
    ) throws -> AgentConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingASCIIWhitespace, !value.isEmpty else { return nil }
            return value
        }
        func envBool(_ name: String) throws -> Bool? {
            guard let value = env(name) else { return nil }
            switch value.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ValidationError("\(name) must be true or false, got '\(value)'")
            }
        }
        func csv(_ name: String) -> [String] {
            env(name).map { $0.split(separator: ",").map { $0.trimmingASCIIWhitespace }.filter { !$0.isEmpty } } ?? []
        }

        var configuration = AgentConfiguration()
        configuration.url = url ?? env("PULSE_URL") ?? configuration.url
        guard let scheme = configuration.url.split(separator: ":").first?.lowercased(), scheme == "http" || scheme == "https",
            configuration.url.containsText("://")
        else {
            throw ValidationError("--url must be an http:// or https:// URL, got '\(configuration.url)'")
        }
        // Without trailing slashes, so every caller can append paths.
        while configuration.url.hasSuffix("/") { configuration.url.removeLast() }
        if let file = tokenFile ?? env("PULSE_TOKEN_FILE") {
            guard let text = readFile(file) else { throw ValidationError("cannot read token file \(file)") }
            configuration.token = text.trimmingASCIIWhitespace
        } else {
            configuration.token = token ?? env("PULSE_TOKEN") ?? readFile(defaultTokenFile)?.trimmingASCIIWhitespace
        }
        if let text = interval ?? env("PULSE_INTERVAL") {
            guard let seconds = GoDuration.seconds(text), seconds >= 1 else {
                throw ValidationError("--interval must be a duration of at least 1s such as 30s or 1m, got '\(text)'")
            }
            configuration.intervalSeconds = Int(seconds)
        }
        configuration.hostname = hostname ?? env("PULSE_HOSTNAME")
        configuration.agentID = agentID ?? env("PULSE_AGENT_ID")
        configuration.insecure = insecure ? true : (try envBool("PULSE_INSECURE_SKIP_VERIFY") ?? false)
        configuration.caCertificateFile = cacert ?? env("PULSE_CACERT")
        configuration.enableHost = try enableHost ?? envBool("PULSE_ENABLE_HOST") ?? true
        configuration.enableDocker = try enableDocker ?? envBool("PULSE_ENABLE_DOCKER")
        configuration.enableKubernetes = try enableKubernetes ?? envBool("PULSE_ENABLE_KUBERNETES") ?? false
        configuration.tags = tags.isEmpty ? csv("PULSE_TAGS") : tags
        configuration.diskExclude = diskExclude.isEmpty ? csv("PULSE_DISK_EXCLUDE") : diskExclude
        let level = (logLevel ?? env("LOG_LEVEL") ?? "info").lowercased()
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'")
        }
        configuration.logLevel = level
        if let text = healthAddress ?? env("PULSE_HEALTH_ADDR") {
            do {
                configuration.healthAddress = try ListenAddress(parsing: text)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        configuration.hostRoot = hostRoot ?? env("PULSE_HOST_ROOT") ?? "/"
        configuration.cpuPerCore = try cpuPerCore ?? envBool("PULSE_CPU_PER_CORE") ?? false
        configuration.disableCeph = try disableCeph || (envBool("PULSE_DISABLE_CEPH") ?? false)
        configuration.disableAutoUpdate = try disableAutoUpdate || (envBool("PULSE_DISABLE_AUTO_UPDATE") ?? false)
        configuration.updateKeyFile = updateKeyFile ?? env("PULSE_UPDATE_KEY_FILE")
        configuration.kubeconfig = kubeconfig ?? env("PULSE_KUBECONFIG") ?? env("KUBECONFIG")
        configuration.kubeContext = kubeContext ?? env("PULSE_KUBE_CONTEXT")
        // PULSE_KUBE_INCLUDE_ALL_POD_FILES: the variable's older name, still read by Pulse.
        configuration.kubeSelection.includeAllPods =
            try kubeIncludeAllPods || (envBool("PULSE_KUBE_INCLUDE_ALL_PODS") ?? envBool("PULSE_KUBE_INCLUDE_ALL_POD_FILES") ?? false)
        configuration.kubeSelection.includeAllWorkloads = try kubeIncludeAllDeployments || (envBool("PULSE_KUBE_INCLUDE_ALL_DEPLOYMENTS") ?? false)
        if let text = kubeMaxPods.map(String.init) ?? env("PULSE_KUBE_MAX_PODS") {
            guard let count = Int(text), count > 0 else { throw ValidationError("--kube-max-pods must be a positive number, got '\(text)'") }
            configuration.kubeSelection.maxPods = count
        }
        configuration.kubeSelection.includeNamespaces = kubeIncludeNamespaces.isEmpty ? csv("PULSE_KUBE_INCLUDE_NAMESPACES") : kubeIncludeNamespaces
        configuration.kubeSelection.excludeNamespaces = kubeExcludeNamespaces.isEmpty ? csv("PULSE_KUBE_EXCLUDE_NAMESPACES") : kubeExcludeNamespaces
        configuration.bufferDirectory = bufferDirectory ?? env("PULSE_BUFFER_DIR")
        configuration.sensors = SensorSelection(
            include: sensorInclude.isEmpty ? csv("PULSE_SENSOR_INCLUDE") : sensorInclude,
            exclude: sensorExclude.isEmpty ? csv("PULSE_SENSOR_EXCLUDE") : sensorExclude,
            primary: primarySensor ?? env("PULSE_PRIMARY_SENSOR"))
        configuration.agentIDFile = agentIDFile ?? env("PULSE_AGENT_ID_FILE")
        configuration.enableProxmox = try enableProxmox ?? envBool("PULSE_ENABLE_PROXMOX") ?? false
        if let text = proxmoxType ?? env("PULSE_PROXMOX_TYPE") {
            guard let product = ProxmoxProduct(rawValue: text.lowercased()) else {
                throw ValidationError("--proxmox-type must be pve or pbs, got '\(text)'")
            }
            configuration.proxmoxType = product
        }
        // Pulse's order: --enable-commands, --disable-commands, PULSE_ENABLE_COMMANDS, then the
        // deprecated PULSE_DISABLE_COMMANDS (false there meant on).
        if let enableCommands {
            configuration.enableCommands = enableCommands
        } else if !disableCommands {
            configuration.enableCommands = try envBool("PULSE_ENABLE_COMMANDS") ?? envBool("PULSE_DISABLE_COMMANDS").map { !$0 } ?? false
        }
        configuration.dockerUpdateChecks = try !(disableDockerUpdateChecks || (envBool("PULSE_DISABLE_DOCKER_UPDATE_CHECKS") ?? false))
        if let text = dockerRuntime ?? env("PULSE_DOCKER_RUNTIME") {
            guard let runtime = DockerRuntime(rawValue: text.lowercased()) else {
                throw ValidationError("--docker-runtime must be docker, podman or auto, got '\(text)'")
            }
            configuration.dockerRuntime = runtime
        }
        if let text = reportIP ?? env("PULSE_REPORT_IP") {
            guard Self.isIPAddress(text) else { throw ValidationError("--report-ip must be an IPv4 or IPv6 address, got '\(text)'") }
            configuration.reportIP = text
        }
        return configuration
    }
}

extension AgentOptions {
    /// Whether `text` is a literal IPv4 or IPv6 address (no names, no ports).
    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}

/// `--docker-runtime`: which container engine's socket to report on.
enum DockerRuntime: String, Sendable, Equatable {
    case docker, podman, auto
}

/// Go's duration syntax, as Pulse's flags use it: `30s`, `1m30s`, `500ms`, `2h`; a bare number is seconds.
enum GoDuration {
    static func seconds(_ text: String) -> Double? {
        if let plain = Double(text) { return plain }
        let units: [(String, Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * factor
        }
        return total
    }
}
