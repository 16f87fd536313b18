import Foundation
import Testing

@testable import HistoryQuery
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Every metric the local history samples can be read from an engine: the mapping has an
/// expression for it, and each family the expression names is one `/metrics` exposes for the
/// same state, with the resource's local ID in its `id` label.
@Suite("History mapping against the demo estate's exposition")
struct HistoryMappingCoverageTests {
    @Test func everyMetricTheLocalHistorySamplesHasAnExpressionOverExposedFamilies() async throws {
        try await TestServer.with { server, client in
            _ = try await DemoModeTests.switchOn(client)
            server.time.advance(by: 4)
            await server.dependencies.demo.readIfDue()
            var snapshot = await server.dependencies.state.snapshot()
            // Proxmox disks get a temperature from a host agent on their node; the demo links none.
            try #require(snapshot.physicalDisks.count >= 2)
            snapshot.physicalDisks[0].temperature = 39
            let families = Dictionary(grouping: snapshot.expositionFamilies(), by: \.name).compactMapValues(\.first)
            let points = snapshot.metricPoints(at: 0)
            let sampled = Set(points.map { "\($0.series.resourceType) \($0.series.metric)" })
            for resourceType in ["node", "vm", "container", "host", "dockerHost", "dockerContainer", "storage", "disk"] {
                #expect(sampled.contains { $0.hasPrefix(resourceType + " ") }, "the demo estate samples no \(resourceType)")
            }
            for key in sampled.sorted() {
                let parts = key.split(separator: " ").map(String.init)
                let expression = try #require(HistoryMapping.expression(resourceType: parts[0], metric: parts[1]), "\(key) stays local")
                let text = expression.expression(matching: [])
                let named = text.matches(of: /pulse_[a-z_]+/).map { String($0.output) }
                #expect(!named.isEmpty, "\(key): \(text)")
                for name in named {
                    #expect(families[name] != nil, "\(key) reads \(name), which /metrics does not expose")
                }
            }
            // The disks' family carries the local history's IDs, of both kinds of disk.
            let diskIDs = Set(points.filter { $0.series.resourceType == "disk" }.map(\.series.resourceId))
            let exposedIDs = Set(
                families["pulse_disk_temperature_celsius"]?.samples.compactMap { $0.labels.first { $0.name == "id" }?.value } ?? [])
            #expect(!diskIDs.isEmpty && diskIDs == exposedIDs)
            #expect(diskIDs.contains { $0.hasPrefix("host:") } && diskIDs.contains { !$0.hasPrefix("host:") }, "\(diskIDs.sorted())")
        }
    }
}
