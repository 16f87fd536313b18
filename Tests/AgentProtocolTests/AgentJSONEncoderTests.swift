import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

/// The agent's own JSON writer against Foundation's encoder (the one the server and earlier agents
/// used): the same values on the wire for every fixture, the same text for `--once`.
@Suite("AgentJSONEncoder: the agent's JSON writer")
struct AgentJSONEncoderTests {
    /// Both encodings of `value`: ours and Foundation's (agent configuration).
    private func both<T: Encodable>(_ value: T, pretty: Bool = false) throws -> (ours: [UInt8], foundation: [UInt8]) {
        let foundation = AgentJSON.makeEncoder()
        if pretty { foundation.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] }
        return (try AgentJSONEncoder(pretty: pretty, sortedKeys: pretty).encode(value), Array(try foundation.encode(value)))
    }

    private func encodings(_ fixture: Fixture, pretty: Bool = false) throws -> (ours: [UInt8], foundation: [UInt8]) {
        switch fixture {
        case .hostMaximal, .hostMinimal, .hostLegacy: try both(fixture.decode(as: HostReport.self), pretty: pretty)
        case .dockerMaximal, .dockerMinimal: try both(fixture.decode(as: DockerReport.self), pretty: pretty)
        case .kubernetesMaximal, .kubernetesMinimal: try both(fixture.decode(as: KubernetesReport.self), pretty: pretty)
        case .commandAckAliases: try both(fixture.decode(as: [CommandAck].self), pretty: pretty)
        }
    }

    @Test(arguments: Fixture.allCases)
    func everyFixtureEncodesToTheSameJSONValueAsFoundation(_ fixture: Fixture) throws {
        let (ours, foundation) = try encodings(fixture)
        let parsedOurs = try JSONSerialization.jsonObject(with: Data(ours)) as? NSObject
        let parsedFoundation = try JSONSerialization.jsonObject(with: Data(foundation)) as? NSObject
        #expect(parsedOurs != nil)
        #expect(parsedOurs == parsedFoundation)
    }

    @Test(arguments: Fixture.allCases)
    func prettySortedTextIsFoundationsByteForByte(_ fixture: Fixture) throws {
        let (ours, foundation) = try encodings(fixture, pretty: true)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
    }

    struct Sample: Encodable {
        var text = "a/b \"q\" \\ \n\t\u{1}é✓"
        var whole = 3.0
        var fraction = 0.1
        var tiny = 1e-7
        var huge = 1.5e300
        var negative = -42
        var unsigned: UInt64 = .max
        var flag = false
        var missing: String? = nil
        var present: Int? = 7
        var nested = ["z": [1, 2], "a": []]
        var when = Date(timeIntervalSince1970: 1_700_000_000.25)
    }

    @Test func scalarsEscapesAndOptionalsMatchFoundation() throws {
        let (ours, foundation) = try both(Sample())
        let text = String(decoding: ours, as: UTF8.self)
        #expect(text.contains(#""text":"a/b \"q\" \\ \n\t\u0001é✓""#), "slashes and non-ASCII raw, controls escaped")
        #expect(text.contains(#""whole":3,"#))
        #expect(text.contains(#""when":"2023-11-14T22:13:20.25Z""#))
        #expect(!text.contains("missing"), "nil optionals are left out")
        #expect(
            try JSONSerialization.jsonObject(with: Data(ours)) as? NSObject == JSONSerialization.jsonObject(with: Data(foundation)) as? NSObject)
        let (prettyOurs, prettyFoundation) = try both(Sample(), pretty: true)
        #expect(String(decoding: prettyOurs, as: UTF8.self) == String(decoding: prettyFoundation, as: UTF8.self))
    }

    @Test func nonFiniteNumbersAreRefusedNamingTheField() throws {
        struct Bad: Encodable { var value = Double.nan }
        #expect {
            try AgentJSONEncoder().encode(Bad())
        } throws: { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["value"]
        }
    }
}
