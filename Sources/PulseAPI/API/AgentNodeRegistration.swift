import AgentProtocol
import HTTPTypes
package import PulseCore

/// What a host agent's own token may register through `POST /api/auto-register`
/// (`pulse-agent --enable-proxmox`), without `settings:write`: only the Proxmox node of a host
/// it reports as.
///
/// - the token carries `host-agent:report` (else the route's `settings:write` is required);
/// - a host reporting with this token is named `serverName` (full or short name, any case);
/// - the node's address is that host's name, its `--report-ip` or one of its interface addresses.
///
/// So a token can register at most one node per product for each host it reports, and never a
/// node at another machine's address: a stolen agent token cannot point Pulse at a host of its
/// choosing or replace the credentials of another node.
package enum AgentNodeRegistration {
    /// Throws 409 when no host reports with the token yet, 403 naming the field otherwise.
    package static func check(tokenID: String, serverName: String?, host: String, hosts: [HostView]) throws {
        let own = hosts.filter { $0.tokenId == tokenID }
        guard !own.isEmpty else {
            throw APIError(
                .conflict, code: .hostNotReporting,
                message: "No host reports with this token yet: the agent registers its node after its first host report")
        }
        let name = (serverName ?? "").lowercased()
        func names(_ view: HostView) -> Set<String> {
            let full = view.hostname.lowercased()
            return [full, String(full.split(separator: ".").first ?? Substring(full))]
        }
        guard !name.isEmpty, let reporter = own.first(where: { names($0).contains(name) }) else {
            throw APIError(
                .forbidden, code: .forbidden, message: "An agent token registers only the node of a host it reports as",
                details: ["field": "serverName"])
        }
        var addresses = names(reporter)
        if let reportIP = reporter.reportIp { addresses.insert(reportIP.lowercased()) }
        for interface in reporter.networkInterfaces ?? [] {
            for address in interface.addresses ?? [] { addresses.insert(String(address.split(separator: "/")[0]).lowercased()) }
        }
        guard addresses.contains(addressPart(of: host)) else {
            throw APIError(
                .forbidden, code: .forbidden,
                message: "An agent token registers only its own host's address (its name, report IP or an interface address)",
                details: ["field": "host"])
        }
    }

    /// `https://name:8006` → `name`; `https://[fd00::1]:8006` → `fd00::1`.
    static func addressPart(of host: String) -> String {
        let lowered = host.lowercased()
        var rest = Substring(lowered)
        if let end = lowered.firstIndex(of: ":"), lowered[end...].hasPrefix("://") { rest = lowered[lowered.index(end, offsetBy: 3)...] }
        if rest.hasPrefix("["), let end = rest.firstIndex(of: "]") { return String(rest[rest.index(after: rest.startIndex)..<end]) }
        return String(rest.prefix { $0 != ":" && $0 != "/" })
    }
}

extension APIError.Code {
    /// An agent token registers a node before any host reported with it.
    static let hostNotReporting = APIError.Code(rawValue: "host_not_reporting")
}
