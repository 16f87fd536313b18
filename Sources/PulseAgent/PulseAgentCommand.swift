import ArgumentParser

/// `pulse-agent`: runs on each monitored machine and reports to the Pulse server.
///
/// Only `--version` works in this build; collection and reporting are the next milestone.
@main
struct PulseAgentCommand: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "pulse-agent",
        abstract: "Collects host, Docker and Kubernetes metrics and reports them to a Pulse server.",
        version: version)

    func run() throws {
        print("pulse-agent \(Self.version): collection and reporting are not built yet; use --version.")
        throw ExitCode(2)
    }
}
