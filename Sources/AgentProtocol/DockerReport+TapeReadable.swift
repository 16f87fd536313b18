// The fast path for a Docker report and the types it holds twenty-odd of. Each reads the same fields
// with the same defaults as its `init(from:)`; `AgentJSONDecoderTests` compares the two.

extension DockerReport: TapeReadable {
    init(reading c: inout TapeObject) throws {
        agent = try c.object("agent", as: AgentInfo.self) ?? AgentInfo(id: "", version: "", intervalSeconds: 0)
        host = try c.object("host", as: DockerHostInfo.self) ?? DockerHostInfo(hostname: "")
        containers = try c.containers("containers") ?? []
        services = try c.decode("services", as: [SwarmService].self)
        tasks = try c.decode("tasks", as: [SwarmTask].self)
        timestamp = try c.date("timestamp") ?? .goZeroTime
    }
}

extension AgentInfo: TapeReadable {
    init(reading c: inout TapeObject) throws {
        id = try c.string("id") ?? ""
        version = try c.string("version") ?? ""
        type = try c.string("type")
        intervalSeconds = try c.integer("intervalSeconds") ?? 0
    }
}

extension DockerHostInfo: TapeReadable {
    init(reading c: inout TapeObject) throws {
        hostname = try c.string("hostname") ?? ""
        name = try c.string("name")
        machineId = try c.string("machineId")
        os = try c.string("os")
        runtime = try c.string("runtime")
        runtimeVersion = try c.string("runtimeVersion")
        kernelVersion = try c.string("kernelVersion")
        architecture = try c.string("architecture")
        dockerVersion = try c.string("dockerVersion")
        totalCpu = try c.integer("totalCpu")
        totalMemoryBytes = try c.integer("totalMemoryBytes")
        uptimeSeconds = try c.integer("uptimeSeconds")
        swarm = try c.decode("swarm", as: SwarmInfo.self)
        cpuUsagePercent = try c.double("cpuUsagePercent")
        loadAverage = try c.doubles("loadAverage")
        memory = try c.object("memory", as: MemoryMetrics.self) ?? MemoryMetrics()
        disks = try c.array("disks", of: DiskUsage.self)
        network = try c.array("network", of: NetworkInterface.self)
    }
}

extension ContainerReport: TapeReadable {
    init(reading c: inout TapeObject) throws {
        id = try c.string("id") ?? ""
        name = try c.string("name") ?? ""
        image = try c.sharedString("image") ?? ""
        imageDigest = try c.sharedString("imageDigest")
        createdAt = try c.date("createdAt") ?? .goZeroTime
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
        startedAt = try c.date("startedAt")
        finishedAt = try c.date("finishedAt")
        ports = try c.array("ports", of: ContainerPort.self)
        labels = try c.stringMap("labels")
        env = try c.strings("env")
        networks = try c.array("networks", of: ContainerNetwork.self)
        writableLayerBytes = try c.integer("writableLayerBytes")
        rootFilesystemBytes = try c.integer("rootFilesystemBytes")
        blockIo = try c.object("blockIo", as: ContainerBlockIO.self)
        mounts = try c.decode("mounts", as: [ContainerMount].self)
        podman = try c.decode("podman", as: PodmanMetadata.self)
        updateStatus = try c.decode("updateStatus", as: ImageUpdateStatus.self)
    }
}

extension ContainerReport {
    /// Reads the members that change between heartbeats (`JSONTape.View.changingFields`)
    /// exactly as `init(reading:)` does, over a container taken over from the previous report.
    mutating func readChangingFields(_ c: inout TapeObject) throws {
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
        startedAt = try c.date("startedAt")
        finishedAt = try c.date("finishedAt")
        writableLayerBytes = try c.integer("writableLayerBytes")
        rootFilesystemBytes = try c.integer("rootFilesystemBytes")
        blockIo = try c.object("blockIo", as: ContainerBlockIO.self)
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
        name = try c.sharedString("name") ?? ""
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
