#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
