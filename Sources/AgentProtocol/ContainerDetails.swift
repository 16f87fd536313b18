#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One exposed port of a container.
public struct ContainerPort: Codable, Sendable, Equatable {
    /// Port inside the container.
    public var privatePort: Int
    /// Port published on the host; absent when not published.
    public var publicPort: Int?
    /// `tcp`, `udp` or `sctp`.
    public var `protocol`: String
    /// Host address the port is bound to, e.g. `0.0.0.0` or `::`.
    public var ip: String?

    public init(privatePort: Int, publicPort: Int? = nil, protocol: String, ip: String? = nil) {
        self.privatePort = privatePort
        self.publicPort = publicPort
        self.protocol = `protocol`
        self.ip = ip
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        privatePort = try c.decode(.privatePort, default: 0)
        publicPort = try c.decodeIfPresent(.publicPort)
        `protocol` = try c.decode(.protocol, default: "")
        ip = try c.decodeIfPresent(.ip)
    }
}

/// A network a container is attached to, with its addresses on it.
public struct ContainerNetwork: Codable, Sendable, Equatable {
    /// Network name, e.g. `bridge`.
    public var name: String
    /// IPv4 address without prefix length.
    public var ipv4: String?
    /// IPv6 address without prefix length.
    public var ipv6: String?

    public init(name: String, ipv4: String? = nil, ipv6: String? = nil) {
        self.name = name
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(.name, default: "")
        ipv4 = try c.decodeIfPresent(.ipv4)
        ipv6 = try c.decodeIfPresent(.ipv6)
    }
}

/// Cumulative block I/O of a container since it started. The server derives rates.
public struct ContainerBlockIO: Codable, Sendable, Equatable {
    /// Bytes read.
    public var readBytes: UInt64?
    /// Bytes written.
    public var writeBytes: UInt64?

    public init(readBytes: UInt64? = nil, writeBytes: UInt64? = nil) {
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }
}

/// A volume or bind mount of a container.
public struct ContainerMount: Codable, Sendable, Equatable {
    /// `bind`, `volume`, `tmpfs`, …
    public var type: String?
    /// Host path or volume path.
    public var source: String?
    /// Path inside the container.
    public var destination: String?
    /// Mount mode as given, e.g. `ro`, `z`.
    public var mode: String?
    /// Whether the mount is writable; always written.
    public var rw: Bool
    /// Bind propagation, e.g. `rprivate`.
    public var propagation: String?
    /// Volume name.
    public var name: String?
    /// Volume driver, e.g. `local`.
    public var driver: String?

    public init(
        type: String? = nil,
        source: String? = nil,
        destination: String? = nil,
        mode: String? = nil,
        rw: Bool,
        propagation: String? = nil,
        name: String? = nil,
        driver: String? = nil
    ) {
        self.type = type
        self.source = source
        self.destination = destination
        self.mode = mode
        self.rw = rw
        self.propagation = propagation
        self.name = name
        self.driver = driver
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(.type)
        source = try c.decodeIfPresent(.source)
        destination = try c.decodeIfPresent(.destination)
        mode = try c.decodeIfPresent(.mode)
        rw = try c.decode(.rw, default: false)
        propagation = try c.decodeIfPresent(.propagation)
        name = try c.decodeIfPresent(.name)
        driver = try c.decodeIfPresent(.driver)
    }
}

/// Podman metadata of a container, from Podman's inspect data and `io.podman.*` / compose labels.
public struct PodmanMetadata: Codable, Sendable, Equatable {
    /// Name of the pod the container belongs to.
    public var podName: String?
    /// ID of the pod.
    public var podId: String?
    /// True for the pod's infra (pause) container.
    public var infra: Bool?
    /// `com.docker.compose.project` (podman-compose).
    public var composeProject: String?
    /// `com.docker.compose.service`.
    public var composeService: String?
    /// `com.docker.compose.project.working_dir`.
    public var composeWorkdir: String?
    /// `com.docker.compose.config-hash`.
    public var composeConfigHash: String?
    /// `io.containers.autoupdate` policy, e.g. `registry`.
    public var autoUpdatePolicy: String?
    /// `io.containers.autoupdate.restart` setting.
    public var autoUpdateRestart: String?
    /// User namespace mode, e.g. `keep-id`.
    public var userNamespace: String?

    public init(
        podName: String? = nil,
        podId: String? = nil,
        infra: Bool? = nil,
        composeProject: String? = nil,
        composeService: String? = nil,
        composeWorkdir: String? = nil,
        composeConfigHash: String? = nil,
        autoUpdatePolicy: String? = nil,
        autoUpdateRestart: String? = nil,
        userNamespace: String? = nil
    ) {
        self.podName = podName
        self.podId = podId
        self.infra = infra
        self.composeProject = composeProject
        self.composeService = composeService
        self.composeWorkdir = composeWorkdir
        self.composeConfigHash = composeConfigHash
        self.autoUpdatePolicy = autoUpdatePolicy
        self.autoUpdateRestart = autoUpdateRestart
        self.userNamespace = userNamespace
    }
}

/// The agent's latest registry check for a newer image of a container.
public struct ImageUpdateStatus: Codable, Sendable, Equatable {
    /// Whether the registry has a different digest for the container's tag.
    public var updateAvailable: Bool
    /// Digest the container runs.
    public var currentDigest: String?
    /// Digest the registry serves for the tag.
    public var latestDigest: String?
    /// When the registry was last asked.
    public var lastChecked: Date
    /// Why the check failed, e.g. `rate limited`, `auth required`.
    public var error: String?

    public init(
        updateAvailable: Bool,
        currentDigest: String? = nil,
        latestDigest: String? = nil,
        lastChecked: Date,
        error: String? = nil
    ) {
        self.updateAvailable = updateAvailable
        self.currentDigest = currentDigest
        self.latestDigest = latestDigest
        self.lastChecked = lastChecked
        self.error = error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        updateAvailable = try c.decode(.updateAvailable, default: false)
        currentDigest = try c.decodeIfPresent(.currentDigest)
        latestDigest = try c.decodeIfPresent(.latestDigest)
        lastChecked = try c.decode(.lastChecked, default: .goZeroTime)
        error = try c.decodeIfPresent(.error)
    }
}
