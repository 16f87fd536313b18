import PulseSupport

/// Probes every address of a scan on the Proxmox ports, `concurrency` probes at a time.
///
/// Where nothing listens, loopback and a live host refuse at once and an empty address costs the
/// probe's connect timeout (1 s): a /24 is 254 × 2 probes, so at most four rounds of 128, about
/// 4 s; the largest scan `DiscoverySubnet` allows (4,096 addresses) about 64 s.
package struct DiscoveryScanner: Sendable {
    package var probe = DiscoveryProbe()
    /// PVE and PMG answer on 8006, PBS on 8007.
    package var ports = [8006, 8007]
    package var concurrency = 128

    package init(probe: DiscoveryProbe = DiscoveryProbe()) {
        self.probe = probe
    }

    /// The servers found among `addresses`, ordered by address and port.
    package func scan(_ addresses: [UInt32]) async -> [DiscoveredServer] {
        let targets = addresses.flatMap { address in ports.map { (address: address, port: $0) } }
        let probe = probe
        var found: [(address: UInt32, server: DiscoveredServer)] = []
        await withTaskGroup(of: (UInt32, DiscoveredServer?).self) { group in
            var next = 0
            for target in targets.prefix(max(1, concurrency)) {
                group.addTask { (target.address, await probe.probe(address: IPv4Network.text(target.address), port: target.port)) }
                next += 1
            }
            for await (address, server) in group {
                if let server { found.append((address, server)) }
                guard next < targets.count, !Task.isCancelled else { continue }
                let target = targets[next]
                next += 1
                group.addTask { (target.address, await probe.probe(address: IPv4Network.text(target.address), port: target.port)) }
            }
        }
        return found.sorted { ($0.address, $0.server.port) < ($1.address, $1.server.port) }.map(\.server)
    }
}
