/// The agent's options: Pulse v5's names, each with its environment variable (an option wins),
/// read as Go's `flag` package reads them (`FlagParser`), so Pulse's service files work unchanged.
struct AgentOptions {
    var url: String?
    var token: String?
    var tokenFile: String?
    var interval: String?
    var hostname: String?
    var agentID: String?
    var insecure = false
    var cacert: String?
    var enableHost: Bool?
    var enableDocker: Bool?
    var enableKubernetes: Bool?
    var cpuPerCore: Bool?
    var disableCeph = false
    var kubeconfig: String?
    var kubeContext: String?
    var kubeIncludeAllPods = false
    var kubeIncludeAllDeployments = false
    var kubeMaxPods: Int?
    var kubeIncludeNamespaces: [String] = []
    var kubeExcludeNamespaces: [String] = []
    var disableAutoUpdate = false
    var updateKeyFile: String?
    var tags: [String] = []
    var diskExclude: [String] = []
    var logLevel: String?
    var healthAddress: String?
    var sensorInclude: [String] = []
    var sensorExclude: [String] = []
    var primarySensor: String?
    var bufferDirectory: String?
    var hostRoot: String?
    var agentIDFile: String?
    var enableProxmox: Bool?
    var proxmoxType: String?
    var enableCommands: Bool?
    var disableCommands = false
    var disableDockerUpdateChecks = false
    var dockerRuntime: String?
    var reportIP: String?
    /// One line per argument that was skipped (an unknown option, a stray word).
    var warnings: [String] = []

    /// Every option, in the order `--help` lists them.
    static let specs: [FlagSpec] = [
        .value("url", "url", help: "Pulse server URL. (env: PULSE_URL; default http://localhost:7655)"),
        .value("token", "token", help: "API token. Prefer --token-file: a token on the command line is visible to other users. (env: PULSE_TOKEN)"),
        .value("token-file", "file", help: "File holding the API token. (env: PULSE_TOKEN_FILE)"),
        .value("interval", "duration", help: "Reporting interval, e.g. 30s, 1m. (env: PULSE_INTERVAL; default 30s)"),
        .value("hostname", "name", help: "Report this hostname instead of the kernel's. (env: PULSE_HOSTNAME)"),
        .value("agent-id", "id", help: "Agent ID instead of the machine ID. (env: PULSE_AGENT_ID)"),
        .bool("insecure", help: "Skip TLS certificate verification for the server. (env: PULSE_INSECURE_SKIP_VERIFY)"),
        .value("cacert", "file", help: "CA certificate (PEM) for a server with a private CA. (env: PULSE_CACERT)"),
        .bool("enable-host", negatable: true, help: "Report host metrics. (env: PULSE_ENABLE_HOST; default on)"),
        .bool("enable-docker", negatable: true, help: "Report Docker/Podman containers. (env: PULSE_ENABLE_DOCKER)"),
        .bool("enable-kubernetes", negatable: true, help: "Report a Kubernetes cluster. (env: PULSE_ENABLE_KUBERNETES)"),
        .bool("cpu-per-core", negatable: true, help: "Also report each logical CPU's usage. (env: PULSE_CPU_PER_CORE)"),
        .bool("disable-ceph", help: "Do not run the ceph CLI for cluster status. (env: PULSE_DISABLE_CEPH)"),
        .value(
            "kubeconfig", "file",
            help: "kubeconfig for --enable-kubernetes (default: in-cluster service account, else ~/.kube/config). (env: PULSE_KUBECONFIG, KUBECONFIG)"
        ),
        .value("kube-context", "name", help: "kubeconfig context (default: its current-context). (env: PULSE_KUBE_CONTEXT)"),
        .bool("kube-include-all-pods", help: "Report every pod, not only problem pods. (env: PULSE_KUBE_INCLUDE_ALL_PODS)"),
        .bool(
            "kube-include-all-deployments",
            help:
                "Report every Deployment, StatefulSet and DaemonSet, not only those below their desired count. (env: PULSE_KUBE_INCLUDE_ALL_DEPLOYMENTS)"
        ),
        .value("kube-max-pods", "count", help: "At most this many pods per report. (env: PULSE_KUBE_MAX_PODS; default 200)"),
        .repeatable("kube-include-namespace", "glob", help: "Only these namespaces (globs); repeatable. (env: PULSE_KUBE_INCLUDE_NAMESPACES)"),
        .repeatable("kube-exclude-namespace", "glob", help: "Leave out these namespaces (globs); repeatable. (env: PULSE_KUBE_EXCLUDE_NAMESPACES)"),
        .bool("disable-auto-update", help: "Do not update the agent from the server. (env: PULSE_DISABLE_AUTO_UPDATE)"),
        .value(
            "update-key-file", "file",
            help:
                "The server's Ed25519 key (PEM or base64) that updates must be signed with; without it the agent does not update. (env: PULSE_UPDATE_KEY_FILE)"
        ),
        .repeatable("tag", "tag", help: "A tag for this host; repeat for several. (env: PULSE_TAGS, comma-separated)"),
        .repeatable("disk-exclude", "glob", help: "Glob of mountpoints or devices to leave out; repeat for several. (env: PULSE_DISK_EXCLUDE)"),
        .value("log-level", "level", help: "trace … critical. (env: LOG_LEVEL; default info)"),
        .value("health-addr", "address", help: "Address for /healthz, /readyz, /metrics; off disables them. (env: PULSE_HEALTH_ADDR; default :9191)"),
        .repeatable(
            "sensor-include", "glob", help: "Only use sensor readings matching this chip/label glob; repeatable. (env: PULSE_SENSOR_INCLUDE)"),
        .repeatable("sensor-exclude", "glob", help: "Ignore sensor readings matching this chip/label glob; repeatable. (env: PULSE_SENSOR_EXCLUDE)"),
        .value("primary-sensor", "glob", help: "chip/label glob of the reading to report as cpu_package. (env: PULSE_PRIMARY_SENSOR)"),
        .value(
            "buffer-dir", "folder",
            help:
                "Where undelivered reports wait (default /var/lib/pulse-agent/buffer as root, else ~/.local/state/pulse-agent/buffer). (env: PULSE_BUFFER_DIR)"
        ),
        .value(
            "host-root", "folder",
            help: "Read /proc, /sys and /etc under this folder (an agent in a container with the host's / mounted). (env: PULSE_HOST_ROOT)"),
        .value(
            "agent-id-file", "file",
            help:
                "File holding the agent ID: read at start, written (0600) with a new ID when missing, so an agent in a container keeps its identity when the container is recreated. --agent-id wins. (env: PULSE_AGENT_ID_FILE)"
        ),
        .bool(
            "enable-proxmox", negatable: true,
            help:
                "Proxmox mode: on a Proxmox VE or Backup Server host, create the read-only pulse-monitor user and its API token locally and register this node with the server (once; kept across restarts). (env: PULSE_ENABLE_PROXMOX)"
        ),
        .value(
            "proxmox-type", "type",
            help: "pve or pbs for --enable-proxmox (default: detected from pvesh / proxmox-backup-manager). (env: PULSE_PROXMOX_TYPE)"),
        .bool(
            "enable-commands", negatable: true,
            help:
                "Accepted for Pulse's service files and ignored: this server has no remote command channel, so the agent never runs commands sent to it. (env: PULSE_ENABLE_COMMANDS)"
        ),
        .bool("disable-commands", help: "Pulse's deprecated opposite of --enable-commands; accepted and ignored. (env: PULSE_DISABLE_COMMANDS)"),
        .bool(
            "disable-docker-update-checks",
            help: "Do not check registries for newer container images (avoids registry rate limits). (env: PULSE_DISABLE_DOCKER_UPDATE_CHECKS)"),
        .value("docker-runtime", "runtime", help: "docker, podman or auto: which socket to report on. (env: PULSE_DOCKER_RUNTIME; default auto)"),
        .value("report-ip", "ip", help: "The IP address to report for this host (machines with several networks). (env: PULSE_REPORT_IP)"),
    ]

