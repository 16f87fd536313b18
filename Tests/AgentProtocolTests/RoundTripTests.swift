import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

@Suite("Round trips")
struct RoundTripTests {
    /// decode → encode → decode gives an equal value, for every fixture.
    @Test(arguments: Fixture.allCases)
    func decodeEncodeDecode(_ fixture: Fixture) throws {
        switch fixture {
        case .hostMaximal, .hostMinimal, .hostLegacy: try roundTrip(HostReport.self, fixture)
        case .dockerMaximal, .dockerMinimal: try roundTrip(DockerReport.self, fixture)
        case .kubernetesMaximal, .kubernetesMinimal: try roundTrip(KubernetesReport.self, fixture)
        case .commandAckAliases: try roundTrip([CommandAck].self, fixture)
        }
    }

    /// Re-encoding keeps every key of the fixture: none is unmodelled (silently dropped) or misspelt.
    @Test(arguments: Fixture.allCases.filter { $0 != .hostLegacy })
    func everyKeySurvives(_ fixture: Fixture) throws {
        let original = try JSONSerialization.jsonObject(with: fixture.data())
        let reencoded: Data =
            switch fixture {
            case .hostMaximal, .hostMinimal, .hostLegacy: try reencode(HostReport.self, fixture)
            case .dockerMaximal, .dockerMinimal: try reencode(DockerReport.self, fixture)
            case .kubernetesMaximal, .kubernetesMinimal: try reencode(KubernetesReport.self, fixture)
            case .commandAckAliases: try reencode([CommandAck].self, fixture)
            }
        let originalPaths = keyPaths(of: original)
        let encodedPaths = keyPaths(of: try JSONSerialization.jsonObject(with: reencoded))
        #expect(originalPaths.subtracting(encodedPaths).sorted() == [], "keys lost on re-encoding")
        #expect(encodedPaths.subtracting(originalPaths).sorted() == [], "keys added on re-encoding")
        #expect(originalPaths.count > 2)
    }

    /// The legacy fixture's `null` keys are dropped (they decode as nil/empty); everything else survives.
    @Test func legacyNullsAreDropped() throws {
        let original = keyPaths(of: try JSONSerialization.jsonObject(with: Fixture.hostLegacy.data()))
        let encoded = keyPaths(of: try JSONSerialization.jsonObject(with: reencode(HostReport.self, .hostLegacy)))
        #expect(
            original.subtracting(encoded).sorted() == [
                "diskIO", "disks", "host.loadAverage", "network",
                "sensors.additional", "sensors.fanRpm", "sensors.temperatureCelsius", "tags",
            ])
        // Non-optional `devices: null` comes back as an empty array.
        #expect(encoded.subtracting(original).isEmpty)
        let legacy = try encodeToObject(Fixture.hostLegacy.decode(as: HostReport.self))
        let raid = try #require(legacy["raid"] as? [[String: Any]])
        #expect((raid[0]["devices"] as? [Any])?.isEmpty == true)
    }

    @Test func timestampsAreNormalisedToUTC() throws {
        let object = try encodeToObject(Fixture.hostMaximal.decode(as: HostReport.self))
        // Written "2024-11-23T18:42:07.123456789+01:00" by Go; Date keeps microseconds.
        #expect(object["timestamp"] as? String == "2024-11-23T17:42:07.123457Z")
    }

    private func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ fixture: Fixture) throws {
        let decoded: T = try fixture.decode()
        let again = try AgentJSON.makeDecoder().decode(T.self, from: AgentJSON.makeEncoder().encode(decoded))
        #expect(again == decoded)
    }

    private func reencode<T: Codable>(_ type: T.Type, _ fixture: Fixture) throws -> Data {
        try AgentJSON.makeEncoder().encode(fixture.decode(as: T.self))
    }
}
