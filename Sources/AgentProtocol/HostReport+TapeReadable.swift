// The fast path for a host report and the parts it holds several of. Each reads the same fields
// with the same defaults as its `init(from:)` (or the synthesized one); `AgentJSONDecoderTests`
// compares the two. Rare parts (RAID, Ceph) stay on the Codable path.

extension HostReport: TapeReadable {
    init(reading c: inout TapeObject) throws {
        agent = try c.object("agent", as: HostAgentInfo.self) ?? HostAgentInfo(id: "")
        host = try c.object("host", as: HostInfo.self) ?? HostInfo(hostname: "")
        metrics = try c.object("metrics", as: HostMetrics.self) ?? HostMetrics()
        disks = try c.array("disks", of: DiskUsage.self)
        diskIO = try c.array("diskIO", of: DiskIOCounters.self)
        network = try c.array("network", of: NetworkInterface.self)
        sensors = try c.object("sensors", as: Sensors.self) ?? Sensors()
        raid = try c.decode("raid", as: [RAIDArray].self)
        ceph = try c.decode("ceph", as: CephCluster.self)
        tags = try c.strings("tags")
        timestamp = try c.date("timestamp") ?? .goZeroTime
        sequenceId = try c.string("sequenceId")
    }
}

extension HostAgentInfo: TapeReadable {
    init(reading c: inout TapeObject) throws {
        id = try c.string("id") ?? ""
        version = try c.string("version")
        type = try c.string("type")
        intervalSeconds = try c.integer("intervalSeconds")
        hostname = try c.string("hostname")
        updatedFrom = try c.string("updatedFrom")
        commandsEnabled = try c.bool("commandsEnabled")
        diskExclude = try c.strings("diskExclude")
        appliedSettings = try c.decode("appliedSettings", as: HostAgentSettings.self)
    }
}

extension HostInfo: TapeReadable {
    init(reading c: inout TapeObject) throws {
        id = try c.string("id")
        hostname = try c.string("hostname") ?? ""
        displayName = try c.string("displayName")
        machineId = try c.string("machineId")
        platform = try c.string("platform")
        osName = try c.string("osName")
        osVersion = try c.string("osVersion")
        kernelVersion = try c.string("kernelVersion")
        architecture = try c.string("architecture")
        cpuModel = try c.string("cpuModel")
        cpuCount = try c.integer("cpuCount")
        uptimeSeconds = try c.integer("uptimeSeconds")
        loadAverage = try c.doubles("loadAverage")
        reportIp = try c.string("reportIp")
    }
}

extension HostMetrics: TapeReadable {
    init(reading c: inout TapeObject) throws {
        cpuUsagePercent = try c.double("cpuUsagePercent")
        cpuPerCorePercent = try c.doubles("cpuPerCorePercent")
        memory = try c.object("memory", as: MemoryMetrics.self) ?? MemoryMetrics()
    }
}

extension MemoryMetrics: TapeReadable {
    init(reading c: inout TapeObject) throws {
        totalBytes = try c.integer("totalBytes")
        usedBytes = try c.integer("usedBytes")
        freeBytes = try c.integer("freeBytes")
        usage = try c.double("usage")
        swapTotalBytes = try c.integer("swapTotalBytes")
        swapUsedBytes = try c.integer("swapUsedBytes")
    }
}

extension DiskUsage: TapeReadable {
    init(reading c: inout TapeObject) throws {
        device = try c.string("device")
        mountpoint = try c.string("mountpoint")
        filesystem = try c.string("filesystem")
        type = try c.string("type")
        totalBytes = try c.integer("totalBytes")
        usedBytes = try c.integer("usedBytes")
        freeBytes = try c.integer("freeBytes")
        usage = try c.double("usage")
    }
}

extension DiskIOCounters: TapeReadable {
    init(reading c: inout TapeObject) throws {
        device = try c.string("device") ?? ""
        readBytes = try c.integer("readBytes")
        writeBytes = try c.integer("writeBytes")
        readOps = try c.integer("readOps")
        writeOps = try c.integer("writeOps")
        readTimeMs = try c.integer("readTimeMs")
        writeTimeMs = try c.integer("writeTimeMs")
        ioTimeMs = try c.integer("ioTimeMs")
    }
}

extension NetworkInterface: TapeReadable {
    init(reading c: inout TapeObject) throws {
        name = try c.string("name") ?? ""
        mac = try c.string("mac")
        addresses = try c.strings("addresses")
        rxBytes = try c.integer("rxBytes")
        txBytes = try c.integer("txBytes")
        speedMbps = try c.integer("speedMbps")
    }
}

extension Sensors: TapeReadable {
    init(reading c: inout TapeObject) throws {
        temperatureCelsius = try c.doubleMap("temperatureCelsius")
        fanRpm = try c.doubleMap("fanRpm")
        powerWatts = try c.doubleMap("powerWatts")
        additional = try c.doubleMap("additional")
        smart = try c.array("smart", of: SMARTDisk.self)
    }
}

extension SMARTDisk: TapeReadable {
    init(reading c: inout TapeObject) throws {
        device = try c.string("device") ?? ""
        model = try c.string("model")
        serial = try c.string("serial")
        wwn = try c.string("wwn")
        type = try c.string("type")
        temperature = try c.integer("temperature") ?? 0
        health = try c.string("health")
        standby = try c.bool("standby")
        attributes = try c.object("attributes", as: SMARTAttributes.self)
    }
}

extension SMARTAttributes: TapeReadable {
    init(reading c: inout TapeObject) throws {
        powerOnHours = try c.integer("powerOnHours")
        powerCycles = try c.integer("powerCycles")
        reallocatedSectors = try c.integer("reallocatedSectors")
        pendingSectors = try c.integer("pendingSectors")
        offlineUncorrectable = try c.integer("offlineUncorrectable")
        udmaCrcErrors = try c.integer("udmaCrcErrors")
        percentageUsed = try c.integer("percentageUsed")
        availableSpare = try c.integer("availableSpare")
        mediaErrors = try c.integer("mediaErrors")
        unsafeShutdowns = try c.integer("unsafeShutdowns")
    }
}
