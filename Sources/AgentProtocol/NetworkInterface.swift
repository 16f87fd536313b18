/// One network adapter with cumulative traffic counters. Shared by the host and Docker reports (`network[]`).
public struct NetworkInterface: Codable, Sendable, Equatable {
    /// Interface name, e.g. `eth0`, `enp3s0`.
    public var name: String
    /// MAC address, e.g. `52:54:00:12:34:56`.
    public var mac: String?
    /// Addresses in CIDR notation, IPv4 and IPv6, e.g. `192.168.1.10/24`.
    public var addresses: [String]?
    /// Bytes received since boot.
    public var rxBytes: UInt64?
    /// Bytes sent since boot.
    public var txBytes: UInt64?
    /// Link speed in megabits per second, when the driver reports one.
    public var speedMbps: Int64?

    public init(
        name: String,
        mac: String? = nil,
        addresses: [String]? = nil,
        rxBytes: UInt64? = nil,
        txBytes: UInt64? = nil,
        speedMbps: Int64? = nil
    ) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.speedMbps = speedMbps
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(.name, default: "")
        mac = try c.decodeIfPresent(.mac)
        addresses = try c.decodeIfPresent(.addresses)
        rxBytes = try c.decodeIfPresent(.rxBytes)
        txBytes = try c.decodeIfPresent(.txBytes)
        speedMbps = try c.decodeIfPresent(.speedMbps)
    }
}
