import AgentProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `pulse-agent`: runs on each monitored machine and reports to the Pulse server.
///
/// It reports the host (with sensors, SMART, RAID, ZFS and Ceph), Docker or Podman containers and
/// a Kubernetes cluster, each in its own loop with an on-disk buffer for outages, serves health
/// pages and updates itself. `--once` prints one host report instead; `--self-test` checks it all.
@main
struct PulseAgentCommand {
    static let version = "0.1.0"
    /// What the agent sends as its HTTP User-Agent.
    static var userAgent: String { "pulse-agent/\(version)" }
    static let abstract = "Collects host, Docker and Kubernetes metrics and reports them to a Pulse server."

    /// What to do instead of reporting, and `--help`/`--version`.
    static let commandSpecs: [FlagSpec] = [
        .bool("once", help: "Collect one report, print it as JSON and exit."),
        .bool("self-test", help: "Check each collector and the server connection, print a verdict and exit."),
        .value(
            "benchmark-collections", "count",
            help: "Collect this many host reports back to back, print CPU time per collection and RSS, and exit (make bench).", hidden: true),
        .bool("help", help: "Show this help and exit.", hidden: true),
        .bool("h", help: "Show this help and exit.", hidden: true),
        .bool("version", help: "Print the version and exit.", hidden: true),
    ]

    var options: AgentOptions
    var once = false
    var benchmarkCollections: Int?
    var selfTest = false

    /// The `--help` text: every option, then the commands.
    static func helpMessage() -> String {
        UsageText.render(command: "pulse-agent", abstract: abstract, specs: AgentOptions.specs + commandSpecs)
    }

    /// Reads the command line (Go's forms; an unknown option is a warning) and runs; a bad value
    /// exits with status 2, a failure with 1.
    static func main() async {
        let command: PulseAgentCommand
        do {
            let parsed = try FlagParser(specs: AgentOptions.specs + commandSpecs).parse(Array(CommandLine.arguments.dropFirst()))
            if parsed.booleans["help"] == true || parsed.booleans["h"] == true {
                FileDescriptorOutput.standardOutput.write(helpMessage())
                return
            }
            if parsed.booleans["version"] == true {
                FileDescriptorOutput.standardOutput.write(version + "\n")
                return
            }
            let options = try AgentOptions(parsed)
            for warning in options.warnings { FileDescriptorOutput.standardError.write("warning: \(warning)\n") }
            let benchmark = try parsed.value("benchmark-collections").map { text in
                guard let count = Int(text), count > 0 else { throw ValidationError("--benchmark-collections must be a positive number") }
                return count
            }
            command = PulseAgentCommand(
                options: options, once: parsed.booleans["once"] ?? false, benchmarkCollections: benchmark,
                selfTest: parsed.booleans["self-test"] ?? false)
            try await command.run()
        } catch let error as FlagParser.UsageError {
            usageFailure(error.description)
        } catch let error as ValidationError {
            usageFailure(error.description)
        } catch let error as ExitCode {
            Glibc.exit(error.code)
        } catch {
            FileDescriptorOutput.standardError.write("Error: \(error)\n")
            Glibc.exit(1)
        }
    }

    private static func usageFailure(_ message: String) -> Never {
        FileDescriptorOutput.standardError.write("Error: \(message)\nUsage: pulse-agent [options] (see --help)\n")
        Glibc.exit(2)
    }

    func run() async throws {
        var configuration = try options.resolve(environment: ProcessEnvironment.current()) { path in
            SystemRoot(path.hasPrefix("/") ? "/" : ".").read(path.hasPrefix("/") ? path : "/" + path)
        }
        if configuration.agentID == nil, let file = configuration.agentIDFile {
            configuration.agentID = try Self.agentID(kept: file)
        }
        let sensors = SensorReader(selection: configuration.sensors)
        let smart = SMARTCollector()
        let ceph = configuration.disableCeph ? CephCollector(runner: nil) : CephCollector.system(root: SystemRoot(configuration.hostRoot))
        let reporting = !once && !selfTest && benchmarkCollections == nil
        let stateDirectory = configuration.bufferDirectory ?? Self.defaultBufferDirectory()
        let collector = HostCollector(
            settings: .init(
                root: SystemRoot(configuration.hostRoot), intervalSeconds: configuration.intervalSeconds,
                hostname: configuration.hostname, agentID: configuration.agentID, tags: configuration.tags,
                diskExclude: configuration.diskExclude, cpuPerCore: configuration.cpuPerCore, reportIP: configuration.reportIP,
                updatedFrom: reporting ? SelfUpdater.consumeMarker(in: stateDirectory) : nil),
            sensors: sensors, smart: smart, ceph: ceph)
        if let count = benchmarkCollections {
            try await CollectionBenchmark(collector: collector, count: count).run()
            return
        }
        if selfTest {
            let checks = await SelfTest(configuration: configuration, collector: collector, sensors: sensors, smart: smart, ceph: ceph).run()
            for check in checks {
                FileDescriptorOutput.standardOutput.write("[\(check.verdict.rawValue)] \(check.name): \(check.detail)\n")
            }
            let failed = checks.filter { $0.verdict == .failed }.count
            FileDescriptorOutput.standardOutput.write(failed == 0 ? "self-test passed\n" : "self-test failed: \(failed) check(s)\n")
            if failed > 0 { throw ExitCode(1) }
            return
        }
        guard once else {
            try await report(configuration: configuration, collector: collector)
            return
        }
        let report = try await collector.collect()
        let json = try AgentJSONEncoder(pretty: true, sortedKeys: true).encode(report)
        FileDescriptorOutput.standardOutput.write(String(decoding: json, as: UTF8.self) + "\n")
    }

    /// The agent ID in `path`, or a new one written there (0600) when the file is missing or blank.
    static func agentID(kept path: String) throws -> String {
        if let kept = PrivateFile.read(path) { return kept }
        let identifier = PrivateFile.randomIdentifier()
        do {
            try PrivateFile.write(identifier, to: path)
        } catch {
            throw ValidationError("--agent-id-file: \(error)")
        }
        return identifier
    }
}
