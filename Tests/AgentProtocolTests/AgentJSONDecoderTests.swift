import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

/// The fast decoder must accept and produce exactly what Foundation's decoder (configured by
/// `AgentJSON.makeDecoder()`) does. These tests hold the two side by side.
@Suite("AgentJSONDecoder agrees with Foundation's JSONDecoder")
struct AgentJSONDecoderTests {
    func both<T: Decodable & Equatable>(_ type: T.Type, _ data: Data) -> (fast: Result<T, any Error>, foundation: Result<T, any Error>) {
        let fast = Result { try AgentJSONDecoder().decode(T.self, from: [UInt8](data)) }
        let foundation = Result { try AgentJSON.makeDecoder().decode(T.self, from: data) }
        return (fast, foundation)
    }

    func expectSame<T: Decodable & Equatable>(_ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (fast, foundation) = both(T.self, Data(json.utf8))
        switch (fast, foundation) {
        case (.success(let a), .success(let b)):
            #expect(a == b, sourceLocation: sourceLocation)
        case (.failure, .failure):
            break
        case (.success, .failure(let error)):
            Issue.record("fast decoder accepted what Foundation rejects (\(error)): \(json)", sourceLocation: sourceLocation)
        case (.failure(let error), .success):
            Issue.record("fast decoder rejected what Foundation accepts (\(error)): \(json)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [Fixture.hostMaximal, .hostMinimal, .hostLegacy])
    func hostFixtures(_ fixture: Fixture) throws {
        let (fast, foundation) = both(HostReport.self, try fixture.data())
        #expect(try fast.get() == foundation.get())
    }

    @Test(arguments: [Fixture.dockerMaximal, .dockerMinimal])
    func dockerFixtures(_ fixture: Fixture) throws {
        let (fast, foundation) = both(DockerReport.self, try fixture.data())
        #expect(try fast.get() == foundation.get())
    }

    @Test(arguments: [Fixture.kubernetesMaximal, .kubernetesMinimal])
    func kubernetesFixtures(_ fixture: Fixture) throws {
        let (fast, foundation) = both(KubernetesReport.self, try fixture.data())
        #expect(try fast.get() == foundation.get())
    }

    @Test func commandAcks() throws {
        let (fast, foundation) = both([CommandAck].self, try Fixture.commandAckAliases.data())
        #expect(try fast.get() == foundation.get())
    }

    @Test func stringsWithEscapesAndUnicode() throws {
        let json =
            #"{"agent":{"id":"a"},"host":{"hostname":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t","osName":"Ünïcødé"},"tags":["\u0041B"],"timestamp":"2025-01-01T00:00:00Z"}"#
        let report = try AgentJSONDecoder().decode(HostReport.self, from: Array(json.utf8))
        #expect(report.host.hostname == "café 😀 \"q\" \\ / \n\t")
        #expect(report.host.osName == "Ünïcødé")
        #expect(report.tags == ["AB"])
        expectSame(HostReport.self, json)
    }

    /// Go's decoder turns a lone surrogate into U+FFFD; so does this one (Foundation refuses the document).
    @Test func rawInvalidUTF8IsRefusedWhileASCIIAndValidUTF8AreRead() throws {
        let valid = Array(#"{"host":{"hostname":"plain-ascii","osName":"Ünïcødé"}}"#.utf8)
        let report = try AgentJSONDecoder().decode(HostReport.self, from: valid)
        #expect(report.host.hostname == "plain-ascii" && report.host.osName == "Ünïcødé")
        let invalid = Array(#"{"host":{"hostname":"bad"#.utf8) + [0xFF, 0xC3] + Array(#""}}"#.utf8)
        #expect(throws: DecodingError.self) { try AgentJSONDecoder().decode(HostReport.self, from: invalid) }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        let report = try AgentJSONDecoder().decode(HostReport.self, from: Array(#"{"host":{"hostname":"x\ud800y"}}"#.utf8))
        #expect(report.host.hostname == "x\u{FFFD}y")
    }

    /// Foundation checks some syntax only in the fields it decodes; this decoder checks the whole
    /// document against RFC 8259, as Go's encoder always satisfies it.
    @Test(arguments: [#"{"host":{"hostname":"n"},}"#, #"{"a":"\x"}"#, #"{"a":-}"#, #"{"a":1.}"#, #"{"a":1e}"#])
    func malformedJSONIsRefusedEvenWhereFoundationIsLenient(json: String) {
        #expect(throws: DecodingError.self) { try AgentJSONDecoder().decode(HostReport.self, from: Array(json.utf8)) }
    }

    @Test(arguments: [
        #"{"host":{"hostname":"n","cpuCount":1e1,"uptimeSeconds":-0}}"#,
        #"{"host":{"hostname":"n","cpuCount":1.5}}"#,
        #"{"host":{"hostname":"n","cpuCount":99999999999999999999}}"#,
        #"{"host":{"hostname":"n","uptimeSeconds":9223372036854775807}}"#,
        #"{"host":{"hostname":"n","uptimeSeconds":-9223372036854775808}}"#,
        #"{"host":{"hostname":"n"},"diskIO":[{"device":"a","readBytes":18446744073709551615}]}"#,
        #"{"host":{"hostname":"n"},"diskIO":[{"device":"a","readBytes":-1}]}"#,
        #"{"host":{"hostname":"n"},"metrics":{"cpuUsagePercent":1.25e1,"memory":{}}}"#,
        #"{"host":{"hostname":"n"},"metrics":{"cpuUsagePercent":"high"}}"#,
        #"{"host":{"hostname":"n"},"metrics":{"cpuUsagePercent":null,"memory":null}}"#,
        #"{"host":{"hostname":"n"},"disks":null,"network":null,"tags":null,"sensors":null}"#,
        #"{"host":{"hostname":5}}"#,
        #"{"host":{"hostname":"n"},"timestamp":"yesterday"}"#,
        #"{"host":{"hostname":"n"},"timestamp":"2025-06-15T12:00:00.123456789+02:00"}"#,
        #"{"timestamp":"2025-06-15T12:00:00Z","tags":["a"],"host":{"displayName":"d","hostname":"out of order"},"agent":{"version":"1","id":"x"}}"#,
        #"{"host":{"hostname":"n","unknown":{"deep":[1,2,{"x":[null,true,false,"s"]}]}},"extra":[[],[{}]]}"#,
        #"[]"#, #"null"#, #"{"host":[]}"#, #""#, #"{"#, #"{"host":{"hostname":"n"}} x"#,
        #"{"host":{"hostname":"n","cpuCount":01}}"#, #"{host:1}"#, "{\"host\":{\"hostname\":\"tab\tinside\"}}", #"{"a":tru}"#,
        #"{"a":"\u12"}"#, #"{"a":.5}"#,
        #"{"host":{"hostname":"n","loadAverage":[0.5,"x"]}}"#,
        #"{"host":{"hostname":"n","loadAverage":[0.5,null]}}"#,
        #"{"host":{"hostname":"n","loadAverage":[1,2e0,-3.5]}}"#,
        #"{"host":{"hostname":"n"},"tags":["a",null]}"#,
        #"{"host":{"hostname":"n"},"sensors":{"temperatureCelsius":{"cpu":40,"cpu":50,"nvme0":null}}}"#,
        #"{"host":{"hostname":"n"},"sensors":{"temperatureCelsius":{"cpu":40.5,"gpu":"hot"}}}"#,
        #"{"host":{"hostname":"n"},"sensors":{"fanRpm":{"a":1},"smart":[{"device":"/dev/sda","temperature":null,"attributes":null}]}}"#,
        #"{"host":{"hostname":"n"},"sensors":{"smart":[{"device":"/dev/sda","temperature":1.5}]}}"#,
        #"{"host":{"hostname":"n"},"disks":[{"usage":"full"}]}"#,
        #"{"host":{"hostname":"n"},"disks":[null]}"#,
        #"{"host":{"hostname":"n"},"network":[{"name":"e","addresses":"1.2.3.4"}]}"#,
        #"{"host":{"hostname":"n"},"metrics":{"cpuPerCorePercent":[1,2],"memory":{"usage":null,"totalBytes":1.0}}}"#,
        #"{"host":{"hostname":"n"},"agent":{"id":"a","commandsEnabled":"yes"}}"#,
        #"{"host":{"hostname":"n"},"sequenceId":7}"#,
    ])
    func edgeCasesMatchFoundation(json: String) {
        expectSame(HostReport.self, json)
    }

    /// The Docker report's own fast path (arrays, string maps, string lists, dates read in place).
    @Test(arguments: [
        #"{"host":{"hostname":"d"},"containers":null,"timestamp":null}"#,
        #"{"host":{"hostname":"d"},"containers":{}}"#,
        #"{"host":{"hostname":"d"},"containers":[null]}"#,
        #"{"host":{"hostname":"d"},"containers":[1]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","ports":[null]}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","ports":[{"privatePort":80},{"privatePort":"x"}]}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","ports":{}}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","labels":{"k":1}}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","labels":{"k":null}}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","labels":{"k":"v","k":"w","é":"è"}}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","env":["A=1",null]}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","env":["A=1","B=2"]}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","env":"A=1"}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","networks":[{"name":"n"},[]]}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","createdAt":"2025-06-01T10:00:00.5+02:00","startedAt":null}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","createdAt":"2025-06-01T10:00:00Z"}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","createdAt":"2025-02-30T10:00:00Z"}]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"id":"a","finishedAt":12}]}"#,
        #"{"host":{"hostname":"d"},"timestamp":"2025-06-15T12:00:07.123456Z","agent":null}"#,
        #"{"host":{"hostname":"d"},"timestamp":"2025-06-15 12:00:07Z"}"#,
        #"{"host":null,"containers":[]}"#,
        #"{"host":{"hostname":"d"},"containers":[{"\u0069d":"a","st\u0061te":"running","":"empty key","image":"i"}]}"#,
        #"{"containers":[{"image":"i","id":"out of order","name":"n"}],"host":{"hostname":"d"}}"#,
    ])
    func dockerEdgeCasesMatchFoundation(json: String) {
        expectSame(DockerReport.self, json)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let json = #"{"host":{"hostname":"n","x":"# + deep + "}}"
        #expect(throws: DecodingError.self) { try AgentJSONDecoder().decode(HostReport.self, from: Array(json.utf8)) }
    }

    @Test func errorsNameTheFieldPath() {
        let json = #"{"host":{"hostname":"n"},"containers":[{"id":"a","cpuPercent":"x"}]}"#
        do {
            _ = try AgentJSONDecoder().decode(DockerReport.self, from: Array(json.utf8))
            Issue.record("accepted a string cpuPercent")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["containers", "0", "cpuPercent"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// The fast path keeps no coding path while it reads; the error still names the whole path.
    @Test(arguments: [
        (#"{"host":{"hostname":"d"},"containers":[{"id":"a"},{"id":"b","ports":[{"privatePort":"x"}]}]}"#, "containers.1.ports.0.privatePort"),
        (#"{"host":{"hostname":"d","memory":{"usage":"x"}},"containers":[]}"#, "host.memory.usage"),
        (#"{"host":{"hostname":"d"},"containers":[{"id":"a","labels":{"k":3}}]}"#, "containers.0.labels.k"),
        (#"{"host":{"hostname":"d"},"containers":[{"id":"a","blockIo":{"readBytes":-1}}]}"#, "containers.0.blockIo.readBytes"),
    ])
    func nestedErrorsNameTheFieldPath(json: String, path: String) {
        do {
            _ = try AgentJSONDecoder().decode(DockerReport.self, from: Array(json.utf8))
            Issue.record("accepted \(json)")
        } catch let error as DecodingError {
            let context: DecodingError.Context? =
                switch error {
                case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context): context
                case .keyNotFound(_, let context): context
                @unknown default: nil
                }
            #expect(context?.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") == path)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func hostErrorsNameTheFieldPath() {
        let json = #"{"host":{"hostname":"n"},"sensors":{"smart":[{"device":"/dev/sda","temperature":"hot"}]}}"#
        do {
            _ = try AgentJSONDecoder().decode(HostReport.self, from: Array(json.utf8))
            Issue.record("accepted a string temperature")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["sensors", "smart", "0", "temperature"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Random byte damage to real reports: never a crash, and never a different value from Foundation.
    @Test func damagedReportsNeverCrashAndNeverDisagreeOnValues() throws {
        let original = [UInt8](try Fixture.dockerMaximal.data())
        var generator = SeededGenerator(seed: 0x5EED)
        let replacements = Array(#"{}[]",:0123456789-.eE"\ntrufalsn"#.utf8) + [0x00, 0xFF, 0xC3]
        var bothAccepted = 0
        for _ in 0..<400 {
            var damaged = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = replacements.randomElement(using: &generator)!
            }
            let fast = try? AgentJSONDecoder().decode(DockerReport.self, from: damaged)
            let foundation = try? AgentJSON.makeDecoder().decode(DockerReport.self, from: Data(damaged))
            if let fast, let foundation {
                #expect(fast == foundation)
                bothAccepted += 1
            }
        }
        #expect(bothAccepted > 20, "the damage left some documents valid, so values were compared")
    }
}

/// A small deterministic generator (SplitMix64) so the damage test is repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
