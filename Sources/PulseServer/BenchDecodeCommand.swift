import AgentProtocol
import ArgumentParser
import Foundation
import PulseCore

/// `pulse bench-decode` (hidden; `make bench`): how long decoding and validating one report
/// takes, away from the network and the load generator, for the report bodies given.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-decode", abstract: "Benchmark decoding agent reports.", shouldDisplay: false)

    @Option(help: "A host report body (JSON).") var host: String
    @Option(help: "A Docker report body (JSON).") var docker: String
    @Option(help: "Decodes per report kind.") var iterations = 20_000

    func run() throws {
        let hostBody = try [UInt8](Data(contentsOf: URL(fileURLWithPath: host)))
        let dockerBody = try [UInt8](Data(contentsOf: URL(fileURLWithPath: docker)))
        let decoder = AgentJSONDecoder()
        try measure("host", bytes: hostBody.count) { _ = try ReportValidation.validated(try decoder.decode(HostReport.self, from: hostBody)) }
        try measure("docker", bytes: dockerBody.count) {
            var report = try decoder.decode(DockerReport.self, from: dockerBody)
            try ReportValidation.validate(&report)
        }
        // The same body again from the same agent: what the server does with a report whose
        // containers did not change since the last one (see `ContainerReuse`).
        let previous = try dockerBody.withUnsafeBytes { try decoder.decodeDockerReport(from: $0, reusing: ContainerReuse()) }
        let reuse = ContainerReuse(containers: previous.report.containers, digests: previous.digests) ?? ContainerReuse()
        try measure("docker (containers unchanged since the last report)", bytes: dockerBody.count) {
            var (report, _) = try dockerBody.withUnsafeBytes { try decoder.decodeDockerReport(from: $0, reusing: reuse) }
            try ReportValidation.validate(&report)
        }
    }

    private func measure(_ name: String, bytes: Int, _ body: () throws -> Void) throws {
        for _ in 0..<(iterations / 10) { try body() }  // warm up
        let start = ContinuousClock.now
        for _ in 0..<iterations { try body() }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perReport = seconds / Double(iterations)
        print(
            "decode+validate \(name) report (\(bytes) bytes): \(String(format: "%.1f", perReport * 1e6)) us, "
                + "\(String(format: "%.0f", 1 / perReport)) reports/s on one core, \(String(format: "%.0f", Double(bytes) / perReport / 1e6)) MB/s")
    }
}
