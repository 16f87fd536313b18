import ArgumentParser

/// The agent's flags: Pulse v5's names, each with its environment variable (a flag wins).
struct AgentOptions: ParsableArguments {
    @Option(help: "Pulse server URL. (env: PULSE_URL; default http://localhost:7655)")
    var url: String?

    @Option(help: "API token. Prefer --token-file: a token on the command line is visible to other users. (env: PULSE_TOKEN)")
    var token: String?

    @Option(name: .customLong("token-file"), help: "File holding the API token. (env: PULSE_TOKEN_FILE)")
    var tokenFile: String?

    @Option(help: "Reporting interval, e.g. 30s, 1m. (env: PULSE_INTERVAL; default 30s)")
    var interval: String?

    @Option(help: "Report this hostname instead of the kernel's. (env: PULSE_HOSTNAME)")
    var hostname: String?

    @Option(name: .customLong("agent-id"), help: "Agent ID instead of the machine ID. (env: PULSE_AGENT_ID)")
    var agentID: String?

    @Flag(help: "Skip TLS certificate verification for the server. (env: PULSE_INSECURE_SKIP_VERIFY)")
    var insecure = false

    @Option(help: "CA certificate (PEM) for a server with a private CA. (env: PULSE_CACERT)")
    var cacert: String?

    @Flag(name: .customLong("enable-host"), inversion: .prefixedNo, help: "Report host metrics. (env: PULSE_ENABLE_HOST; default on)")
    var enableHost: Bool?

    @Flag(name: .customLong("enable-docker"), inversion: .prefixedNo, help: "Report Docker/Podman containers. (env: PULSE_ENABLE_DOCKER)")
    var enableDocker: Bool?

    @Flag(name: .customLong("enable-kubernetes"), inversion: .prefixedNo, help: "Report a Kubernetes cluster. (env: PULSE_ENABLE_KUBERNETES)")
    var enableKubernetes: Bool?

    @Flag(name: .customLong("cpu-per-core"), inversion: .prefixedNo, help: "Also report each logical CPU's usage. (env: PULSE_CPU_PER_CORE)")
    var cpuPerCore: Bool?

    @Flag(name: .customLong("disable-ceph"), help: "Do not run the ceph CLI for cluster status. (env: PULSE_DISABLE_CEPH)")
    var disableCeph = false

    @Flag(
        name: .customLong("disable-docker-update-checks"),
        help: "Do not ask container registries whether images have updates. (env: PULSE_DISABLE_DOCKER_UPDATE_CHECKS)")
    var disableDockerUpdateChecks = false

    @Option(
        name: .customLong("kubeconfig"),
        help: "kubeconfig for --enable-kubernetes (default: in-cluster service account, else ~/.kube/config). (env: PULSE_KUBECONFIG, KUBECONFIG)")
    var kubeconfig: String?

    @Option(name: .customLong("kube-context"), help: "kubeconfig context (default: its current-context). (env: PULSE_KUBE_CONTEXT)")
    var kubeContext: String?

    @Flag(name: .customLong("kube-include-all-pods"), help: "Report every pod, not only problem pods. (env: PULSE_KUBE_INCLUDE_ALL_PODS)")
    var kubeIncludeAllPods = false

    @Flag(
        name: .customLong("kube-include-all-deployments"),
        help:
            "Report every Deployment, StatefulSet and DaemonSet, not only those below their desired count. (env: PULSE_KUBE_INCLUDE_ALL_DEPLOYMENTS)")
    var kubeIncludeAllDeployments = false

    @Option(name: .customLong("kube-max-pods"), help: "At most this many pods per report. (env: PULSE_KUBE_MAX_PODS; default 200)")
    var kubeMaxPods: Int?

    @Option(name: .customLong("kube-include-namespace"), help: "Only these namespaces (globs); repeatable. (env: PULSE_KUBE_INCLUDE_NAMESPACES)")
    var kubeIncludeNamespaces: [String] = []

    @Option(name: .customLong("kube-exclude-namespace"), help: "Leave out these namespaces (globs); repeatable. (env: PULSE_KUBE_EXCLUDE_NAMESPACES)")
    var kubeExcludeNamespaces: [String] = []

    @Flag(name: .customLong("disable-auto-update"), help: "Do not update the agent from the server. (env: PULSE_DISABLE_AUTO_UPDATE)")
    var disableAutoUpdate = false

    @Option(
        name: .customLong("update-key-file"),
        help:
            "The server's Ed25519 key (PEM or base64) that updates must be signed with; without it the agent does not update. (env: PULSE_UPDATE_KEY_FILE)"
    )
    var updateKeyFile: String?

    @Option(name: .customLong("tag"), help: "A tag for this host; repeat for several. (env: PULSE_TAGS, comma-separated)")
    var tags: [String] = []

    @Option(name: .customLong("disk-exclude"), help: "Glob of mountpoints or devices to leave out; repeat for several. (env: PULSE_DISK_EXCLUDE)")
    var diskExclude: [String] = []

    @Option(name: .customLong("log-level"), help: "trace … critical. (env: LOG_LEVEL; default info)")
    var logLevel: String?

    @Option(
        name: .customLong("health-addr"), help: "Address for /healthz, /readyz, /metrics; off disables them. (env: PULSE_HEALTH_ADDR; default :9191)")
    var healthAddress: String?

    @Option(
        name: .customLong("sensor-include"), help: "Only use sensor readings matching this chip/label glob; repeatable. (env: PULSE_SENSOR_INCLUDE)")
    var sensorInclude: [String] = []

    @Option(
        name: .customLong("sensor-exclude"), help: "Ignore sensor readings matching this chip/label glob; repeatable. (env: PULSE_SENSOR_EXCLUDE)")
    var sensorExclude: [String] = []

    @Option(name: .customLong("primary-sensor"), help: "chip/label glob of the reading to report as cpu_package. (env: PULSE_PRIMARY_SENSOR)")
    var primarySensor: String?

    @Option(
        name: .customLong("buffer-dir"),
        help:
            "Where undelivered reports wait (default /var/lib/pulse-agent/buffer as root, else ~/.local/state/pulse-agent/buffer). (env: PULSE_BUFFER_DIR)"
    )
    var bufferDirectory: String?

    @Option(
        name: .customLong("host-root"),
        help: "Read /proc, /sys and /etc under this folder (an agent in a container with the host's / mounted). (env: PULSE_HOST_ROOT)")
    var hostRoot: String?

    /// Pulse's agents are Go programs, whose boolean flags also take `--flag=true|false`; those
    /// forms are rewritten to the `--flag` / `--no-flag` this parser understands, so existing
    /// service files keep working.
    static func normalizeBooleanFlags(_ arguments: [String]) -> [String] {
        let booleans = ["insecure", "enable-host", "enable-docker", "enable-kubernetes", "once", "self-test"]
        return arguments.map { argument in
            for name in booleans {
                switch argument.lowercased() {
                case "--\(name)=true", "--\(name)=1", "-\(name)=true", "-\(name)": return "--\(name)"
                case "--\(name)=false", "--\(name)=0", "-\(name)=false": return name == "insecure" ? "" : "--no-\(name)"
                default: continue
                }
            }
            return argument
        }.filter { !$0.isEmpty }
    }
}
