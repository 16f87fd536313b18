import AgentProtocol
import ArgumentParser
import CurlHTTP
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension PulseAgentCommand {
    /// Reports until SIGTERM/SIGINT, in one ServiceGroup.
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        func reporting(_ source: any ReportSource, buffer folder: String) throws -> ReportingService {
            ReportingService(
                source: source, sender: sender, buffer: try ReportBuffer(directory: folder, capacity: configuration.bufferCapacity),
                interval: .seconds(configuration.intervalSeconds), logger: logger, status: status)
        }
        if configuration.enableHost {
            services.append(.init(service: try reporting(HostReportSource(collector: collector), buffer: bufferDirectory)))
        }
        if let socket = Self.dockerSocket(configuration, logger: logger) {
            var imageUpdates: ImageUpdateChecker?
            if configuration.dockerUpdateChecks {
                let engine = DockerEngineClient(socketPath: socket)
                let checker = ImageUpdateChecker(
                    registry: RegistryClient(),
                    repoDigests: { imageID in try? await engine.get("/images/\(imageID)/json", as: EngineAPI.ImageInspect.self).repoDigests ?? [] })
                imageUpdates = checker
                services.append(.init(service: checker))
            }
            let docker = DockerCollector(
                socketPath: socket,
                settings: .init(
                    root: SystemRoot(configuration.hostRoot), intervalSeconds: configuration.intervalSeconds,
                    hostname: configuration.hostname, agentID: configuration.agentID),
                imageUpdates: imageUpdates)
            let source = DockerReportSource(collector: docker, sender: sender, logger: logger)
            // A stopped Docker module ends its own loop only; host reporting goes on.
            services.append(.init(service: try reporting(source, buffer: bufferDirectory + "/docker"), successTerminationBehavior: .ignore))
            logger.info("reporting Docker", metadata: ["socket": .string(socket)])
        }
        if configuration.enableKubernetes {
            do {
                let connection = try await Self.kubeConnection(configuration)
                let kubernetes = KubernetesCollector(
                    connection: connection, selection: configuration.kubeSelection,
                    intervalSeconds: configuration.intervalSeconds, agentID: configuration.agentID)
                services.append(
                    .init(
                        service: try reporting(KubernetesReportSource(collector: kubernetes), buffer: bufferDirectory + "/kubernetes"),
                        successTerminationBehavior: .ignore))
                logger.info("reporting Kubernetes", metadata: ["server": .string(connection.server), "context": .string(connection.context)])
            } catch {
                logger.error("Kubernetes reporting is off", metadata: ["reason": "\(error)"])
            }
        }
        guard !services.isEmpty else {
            throw ValidationError("nothing to report: host reporting is off, no Docker socket was found and Kubernetes is not set up")
        }
        logger.info(
            "reporting", metadata: ["url": .string(configuration.url), "interval": .stringConvertible(configuration.intervalSeconds)])
        if !configuration.disableAutoUpdate, let executablePath, let signingKey = Self.updateSigningKey(configuration, logger: logger) {
            let updater = SelfUpdater(
                serverURL: configuration.url, client: client, signingKey: signingKey, currentVersion: Self.version,
                executablePath: executablePath, platform: HostCollector.downloadPlatform(), stateDirectory: bufferDirectory)
            // After installing an update it returns, which stops the group gracefully; then the new binary starts.
            services.append(
                .init(
                    service: SelfUpdateService(updater: updater, restart: restart, logger: logger),
                    successTerminationBehavior: .gracefullyShutdownGroup))
        }
        if let address = configuration.healthAddress {
            let responder = HealthResponder(
                status: status, version: Self.version, intervalSeconds: configuration.intervalSeconds, startedAt: status.now())
            services.append(.init(service: HealthEndpoint(address: address, responder: responder, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
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
        let environment = ProcessInfo.processInfo.environment
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
        let environment = ProcessInfo.processInfo.environment
        if let socket = DockerSocket.find(environment: environment) { return socket }
        if configuration.enableDocker == true {
            logger.warning(
                "--enable-docker: no Docker or Podman socket found",
                metadata: ["tried": .string(DockerSocket.candidates(environment: environment).joined(separator: ", "))])
        }
        return nil
    }

    static func defaultBufferDirectory() -> String {
        if getuid() == 0 { return "/var/lib/pulse-agent/buffer" }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/tmp"
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
