import AgentProtocol
import Foundation
import Testing

/// Decoding a Docker report with the previous report's containers to reuse must give exactly
/// what decoding it from scratch gives, whatever changed in between.
@Suite("Docker reports decoded with the previous report's containers")
struct ContainerReuseTests {
    /// The maximal fixture as a mutable JSON object.
    func base() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Fixture.dockerMaximal.data()) as? [String: Any])
    }

    func bytes(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    func decodeReusing(_ json: [UInt8], _ previous: ContainerReuse) throws -> (report: DockerReport, digests: ContainerDigests) {
        try json.withUnsafeBytes { try AgentJSONDecoder().decodeDockerReport(from: $0, reusing: previous) }
    }

    /// Decodes `json` with and without `previous`, expects the same report, returns the pair.
    func expectSameAsFresh(_ json: [UInt8], reusing previous: ContainerReuse, sourceLocation: SourceLocation = #_sourceLocation) throws -> (
        reuse: ContainerReuse, reused: Int
    ) {
        let fresh = try AgentJSONDecoder().decode(DockerReport.self, from: json)
        let (report, digests) = try decodeReusing(json, previous)
        #expect(report == fresh, sourceLocation: sourceLocation)
        #expect(digests.count == fresh.containers.count, sourceLocation: sourceLocation)
        return (try #require(ContainerReuse(containers: report.containers, digests: digests)), digests.reused)
    }

    @Test func anUnchangedReportReusesEveryContainerAndAChangedContainerIsReadAgain() throws {
        var object = try base()
        let first = try expectSameAsFresh(try bytes(object), reusing: ContainerReuse())
        #expect(first.reused == 0)
        let count = first.reuse.containers.count
        #expect(count == 4)

        // Only the report's timestamp moves: every container is taken over.
        object["timestamp"] = "2031-01-01T00:00:00Z"
        let same = try expectSameAsFresh(try bytes(object), reusing: first.reuse)
        #expect(same.reused == count)

        // One container's CPU changes (a member that moves every heartbeat): taken over with the
        // new value. Another one's image changes: that one is read whole.
        var containers = try #require(object["containers"] as? [[String: Any]])
        containers[1]["cpuPercent"] = 77.25
        object["containers"] = containers
        let cpuMoved = try expectSameAsFresh(try bytes(object), reusing: same.reuse)
        #expect(cpuMoved.reused == count)
        containers[2]["image"] = "registry.example/other:2"
        object["containers"] = containers
        let oneChanged = try expectSameAsFresh(try bytes(object), reusing: cpuMoved.reuse)
        #expect(oneChanged.reused == count - 1)
        let (report, _) = try decodeReusing(try bytes(object), cpuMoved.reuse)
        #expect(report.containers[1].cpuPercent == 77.25)
        #expect(report.containers[2].image == "registry.example/other:2")

        // Reordered, one removed: matched wherever they are.
        object["containers"] = Array(containers.reversed().dropFirst())
        let reordered = try expectSameAsFresh(try bytes(object), reusing: oneChanged.reuse)
        #expect(reordered.reused == count - 1)
    }

    /// The digest covers the kinds of values, not only their bytes: an empty object and an empty
    /// array in the same place must not match, or a report that cannot be decoded would be
    /// accepted with the previous report's value.
    @Test func aValueOfAnotherKindIsNeverTakenOver() throws {
        let previous = Array(#"{"agent":{"id":"a"},"host":{"hostname":"h"},"containers":[{"id":"c1","labels":{}}]}"#.utf8)
        let (report, digests) = try decodeReusing(previous, ContainerReuse())
        let reuse = try #require(ContainerReuse(containers: report.containers, digests: digests))
        let wrongKind = Array(#"{"agent":{"id":"a"},"host":{"hostname":"h"},"containers":[{"id":"c1","labels":[]}]}"#.utf8)
        #expect(throws: DecodingError.self) { try AgentJSONDecoder().decode(DockerReport.self, from: wrongKind) }
        #expect(throws: DecodingError.self) { try decodeReusing(wrongKind, reuse) }
        // Same bytes between the first and last scalar, other structure.
        let nested = Array(#"{"agent":{"id":"a"},"host":{"hostname":"h"},"containers":[{"id":"c1","labels":{"k":"v"}}]}"#.utf8)
        let (withLabel, _) = try decodeReusing(nested, reuse)
        #expect(withLabel.containers[0].labels == ["k": "v"])
    }

    /// Many random edits in a row, each decoded with the previous result to reuse: always the
    /// same as a fresh decode.
    @Test func randomEditsAlwaysDecodeAsFresh() throws {
        var generator = SeededGenerator(seed: 24)
        var object = try base()
        var reuse = ContainerReuse()
        var reusedTotal = 0
        for round in 0..<300 {
            var containers = try #require(object["containers"] as? [[String: Any]])
            switch Int.random(in: 0..<9, using: &generator) {
            case 6 where !containers.isEmpty:
                // A member that changes between heartbeats gets another valid value or goes away.
                let index = Int.random(in: 0..<containers.count, using: &generator)
                let (field, values) = Self.changingValues[Int.random(in: 0..<Self.changingValues.count, using: &generator)]
                containers[index][field] = Bool.random(using: &generator) ? values.randomElement(using: &generator) : nil
            case 7 where !containers.isEmpty:
                // A member that does not: the container must be read whole again.
                let index = Int.random(in: 0..<containers.count, using: &generator)
                containers[index]["image"] = "registry.example/app:\(round)"
            case 0 where !containers.isEmpty:
                let index = Int.random(in: 0..<containers.count, using: &generator)
                containers[index]["cpuPercent"] = Double(Int.random(in: 0..<10_000, using: &generator)) / 100
            case 1 where !containers.isEmpty:
                let index = Int.random(in: 0..<containers.count, using: &generator)
                var labels = containers[index]["labels"] as? [String: String] ?? [:]
                labels["k\(round % 3)"] = "v\(round)"
                containers[index]["labels"] = labels
            case 2:
                containers.shuffle(using: &generator)
            case 3 where containers.count > 1:
                containers.remove(at: Int.random(in: 0..<containers.count, using: &generator))
            case 4 where !containers.isEmpty:
                var copy = containers[Int.random(in: 0..<containers.count, using: &generator)]
                copy["id"] = "copy-\(round)"
                containers.append(copy)
            case 5 where !containers.isEmpty:
                let index = Int.random(in: 0..<containers.count, using: &generator)
                containers[index]["ports"] = Bool.random(using: &generator) ? [] : NSNull()
            default:
                object["timestamp"] = "2030-01-01T00:00:\(String(format: "%02d", round % 60))Z"
            }
            object["containers"] = containers
            let step = try expectSameAsFresh(try bytes(object), reusing: reuse)
            reuse = step.reuse
            reusedTotal += step.reused
        }
        #expect(reusedTotal > 300, "unchanged containers are taken over (\(reusedTotal))")
    }

    /// Valid values for every member read again over a taken-over container (never mutated).
    nonisolated(unsafe) static let changingValues: [(String, [Any])] = [
        ("cpuPercent", [0.5, 99.75]), ("memoryUsageBytes", [1, 123_456_789]), ("memoryLimitBytes", [0, 1 << 30]),
        ("memoryPercent", [12.5, 150.0]), ("uptimeSeconds", [0, 86_400]), ("restartCount", [0, 7]), ("exitCode", [0, 137]),
        ("state", ["running", "exited"]), ("status", ["Up 3 days", "Exited (137) 2 minutes ago"]), ("health", ["healthy", "unhealthy"]),
        ("startedAt", ["2030-01-01T00:00:00Z", "2030-02-03T04:05:06.789Z"]), ("finishedAt", ["2030-01-02T00:00:00Z"]),
        ("writableLayerBytes", [0, 4096]), ("rootFilesystemBytes", [1 << 20]),
        ("blockIo", [["readBytes": 1, "writeBytes": 2], ["readBytes": 99]]),
    ]

    @Test func aContainerWhoseChangingMembersMovedIsTakenOverWithTheirNewValues() throws {
        var object = try base()
        let first = try expectSameAsFresh(try bytes(object), reusing: ContainerReuse())
        var containers = try #require(object["containers"] as? [[String: Any]])
        for (field, values) in Self.changingValues {
            containers[0][field] = values.last
        }
        object["containers"] = containers
        let moved = try expectSameAsFresh(try bytes(object), reusing: first.reuse)
        #expect(moved.reused == containers.count, "only changing members moved: every container is taken over")
        let (report, _) = try decodeReusing(try bytes(object), first.reuse)
        #expect(report.containers[0].state == "exited")
        #expect(report.containers[0].blockIo?.readBytes == 99)
    }

    @Test func digestsOfAnotherReportDoNotFitItsContainers() throws {
        let json = try bytes(try base())
        let (report, digests) = try decodeReusing(json, ContainerReuse())
        #expect(ContainerReuse(containers: Array(report.containers.dropLast()), digests: digests) == nil)
    }
}
