import AgentProtocol
package import Foundation
package import Hummingbird
import NIOCore

/// Writes one flat JSON object straight into bytes.
///
/// For the replies to agent reports, sent thousands of times a second: `JSONEncoder` spent more
/// on its generic machinery than these few fields are worth. The output is what the server's
/// encoder writes for the same value (same keys, nil fields omitted, times in RFC 3339, slashes
/// unescaped); `AgentReplyJSONTests` compares the two.
package struct JSONObjectWriter {
    package private(set) var bytes: [UInt8] = []
    private var empty = true

    package init(capacity: Int = 160) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    package mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        JSONText.appendString(value, to: &bytes)
    }

    package mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    package mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    package mutating func field(_ name: StaticString, _ value: Date) {
        field(name, RFC3339.format(value) ?? "")
    }

    /// A field whose value is already JSON.
    package mutating func field(_ name: StaticString, json: [UInt8]) {
        key(name)
        bytes.append(contentsOf: json)
    }

    /// The finished object.
    consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }
}

/// A value that writes its own JSON body.
package protocol JSONWritable: Encodable, Sendable {
    func writeJSON() -> [UInt8]
}

/// A 200 response whose body a `JSONWritable` wrote.
package struct WrittenJSONResponse<Value: JSONWritable>: ResponseGenerator {
    package let value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(json: value.writeJSON())
    }
}

extension HostReportReply: JSONWritable {
    package func writeJSON() -> [UInt8] {
        var writer = JSONObjectWriter()
        writer.field("success", success)
        writer.field("hostId", hostId)
        writer.field("lastSeen", lastSeen)
        writer.field("platform", platform)
        writer.field("osName", osName)
        writer.field("osVersion", osVersion)
        // Rare (only hosts the server holds settings for): the encoder writes it.
        if let config, !config.isEmpty, let encoded = try? JSONBody.makeEncoder().encode(config) {
            writer.field("config", json: Array(encoded))
        }
        return writer.finish()
    }
}

extension DockerReportReply: JSONWritable {
    package func writeJSON() -> [UInt8] {
        var writer = JSONObjectWriter()
        writer.field("success", success)
        writer.field("hostId", hostId)
        writer.field("containers", containers)
        writer.field("lastSeen", lastSeen)
        if let commands {
            var list: [UInt8] = [UInt8(ascii: "[")]
            for (index, command) in commands.enumerated() {
                if index > 0 { list.append(UInt8(ascii: ",")) }
                if command.payload != nil {
                    // Payloads are free-form JSON values: the encoder writes them.
                    list.append(contentsOf: (try? JSONBody.makeEncoder().encode(command)).map(Array.init) ?? Array("null".utf8))
                    continue
                }
                var object = JSONObjectWriter(capacity: 64)
                object.field("id", command.id)
                object.field("type", command.type.rawValue)
                list.append(contentsOf: object.finish())
            }
            list.append(UInt8(ascii: "]"))
            writer.field("commands", json: list)
        }
        return writer.finish()
    }
}

extension KubernetesReportReply: JSONWritable {
    package func writeJSON() -> [UInt8] {
        var writer = JSONObjectWriter()
        writer.field("success", success)
        writer.field("clusterId", clusterId)
        writer.field("nodes", nodes)
        writer.field("pods", pods)
        writer.field("deployments", deployments)
        writer.field("lastSeen", lastSeen)
        return writer.finish()
    }
}
