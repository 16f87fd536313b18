import AgentProtocol
import CurlHTTP
import Logging

#if canImport(Glibc)
import Glibc
#endif

extension PulseAgentCommand {
    /// Reports until SIGTERM/SIGINT, each module in a loop of its own (`AgentLoops`).
    func report(configuration: AgentConfiguration, collector: HostCollector) async throws {
        guard let token = configuration.token, !token.isEmpty else {
            throw ValidationError("a token is required to report: --token-file FILE (or --token, PULSE_TOKEN)")
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pulse-agent")
        let client = CurlClient(
            userAgent: PulseAgentCommand.userAgent,
            tls: TLSSettings(insecure: configuration.insecure, caCertificateFile: configuration.caCertificateFile))
        let sender = ReportSender(client: client, baseURL: configuration.url, token: token)
        let bufferDirectory = configuration.bufferDirectory ?? Self.defaultBufferDirectory()
        let executablePath = Self.executablePath()
        let restart = RestartRequest()
        let status = AgentStatus()
        var loops = AgentLoops(logger: logger)
        var hasDocker = false
        var hasKubernetes = false
        let settings = RemoteSettings(
            local: .init(
                intervalSeconds: configuration.intervalSeconds, enableHost: configuration.enableHost, diskExclude: configuration.diskExclude,
                sensors: configuration.sensors))
        func reporting(_ source: any ReportSource, buffer folder: String) throws -> ReportingService {
            ReportingService(
                source: source, sender: sender, buffer: try ReportBuffer(directory: folder, capacity: configuration.bufferCapacity),
                interval: .seconds(configuration.intervalSeconds), logger: logger, settings: settings, status: status)
        }
        if configuration.enableHost {
            let source = HostReportSource(
                collector: collector, settings: settings, sender: sender, uninstaller: AgentUninstaller(sender: sender, logger: logger),
                logger: logger)
            let host = try reporting(source, buffer: bufferDirectory)
            loops.add("host", whenDone: .allStop) { try await host.run() }
        }
        if let socket = Self.dockerSocket(configuration, logger: logger) {
            var imageUpdates: ImageUpdateChecker?
            if configuration.dockerUpdateChecks {
                let engine = DockerEngineClient(socketPath: socket)
                let checker = ImageUpdateChecker(
                    registry: RegistryClient(),
                    repoDigests: { imageID in try? await engine.get("/images/\(imageID)/json", as: EngineAPI.ImageInspect.self).repoDigests ?? [] })
                imageUpdates = checker
                loops.add("image-updates", whenDone: .othersCarryOn) { try await checker.run() }
            }
            let docker = DockerCollector(
                socketPath: socket,
                settings: .init(
                    root: SystemRoot(configuration.hostRoot), intervalSeconds: configuration.intervalSeconds,
                    hostname: configuration.hostname, agentID: configuration.agentID),
                imageUpdates: imageUpdates)
            let source = DockerReportSource(collector: docker, sender: sender, logger: logger)
            // A stopped Docker module ends its own loop only; host reporting goes on.
            let reportingDocker = try reporting(source, buffer: bufferDirectory + "/docker")
            loops.add("docker", whenDone: .othersCarryOn) { try await reportingDocker.run() }
            hasDocker = true
            logger.info("reporting Docker", metadata: ["socket": .string(socket)])
        }
        if configuration.enableKubernetes {
            do {
                let connection = try await Self.kubeConnection(configuration)
                let kubernetes = KubernetesCollector(
                    connection: connection, selection: configuration.kubeSelection,
                    intervalSeconds: configuration.intervalSeconds, agentID: configuration.agentID)
                let reportingKubernetes = try reporting(KubernetesReportSource(collector: kubernetes), buffer: bufferDirectory + "/kubernetes")
                loops.add("kubernetes", whenDone: .othersCarryOn) { try await reportingKubernetes.run() }
                hasKubernetes = true
                logger.info("reporting Kubernetes", metadata: ["server": .string(connection.server), "context": .string(connection.context)])
            } catch {
                logger.error("Kubernetes reporting is off", metadata: ["reason": "\(error)"])
            }
        }
        if configuration.enableCommands {
            logger.notice("--enable-commands: this server has no remote command channel; the agent runs no commands sent to it")
        }
        if configuration.enableProxmox {
            let hostname = configuration.hostname ?? MachineIdentity.hostname(in: SystemRoot(configuration.hostRoot)) ?? "localhost"
            let searchPath = (ProcessEnvironment.current()["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
            let setup = ProxmoxSetup(
                settings: .init(
                    product: configuration.proxmoxType, hostname: hostname,
                    address: configuration.reportIP ?? ProxmoxSetup.addressReaching(configuration.url) ?? hostname,
                    stateDirectory: bufferDirectory, searchPath: searchPath),
                sender: sender, logger: logger)
            let proxmoxMode = ProxmoxModeService(setup: setup, logger: logger)
            loops.add("proxmox", whenDone: .othersCarryOn) { try await proxmoxMode.run() }
        }
        settings.setAvailable(docker: hasDocker, kubernetes: hasKubernetes)
        guard !loops.loops.isEmpty else {
            throw ValidationError("nothing to report: host reporting is off, no Docker socket was found and Kubernetes is not set up")
        }
        logger.info(
            "reporting", metadata: ["url": .string(configuration.url), "interval": .stringConvertible(configuration.intervalSeconds)])
        if !configuration.disableAutoUpdate, let executablePath, let signingKey = Self.updateSigningKey(configuration, logger: logger) {
            let updater = SelfUpdater(
                serverURL: configuration.url, client: client, signingKey: signingKey, currentVersion: Self.version,
                executablePath: executablePath, platform: HostCollector.downloadPlatform(), stateDirectory: bufferDirectory)
            // After installing an update it returns, which stops the other loops; then the new binary starts.
            let selfUpdate = SelfUpdateService(updater: updater, restart: restart, logger: logger)
            loops.add("self-update", whenDone: .allStop) { try await selfUpdate.run() }
        }
        if let address = configuration.healthAddress {
            let responder = HealthResponder(
                status: status, version: Self.version, intervalSeconds: configuration.intervalSeconds, startedAt: status.now())
            let health = HealthEndpoint(address: address, responder: responder, logger: logger)
            loops.add("health", whenDone: .othersCarryOn) { try await health.run() }
        }
        try await loops.run()
        if restart.isRequested, let executablePath {
            logger.notice("starting the updated agent", metadata: ["binary": .string(executablePath)])
            let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
            execv(executablePath, arguments)
            logger.error("could not start the updated agent", metadata: ["error": .string(String(cString: strerror(errno)))])
            throw ExitCode(1)
        }
    }

    /// The key updates must be signed with, or nil (said once, at start) when there is none:
    /// an update that nothing can verify is never installed.
    static func updateSigningKey(_ configuration: AgentConfiguration, logger: Logger) -> UpdateSigningKey? {
        guard let path = configuration.updateKeyFile else {
            logger.warning(
                "self-update is off: no update signing key (--update-key-file, PULSE_UPDATE_KEY_FILE); reinstall with the install command Pulse shows to turn it on"
            )
            return nil
        }
        guard let text = SystemRoot(path.hasPrefix("/") ? "/" : ".").read(path.hasPrefix("/") ? path : "/" + path),
            let key = UpdateSigningKey(text: text)
        else {
            logger.error(
                "self-update is off: the update signing key file cannot be read or holds no Ed25519 public key",
                metadata: ["path": .string(path)])
            return nil
        }
        return key
    }

    /// `--kubeconfig`, else the in-cluster service account, else `~/.kube/config`.
    static func kubeConnection(_ configuration: AgentConfiguration) async throws -> KubeConnection {
        let environment = ProcessEnvironment.current()
        if configuration.kubeconfig == nil, let inCluster = KubeConnection.inCluster(environment: environment) {
            return inCluster
        }
        let path = configuration.kubeconfig ?? (environment["HOME"] ?? "/root") + "/.kube/config"
        return try KubeConnection.fromKubeconfig(
            try await Kubeconfig.load(path: path), path: path, context: configuration.kubeContext,
            readFile: { SystemRoot("/").read($0).map { Array($0.utf8) } })
    }

    /// The running binary's path, read once at start (after an update the link names the old file).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The Docker socket to report on: `--enable-docker` requires one (a warning names the
    /// places tried), no flag means "if there is one", `--no-enable-docker` means none.
    static func dockerSocket(_ configuration: AgentConfiguration, logger: Logger) -> String? {
        guard configuration.enableDocker != false else { return nil }
        let candidates = dockerSocketCandidates(configuration.dockerRuntime, environment: ProcessEnvironment.current())
        if let socket = candidates.first(where: DockerSocket.isSocket) { return socket }
        if configuration.enableDocker == true {
            logger.warning("--enable-docker: no Docker or Podman socket found", metadata: ["tried": .string(candidates.joined(separator: ", "))])
        }
        return nil
    }

    /// The sockets `--docker-runtime` allows, in the order tried (`DOCKER_HOST` stays first).
    static func dockerSocketCandidates(_ runtime: DockerRuntime, environment: [String: String]) -> [String] {
        let all = DockerSocket.candidates(environment: environment)
        let named = environment["DOCKER_HOST"].flatMap { $0.hasPrefix("unix://") ? String($0.dropFirst("unix://".count)) : nil }
        switch runtime {
        case .auto: return all
        case .docker: return all.filter { $0 == named || $0.hasSuffix("/docker.sock") }
        case .podman: return all.filter { $0 == named || $0.hasSuffix("/podman.sock") }
        }
    }

    static func defaultBufferDirectory() -> String {
        if getuid() == 0 { return "/var/lib/pulse-agent/buffer" }
        let home = ProcessEnvironment.current()["HOME"] ?? "/tmp"
        return home + "/.local/state/pulse-agent/buffer"
    }
}

/// Writes to a file descriptor without Foundation's FileHandle.
struct FileDescriptorOutput {
    let descriptor: Int32
    static let standardOutput = FileDescriptorOutput(descriptor: 1)
    static let standardError = FileDescriptorOutput(descriptor: 2)

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
