import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

@Suite("Commands, acks and replies")
struct CommandTests {
    @Test func ackAliasesNormalise() throws {
        let acks: [CommandAck] = try Fixture.commandAckAliases.decode()
        #expect(
            acks.map(\.status) == [
                .acknowledged, .acknowledged, .inProgress, .completed, .completed, .completed,
                .failed, .failed, .failed,
            ])
        #expect(acks.allSatisfy { $0.hostId == "dockhand" })
        #expect(acks[6].message == "pull failed: manifest unknown")
        #expect(acks[2].payload == ["progress": 0.4])
        #expect(acks[3].payload?["containerId"]?.stringValue == "9f2b7c1e4d3a")
        #expect(acks[3].payload?["recreated"]?.boolValue == true)
        #expect(acks[7].payload == ["attempts": 3, "lastError": nil, "steps": ["pull", "stop"]])
        #expect(acks[7].payload?["attempts"]?.numberValue == 3)
        #expect(acks[0].payload == nil)
    }

    @Test func ackStatusEncodesCanonically() throws {
        let object = try encodeToObject(CommandAck(hostId: "h", status: .inProgress, message: "pulling"))
        #expect(object["status"] as? String == "in_progress")
        #expect(Set(object.keys) == ["hostId", "status", "message"])
        let aliased = try decode(CommandAck.self, #"{"hostId":"h","status":"success"}"#)
        #expect(try encodeToObject(aliased)["status"] as? String == "completed")
    }

    @Test(arguments: ["done", "ok", "acknowledge", "failure", "in-progress", "completed!"])
    func unknownAckStatusIsRejected(_ status: String) {
        #expect(throws: DecodingError.self) {
            try decode(CommandAck.self, #"{"hostId":"h","status":"\#(status)"}"#)
        }
    }

    @Test func ackStatusLikePulse() throws {
        // Pulse trims and lowercases before matching; an empty or missing status means acknowledged.
        #expect(CommandAckStatus(normalizing: "  SUCCESS ") == .completed)
        #expect(CommandAckStatus(normalizing: "Progress") == .inProgress)
        #expect(CommandAckStatus(normalizing: "") == .acknowledged)
        #expect(CommandAckStatus(normalizing: "nope") == nil)
        #expect(try decode(CommandAck.self, #"{"hostId":"h"}"#).status == .acknowledged)
    }

    @Test func dockerReplyWithCommand() throws {
        let reply = try decode(
            DockerReportReply.self,
            #"""
            {"success":true,"hostId":"dockhand","containers":4,"lastSeen":"2024-11-23T18:42:07.987654321+01:00",
             "commands":[{"id":"cmd-7f3a","type":"update_container","payload":{"containerId":"9f2b7c1e4d3a"}}]}
            """#)
        #expect(reply.success)
        #expect(reply.hostId == "dockhand")
        #expect(reply.containers == 4)
        #expect(sameMillisecond(reply.lastSeen, unixDate(1_732_383_727, millis: 988)))
        let command = try #require(reply.commands?.first)
        #expect(command.id == "cmd-7f3a")
        #expect(command.type == .updateContainer)
        #expect(command.payload?["containerId"] == "9f2b7c1e4d3a")
    }

    @Test func commandTypesAreOpenEnded() throws {
        let stop = try decode(AgentCommand.self, #"{"id":"c1","type":"stop"}"#)
        #expect(stop.type == .stop)
        #expect(stop.payload == nil)
        let future = try decode(AgentCommand.self, #"{"id":"c2","type":"prune_images"}"#)
        #expect(future.type.rawValue == "prune_images")
        #expect(AgentCommandType.checkUpdates.rawValue == "check_updates")
        let stopObject = try encodeToObject(AgentCommand(id: "c3", type: .stop))
        #expect(stopObject as? [String: String] == ["id": "c3", "type": "stop"])
    }

    @Test func hostReplyWithConfig() throws {
        let reply = try decode(
            HostReportReply.self,
            #"""
            {"success":true,"hostId":"atlas","lastSeen":"2024-11-23T17:42:07Z","platform":"linux",
             "osName":"Debian GNU/Linux","osVersion":"12","config":{"commandsEnabled":false}}
            """#)
        #expect(reply.config == HostAgentConfig(commandsEnabled: false))
        #expect(reply.platform == "linux")
        #expect(reply.lastSeen == unixDate(1_732_383_727))
        let bare = try decode(
            HostReportReply.self, #"{"success":true,"hostId":"atlas","lastSeen":"2024-11-23T17:42:07Z"}"#)
        #expect(bare.config == nil)
    }

    @Test func kubernetesReplyKeys() throws {
        let reply = KubernetesReportReply(
            clusterId: "homelab", nodes: 2, pods: 2, deployments: 1, lastSeen: unixDate(1_732_383_727))
        let object = try encodeToObject(reply)
        #expect(Set(object.keys) == ["success", "clusterId", "nodes", "pods", "deployments", "lastSeen"])
        #expect(object["pods"] as? Int == 2)
        let decoded = try AgentJSON.makeDecoder().decode(
            KubernetesReportReply.self, from: AgentJSON.makeEncoder().encode(reply))
        #expect(decoded == reply)
    }

    @Test func jsonValueRoundTrip() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", true, nil], "b": ["c": false]]
        let data = try AgentJSON.makeEncoder().encode(value)
        #expect(try AgentJSON.makeDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try decode(JSONValue.self, "true") == .bool(true))
        #expect(try decode(JSONValue.self, "1") == .number(1))
    }
}
