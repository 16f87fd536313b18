package import Foundation
package import PulseCore

/// One point of a resource's history: Unix seconds and the value (percent for usage series).
package struct HistoryPoint: Sendable, Equatable {
    package var time: TimeInterval
    package var value: Double

    package init(time: TimeInterval, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A physical disk as Proxmox reports it (`physicalDisks`): its health and wear.
package struct DiskHealthReading: Sendable, Equatable {
    package var id: String
    package var name: String
    package var node: String
    /// `PASSED`, `OK`, `FAILED`, `UNKNOWN` or empty.
    package var health: String
    /// Percent of life left (100 = new); 0 when unknown.
    package var wearout: Int

    package init(id: String, name: String, node: String, health: String, wearout: Int) {
        self.id = id
        self.name = name
        self.node = node
        self.health = health
        self.wearout = wearout
    }
}

/// An agent and the version it runs.
package struct AgentVersionReading: Sendable, Equatable {
    package var id: String
    package var name: String
    /// `host` or `dockerHost`.
    package var kind: String
    package var version: String

    package init(id: String, name: String, kind: String, version: String) {
        self.id = id
        self.name = name
        self.kind = kind
        self.version = version
    }
}

/// A configured instance's TLS certificate and when it expires.
package struct CertificateReading: Sendable, Equatable {
    package var instance: String
    package var host: String
    package var notAfter: Date

    package init(instance: String, host: String, notAfter: Date) {
        self.instance = instance
        self.host = host
        self.notAfter = notAfter
    }
}

/// Everything the detectors read in one run: narrow values built from the state snapshot and
/// the metrics history, none of the API's view types.
package struct PatrolInputs: Sendable {
    package var now: Date
    package var readings: [ResourceReading] = []
    /// Running guests' uptime in seconds, by guest ID.
    package var guestUptimes: [String: Int64] = [:]
    package var physicalDisks: [DiskHealthReading] = []
    package var agents: [AgentVersionReading] = []
    /// The version agents should run (`PULSE_AGENT_VERSION`); nil or `dev`: not checked.
    package var expectedAgentVersion: String?
    /// Certificates of configured instances (read by the server with a TLS handshake: the pollers
    /// do not keep the peer certificate).
    package var certificates: [CertificateReading] = []
    /// History by series, oldest first.
    package var history: [SeriesKey: [HistoryPoint]] = [:]

    package init(now: Date) {
        self.now = now
    }

    /// The history of `metric` for a reading, as the metrics store keys it.
    package func history(of reading: ResourceReading, metric: String) -> [HistoryPoint] {
        history[SeriesKey(resourceType: reading.kind.rawValue, resourceId: reading.recordID, metric: metric)] ?? []
    }
}
