/// Server paths agents post to, relative to the server's base URL.
public enum AgentPaths {
    /// Host reports (scope `host-agent:report`).
    public static let hostReport = "/api/agents/host/report"
    /// Docker reports (scope `docker:report`).
    public static let dockerReport = "/api/agents/docker/report"
    /// Kubernetes reports (scope `kubernetes:report`).
    public static let kubernetesReport = "/api/agents/kubernetes/report"
    /// Docker command acks, with `{id}` standing for the command ID (scope `docker:report`).
    public static let dockerCommandAckPattern = "/api/agents/docker/commands/{id}/ack"

    /// A host agent's own unregistration (scope `host-agent:report`), body `{"hostId": …}`.
    public static let hostUninstall = "/api/agents/host/uninstall"

    /// The settings the server holds for one host, e.g. `/api/agents/host/abc/config`; the ID
    /// is percent-encoded except for unreserved characters.
    public static func hostConfig(hostID: String) -> String {
        var encoded = ""
        for byte in hostID.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                encoded.unicodeScalars.append("%")
                encoded.unicodeScalars.append(hex[Int(byte >> 4)])
                encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return "/api/agents/host/" + encoded + "/config"
    }

    private static let ackPrefix = "/api/agents/docker/commands/"
    private static let ackSuffix = "/ack"

    /// The ack path of one command, e.g. `/api/agents/docker/commands/abc123/ack`.
    public static func dockerCommandAck(commandID: String) -> String {
        ackPrefix + commandID + ackSuffix
    }

    /// The command ID in an ack path, or `nil` if `path` is not one.
    public static func commandID(fromAckPath path: String) -> String? {
        guard path.hasPrefix(ackPrefix), path.hasSuffix(ackSuffix),
            path.count > ackPrefix.count + ackSuffix.count
        else { return nil }
        let id = path.dropFirst(ackPrefix.count).dropLast(ackSuffix.count)
        return id.contains("/") ? nil : String(id)
    }
}
