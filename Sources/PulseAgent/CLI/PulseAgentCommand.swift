import AgentProtocol
import ArgumentParser

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
/// This build collects host metrics; `--once` prints one report. Reporting to the server, the
/// on-disk buffer and the other collectors are the next steps of the agent work.
@main
struct PulseAgentCommand: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "pulse-agent",
        abstract: "Collects host, Docker and Kubernetes metrics and reports them to a Pulse server.",
        version: version)

    @OptionGroup var options: AgentOptions

    @Flag(help: "Collect one report, print it as JSON and exit.")
    var once = false

    /// Parses the (Go-style normalised) arguments and runs; a usage error exits with status 2.
    static func main() async {
        let arguments = AgentOptions.normalizeBooleanFlags(Array(CommandLine.arguments.dropFirst()))
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
        let configuration = try options.resolve(environment: ProcessInfo.processInfo.environment) { path in
            SystemRoot(path.hasPrefix("/") ? "/" : ".").read(path.hasPrefix("/") ? path : "/" + path)
        }
        let collector = HostCollector(
            settings: .init(
                root: SystemRoot(configuration.hostRoot), intervalSeconds: configuration.intervalSeconds,
                hostname: configuration.hostname, agentID: configuration.agentID, tags: configuration.tags,
                diskExclude: configuration.diskExclude))
        guard once else {
            FileDescriptorOutput.standardError.write(
                "pulse-agent \(Self.version): sending reports to a server is not built yet; use --once to print a report.\n")
            throw ExitCode(1)
        }
        let report = try await collector.collect()
        let encoder = AgentJSON.makeEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileDescriptorOutput.standardOutput.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
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
