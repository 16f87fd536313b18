import AgentProtocol
import Foundation
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The written replies must say exactly what the server's JSON encoder says for the same value.
@Suite("Agent report replies written without JSONEncoder")
struct AgentReplyJSONTests {
    func sameAsEncoder(_ value: some JSONWritable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = value.writeJSON()
        let encoded = try JSONBody.makeEncoder().encode(value)
        let fromWriter = try JSONSerialization.jsonObject(with: Data(written)) as? NSDictionary
        let fromEncoder = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(fromWriter != nil && fromWriter == fromEncoder, "\(String(decoding: written, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    static let awkward = "we\"ird\\ \u{01}\n\t/é – 💾"
    static let seen = Date(timeIntervalSince1970: 1_750_000_000.123456)

    @Test func hostRepliesMatch() throws {
        try sameAsEncoder(HostReportReply(hostId: "h1", lastSeen: Self.seen))
        try sameAsEncoder(
            HostReportReply(
                hostId: Self.awkward, lastSeen: Self.seen, platform: "linux", osName: Self.awkward, osVersion: "12",
                config: HostAgentConfig(commandsEnabled: true)))
    }

    @Test func dockerRepliesMatch() throws {
        try sameAsEncoder(DockerReportReply(hostId: "d1", containers: 20, lastSeen: Self.seen))
        try sameAsEncoder(DockerReportReply(hostId: Self.awkward, containers: 0, lastSeen: Self.seen, commands: []))
        try sameAsEncoder(
            DockerReportReply(
                hostId: "d1", containers: 3, lastSeen: Self.seen,
                commands: [
                    AgentCommand(id: "c1", type: .stop),
                    AgentCommand(id: Self.awkward, type: .updateContainer, payload: ["containerId": .string("abc")]),
                ]))
    }

    @Test func kubernetesRepliesMatch() throws {
        try sameAsEncoder(KubernetesReportReply(clusterId: Self.awkward, nodes: 3, pods: 120, deployments: 9, lastSeen: Self.seen))
    }

    @Test func controlCharactersAreEscaped() {
        var bytes: [UInt8] = []
        JSONText.appendString("a\u{1F}b\u{0}", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\u001fb\u0000""#)
    }
}
