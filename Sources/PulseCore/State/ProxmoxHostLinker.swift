import AgentProtocol
import Foundation

/// Links host agents to the Proxmox nodes and guests they run on, so one machine shows once
/// with both views.
///
/// Machine identity first, then hostname (Pulse v5 used the hostname alone, so a VM named like
/// a node stole the node's temperatures):
/// - a node keeps the agent whose machine-id it was linked to before, even when another machine
///   reports the same hostname or the agent's hostname changes;
/// - otherwise the one agent whose hostname (full or short, any case) is the node's name; with
///   two such agents and no remembered machine-id nothing is linked rather than a guess;
/// - an agent not on a node is linked to the one guest whose name is its hostname;
/// - an administrator's override (`POST /api/agents/host/link` and `unlink`) comes before all of
///   these: a host linked by hand to a node that exists is linked to it, a host unlinked by hand
///   is linked to nothing, and neither takes part in the automatic rules.
package enum ProxmoxHostLinker {
    package struct Links: Sendable, Equatable {
        /// Node ID → host ID.
        var hostOfNode: [String: String] = [:]
        /// Host ID → node ID.
        var nodeOfHost: [String: String] = [:]
        /// Host ID → guest ID and type (qemu or lxc).
        var guestOfHost: [String: (id: String, type: String)] = [:]
        /// Node ID → machine-id, to remember for the next time.
        var machineOfNode: [String: String] = [:]

        package static func == (lhs: Links, rhs: Links) -> Bool {
            lhs.hostOfNode == rhs.hostOfNode && lhs.nodeOfHost == rhs.nodeOfHost && lhs.machineOfNode == rhs.machineOfNode
                && lhs.guestOfHost.mapValues(\.id) == rhs.guestOfHost.mapValues(\.id)
        }
    }

    /// What linking needs of a host agent: a few strings, rather than a copy of its whole record
    /// (the state links once per new host, each time over every host).
    private struct Machine {
        let id: String
        let hostname: String
        let machineID: String?

        init(_ record: HostAgentRecord) {
            id = record.id
            hostname = record.hostname
            machineID = record.report.host.machineId
        }

        /// Its hostname, full and short, in lower case.
        var names: Set<String> {
            let full = hostname.lowercased()
            return [full, String(full.split(separator: ".").first ?? Substring(full))]
        }
    }

    /// Every link: the nodes' (`linkNodes`), then each host on no node to the one guest named like it.
    package static func link(
        nodes: [NodeView], guests: [GuestView], hosts records: some Sequence<HostAgentRecord>, remembered: [String: String],
        overrides: [String: HostLinkOverride] = [:]
    ) -> Links {
        let machines = records.map(Machine.init)
        var links = linkNodes(nodes: nodes, machines: machines, remembered: remembered, overrides: overrides)
        var guestsByName: [String: [GuestView]] = [:]
        for guest in guests where !guest.template { guestsByName[guest.name.lowercased(), default: []].append(guest) }
        for host in machines where overrides[host.id] == nil && links.nodeOfHost[host.id] == nil {
            let matches = host.names.compactMap { guestsByName[$0] }.flatMap { $0 }
            let unique = Dictionary(matches.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            guard unique.count == 1, let guest = unique.values.first else { continue }
            links.guestOfHost[host.id] = (guest.id, guest.type)
        }
        return links
    }

    /// The nodes' links alone (`guestOfHost` stays empty): which machine each node remembers
    /// depends on nodes and hosts, never on guests, so the state learns it without their names.
    package static func linkNodes(
        nodes: [NodeView], hosts records: some Sequence<HostAgentRecord>, remembered: [String: String],
        overrides: [String: HostLinkOverride] = [:]
    ) -> Links {
        linkNodes(nodes: nodes, machines: records.map(Machine.init), remembered: remembered, overrides: overrides)
    }

    private static func linkNodes(
        nodes: [NodeView], machines allHosts: [Machine], remembered: [String: String], overrides: [String: HostLinkOverride]
    ) -> Links {
        var links = Links()
        let nodeIDs = Set(nodes.map(\.id))
        let hostIDs = Set(allHosts.map(\.id))
        for (hostID, override) in overrides.sorted(by: { $0.key < $1.key }) {
            guard case .node(let nodeID) = override, nodeIDs.contains(nodeID), hostIDs.contains(hostID), links.hostOfNode[nodeID] == nil
            else { continue }
            links.hostOfNode[nodeID] = hostID
            links.nodeOfHost[hostID] = nodeID
        }
        let hosts = allHosts.filter { overrides[$0.id] == nil }
        let byMachine = Dictionary(hosts.compactMap { host in host.machineID.map { ($0, host) } }, uniquingKeysWith: { a, _ in a })
        // Each host under each of its names, in `hosts` order: a node finds its candidates by one
        // look-up instead of comparing every host's names (nodes × hosts name sets per link).
        var hostsByName: [String: [Machine]] = [:]
        for host in hosts {
            for name in host.names { hostsByName[name, default: []].append(host) }
        }
        for node in nodes where links.hostOfNode[node.id] == nil {
            let candidates = (hostsByName[node.node.lowercased()] ?? []).filter { links.nodeOfHost[$0.id] == nil }
            let chosen: Machine?
            if let machine = remembered[node.id], let host = byMachine[machine], links.nodeOfHost[host.id] == nil {
                chosen = host
            } else if candidates.count == 1 {
                chosen = candidates[0]
            } else {
                chosen = nil
            }
            guard let host = chosen else { continue }
            links.hostOfNode[node.id] = host.id
            links.nodeOfHost[host.id] = node.id
            if let machine = host.machineID { links.machineOfNode[node.id] = machine }
        }
        return links
    }
}
