import AgentProtocol
import ArgumentParser
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `pulse-agent`: runs on each monitored machine and reports to the Pulse server.
///
/// It reports the host (with sensors, SMART, RAID, ZFS and Ceph), Docker or Podman containers and
/// a Kubernetes cluster, each in its own loop with an on-disk buffer for outages, serves health
/// pages and updates itself. `--once` prints one host report instead; `--self-test` checks it all.
@main
struct PulseAgentCommand: AsyncParsableCommand {
    static let version = "0.1.0"
    /// What the agent sends as its HTTP User-Agent.
    static var userAgent: String { "pulse-agent/\(version)" }
    static let configuration = CommandConfiguration(
        commandName: "pulse-agent",
        abstract: "Collects host, Docker and Kubernetes metrics and reports them to a Pulse server.",
        version: version)

    @OptionGroup var options: AgentOptions

    @Flag(help: "Collect one report, print it as JSON and exit.")
    var once = false

    @Option(
        name: .customLong("benchmark-collections"),
        help: ArgumentHelp(
            "Collect this many host reports back to back, print CPU time per collection and RSS, and exit (make bench).", visibility: .hidden))
    var benchmarkCollections: Int?

    @Flag(name: .customLong("self-test"), help: "Check each collector and the server connection, print a verdict and exit.")
    var selfTest = false

    /// Parses the arguments (Go's forms rewritten, unknown options dropped with a warning) and
    /// runs; a bad value exits with status 2.
    static func main() async {
        let rewritten = GoArguments.rewrite(Array(CommandLine.arguments.dropFirst()))
        for warning in rewritten.warnings { FileDescriptorOutput.standardError.write("warning: \(warning)\n") }
        let arguments = rewritten.arguments
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileDescriptorOutput.standardError.write(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }

    func run() async throws {
        var configuration = try options.resolve(environment: ProcessInfo.processInfo.environment) { path in
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