    /// The options in `arguments` (those of `extra` are read too, for the command to look at).
    static func parse(_ arguments: [String], extra: [FlagSpec] = []) throws -> AgentOptions {
        try AgentOptions(FlagParser(specs: specs + extra).parse(arguments))
    }

    init() {}

    init(_ parsed: FlagParser.Parsed) throws {
        url = parsed.value("url")
        token = parsed.value("token")
        tokenFile = parsed.value("token-file")
        interval = parsed.value("interval")
        hostname = parsed.value("hostname")
        agentID = parsed.value("agent-id")
        insecure = parsed.booleans["insecure"] ?? false
        cacert = parsed.value("cacert")
        enableHost = parsed.booleans["enable-host"]
        enableDocker = parsed.booleans["enable-docker"]
        enableKubernetes = parsed.booleans["enable-kubernetes"]
        cpuPerCore = parsed.booleans["cpu-per-core"]
        disableCeph = parsed.booleans["disable-ceph"] ?? false
        kubeconfig = parsed.value("kubeconfig")
        kubeContext = parsed.value("kube-context")
        kubeIncludeAllPods = parsed.booleans["kube-include-all-pods"] ?? false
        kubeIncludeAllDeployments = parsed.booleans["kube-include-all-deployments"] ?? false
        kubeMaxPods = try parsed.value("kube-max-pods").map { text in
            guard let number = Int(text) else { throw ValidationError("--kube-max-pods must be a whole number, got '\(text)'") }
            return number
        }
        kubeIncludeNamespaces = parsed.all("kube-include-namespace")
        kubeExcludeNamespaces = parsed.all("kube-exclude-namespace")
        disableAutoUpdate = parsed.booleans["disable-auto-update"] ?? false
        updateKeyFile = parsed.value("update-key-file")
        tags = parsed.all("tag")
        diskExclude = parsed.all("disk-exclude")
        logLevel = parsed.value("log-level")
        healthAddress = parsed.value("health-addr")
        sensorInclude = parsed.all("sensor-include")
        sensorExclude = parsed.all("sensor-exclude")
        primarySensor = parsed.value("primary-sensor")
        bufferDirectory = parsed.value("buffer-dir")
        hostRoot = parsed.value("host-root")
        agentIDFile = parsed.value("agent-id-file")
        enableProxmox = parsed.booleans["enable-proxmox"]
        proxmoxType = parsed.value("proxmox-type")
        enableCommands = parsed.booleans["enable-commands"]
        disableCommands = parsed.booleans["disable-commands"] ?? false
        disableDockerUpdateChecks = parsed.booleans["disable-docker-update-checks"] ?? false
        dockerRuntime = parsed.value("docker-runtime")
        reportIP = parsed.value("report-ip")
        warnings = parsed.warnings
        // The agent takes no positional arguments (Go's flag package stops at the first one).
        warnings += parsed.positional.map { _ in "ignoring an argument that is not an option: pulse-agent takes options only" }
    }
}
