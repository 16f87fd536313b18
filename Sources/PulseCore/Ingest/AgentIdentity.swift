package import AgentProtocol
import Crypto
import Foundation
import PulseSupport

/// How agents are turned into stable resource IDs (Pulse v5's rules, so IDs carry over).
package enum AgentIdentity {
    /// Lowercases, keeps letters and digits, turns every other run of characters into one `-`,
    /// caps at 48 characters and trims `-` from both ends.
    static func sanitize(_ value: String?) -> String {
        guard let value else { return "" }
        var out = ""
        var pendingDash = false
        for character in value.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(character)
            } else {
                pendingDash = true
            }
        }
        var capped = out.prefix(48)
        while capped.last == "-" { capped.removeLast() }
        return String(capped)
    }

    /// The host ID a report asks for: sanitised `host.id`, else machine ID, else agent ID, else
    /// hostname; `host-` plus a hash when none of them survives sanitising.
    static func hostBaseID(_ report: HostReport) -> String {
        for candidate in [report.host.id, report.host.machineId, report.agent.id, report.host.hostname] {
            let sanitized = sanitize(candidate)
            if !sanitized.isEmpty { return sanitized }
        }
        let seed = [report.host.machineId ?? "", report.agent.id, report.host.hostname].joined(separator: "|")
        return "host-" + String(sha1Hex(seed).prefix(12))
    }

    /// The ID given when the base ID belongs to another machine.
    static func hostCollisionID(base: String, tokenID: String?, hostname: String) -> String {
        String(base.prefix(40)) + "-" + String(sha1Hex("\(tokenID ?? "")|\(hostname)|\(base)").prefix(8))
    }

    /// A cluster's ID: `cluster.id`, else the agent ID, else a hash of where it lives.
    package static func clusterID(_ report: KubernetesReport) -> String {
        if !report.cluster.id.isEmpty { return report.cluster.id }
        if !report.agent.id.isEmpty { return report.agent.id }
        let seed = [report.cluster.server ?? "", report.cluster.context ?? "", report.cluster.name ?? ""].joined(separator: "|")
        return SHA256.hash(data: Data(seed.utf8)).hexString
    }

    static func sha1Hex(_ text: String) -> String {
        Insecure.SHA1.hash(data: Data(text.utf8)).hexString
    }

    /// The short form of a hostname (`pve1.lab.example` → `pve1`), lowercased.
    static func shortName(_ hostname: String) -> String {
        String(hostname.lowercased().split(separator: ".", maxSplits: 1).first ?? "")
    }
}
