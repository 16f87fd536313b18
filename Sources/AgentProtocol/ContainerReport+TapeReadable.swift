#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The fast path for the types a Docker report holds twenty-odd of. Each reads the same fields
// with the same defaults as its `init(from:)`; `AgentJSONDecoderTests` compares the two.

extension ContainerReport: TapeReadable {
    init(reading c: inout TapeObject) throws {
        id = try c.string("id") ?? ""
        name = try c.string("name") ?? ""
        image = try c.string("image") ?? ""
        imageDigest = try c.string("imageDigest")
        createdAt = try c.decode("createdAt", as: Date.self) ?? .goZeroTime
        state = try c.string("state") ?? ""
        status = try c.string("status") ?? ""
        health = try c.string("health")
        cpuPercent = try c.double("cpuPercent") ?? 0
        memoryUsageBytes = try c.integer("memoryUsageBytes") ?? 0
        memoryLimitBytes = try c.integer("memoryLimitBytes") ?? 0
        memoryPercent = try c.double("memoryPercent") ?? 0
        uptimeSeconds = try c.integer("uptimeSeconds") ?? 0
        restartCount = try c.integer("restartCount") ?? 0
        exitCode = try c.integer("exitCode") ?? 0
        startedAt = try c.decode("startedAt", as: Date.self)
        finishedAt = try c.decode("finishedAt", as: Date.self)
        ports = try c.decode("ports", as: [ContainerPort].self)
        labels = try c.decode("labels", as: [String: String].self)
        env = try c.decode("env", as: [String].self)
        networks = try c.decode("networks", as: [ContainerNetwork].self)
        writableLayerBytes = try c.integer("writableLayerBytes")
        rootFilesystemBytes = try c.integer("rootFilesystemBytes")
        blockIo = try c.decode("blockIo", as: ContainerBlockIO.self)
        mounts = try c.decode("mounts", as: [ContainerMount].self)
        podman = try c.decode("podman", as: PodmanMetadata.self)
        updateStatus = try c.decode("updateStatus", as: ImageUpdateStatus.self)
    }
}

extension ContainerPort: TapeReadable {
    init(reading c: inout TapeObject) throws {
        privatePort = try c.integer("privatePort") ?? 0
        publicPort = try c.integer("publicPort")
        `protocol` = try c.string("protocol") ?? ""
        ip = try c.string("ip")
    }
}

extension ContainerNetwork: TapeReadable {
    init(reading c: inout TapeObject) throws {
        name = try c.string("name") ?? ""
        ipv4 = try c.string("ipv4")
        ipv6 = try c.string("ipv6")
    }
}

extension ContainerBlockIO: TapeReadable {
    init(reading c: inout TapeObject) throws {
        readBytes = try c.integer("readBytes")
        writeBytes = try c.integer("writeBytes")
    }
}
