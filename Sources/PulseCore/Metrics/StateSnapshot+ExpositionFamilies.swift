import AgentProtocol
import PulseSupport

extension StateSnapshot {
    /// The monitored data as Prometheus gauges: one family per measurement, labelled with the
    /// resource's Pulse ID and names. Ratios are 0–1 and sizes bytes, as Prometheus prefers.
    /// `/metrics` renders these as text; remote write sends the same series.
    package func expositionFamilies() -> [ExpositionFamily] {
        var out = ExpositionFamilies()
        out.gauge("pulse_build_info", "Pulse server version.", ["version": BuildInfo.version], 1)
        out.gauge("pulse_uptime_seconds", "Seconds since the Pulse server started.", [:], stats.uptime)

        for node in nodes {
            let labels: ExpositionFamilies.Labels = ["id": node.id, "node": node.node, "instance": node.instance]
            out.gauge("pulse_node_up", "1 while the Proxmox node is online.", labels, node.status == "online")
            guard node.status == "online" else { continue }
            out.gauge("pulse_node_cpu_usage_ratio", "Node CPU use, 0-1.", labels, node.cpu)
            out.gauge("pulse_node_memory_used_bytes", "Node memory in use.", labels, node.memory?.used)
            out.gauge("pulse_node_memory_total_bytes", "Node memory size.", labels, node.memory?.total)
            out.gauge("pulse_node_disk_used_bytes", "Node root disk in use.", labels, node.disk?.used)
            out.gauge("pulse_node_disk_total_bytes", "Node root disk size.", labels, node.disk?.total)
            out.gauge("pulse_node_uptime_seconds", "Node uptime.", labels, node.uptime)
            out.gauge("pulse_node_temperature_celsius", "Node CPU package (or hottest core) temperature.", labels, node.cpuTemperature)
        }

        for guest in vms + containers {
            let labels: ExpositionFamilies.Labels = [
                "id": guest.id, "name": guest.name, "node": guest.node, "instance": guest.instance,
                "type": guest.resourceType,
            ]
            out.gauge("pulse_guest_up", "1 while the VM or container runs.", labels, guest.status == "running")
            guard guest.status == "running" else { continue }
            out.gauge("pulse_guest_cpu_usage_ratio", "Guest CPU use, 0-1 of its cores.", labels, guest.cpu)
            out.gauge("pulse_guest_memory_used_bytes", "Guest memory in use.", labels, guest.memory?.used)
            out.gauge("pulse_guest_memory_total_bytes", "Guest memory size.", labels, guest.memory?.total)
            out.gauge("pulse_guest_disk_used_bytes", "Guest disk in use.", labels, guest.disk?.used)
            out.gauge("pulse_guest_disk_total_bytes", "Guest disk size.", labels, guest.disk?.total)
            out.gauge("pulse_guest_network_receive_bytes_per_second", "Guest network receive rate.", labels, guest.networkIn)
            out.gauge("pulse_guest_network_transmit_bytes_per_second", "Guest network transmit rate.", labels, guest.networkOut)
            out.gauge("pulse_guest_disk_read_bytes_per_second", "Guest disk read rate.", labels, guest.diskRead)
            out.gauge("pulse_guest_disk_write_bytes_per_second", "Guest disk write rate.", labels, guest.diskWrite)
            out.gauge("pulse_guest_uptime_seconds", "Guest uptime.", labels, guest.uptime)
        }

        for storage in storage {
            let labels: ExpositionFamilies.Labels = [
                "id": storage.id, "storage": storage.name, "node": storage.node, "instance": storage.instance, "type": storage.type,
            ]
            out.gauge("pulse_storage_used_bytes", "Storage in use.", labels, storage.used)
            out.gauge("pulse_storage_total_bytes", "Storage size.", labels, storage.total)
        }

        for host in hosts {
            let labels: ExpositionFamilies.Labels = ["id": host.id, "hostname": host.hostname]
            out.gauge("pulse_host_up", "1 while the host agent reports.", labels, host.status == "online")
            guard host.status == "online" else { continue }
            out.gauge("pulse_host_cpu_usage_ratio", "Host CPU use, 0-1.", labels, host.cpuUsage.map { $0 / 100 })
            out.gauge("pulse_host_memory_used_bytes", "Host memory in use.", labels, host.memory?.used)
            out.gauge("pulse_host_memory_total_bytes", "Host memory size.", labels, host.memory?.total)
            out.gauge("pulse_host_uptime_seconds", "Host uptime.", labels, host.uptimeSeconds)
            for disk in host.disks ?? [] {
                let diskLabels: ExpositionFamilies.Labels = [
                    "id": host.id, "hostname": host.hostname, "mountpoint": disk.mountpoint ?? "", "device": disk.device ?? "",
                ]
                out.gauge("pulse_host_filesystem_used_bytes", "Host filesystem space in use.", diskLabels, disk.used)
                out.gauge("pulse_host_filesystem_total_bytes", "Host filesystem size.", diskLabels, disk.total)
            }
            for (sensor, celsius) in (host.sensors?.temperatureCelsius ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.gauge(
                    "pulse_host_temperature_celsius", "Host temperature sensor.", ["id": host.id, "hostname": host.hostname, "sensor": sensor],
                    celsius)
            }
            // The history's disk ID: `host:<host>/<device>`; a disk in standby has no reading.
            for disk in host.sensors?.smart ?? [] where disk.standby != true && disk.temperature > 0 {
                let diskLabels: ExpositionFamilies.Labels = [
                    "id": "host:\(host.id)/\(disk.deviceName)", "hostname": host.hostname, "device": disk.deviceName, "model": disk.model ?? "",
                ]
                out.gauge("pulse_disk_temperature_celsius", Self.diskTemperatureHelp, diskLabels, disk.temperature)
            }
        }

        for dockerHost in dockerHosts where !dockerHost.hidden {
            let labels: ExpositionFamilies.Labels = ["id": dockerHost.id, "hostname": dockerHost.hostname]
            out.gauge("pulse_docker_host_up", "1 while the Docker agent reports.", labels, dockerHost.status == "online")
            if dockerHost.status == "online" {
                out.gauge("pulse_docker_host_cpu_usage_ratio", "Docker host CPU use, 0-1.", labels, dockerHost.cpuUsagePercent / 100)
                out.gauge("pulse_docker_host_memory_used_bytes", "Docker host memory in use.", labels, dockerHost.memory?.used)
                out.gauge("pulse_docker_host_memory_total_bytes", "Docker host memory size.", labels, dockerHost.memory?.total)
            }
            for container in dockerHost.containers {
                let containerLabels: ExpositionFamilies.Labels = [
                    "host_id": dockerHost.id, "hostname": dockerHost.hostname, "id": container.id,
                    "name": container.bareName, "image": container.image,
                ]
                out.gauge("pulse_docker_container_running", "1 while the container runs.", containerLabels, container.state == "running")
                out.gauge(
                    "pulse_docker_container_healthy", "Health check: 1 healthy, 0 unhealthy (absent without a check).", containerLabels,
                    container.health.flatMap { $0 == "healthy" ? 1.0 : $0 == "unhealthy" ? 0.0 : nil })
                out.gauge(
                    "pulse_docker_container_cpu_usage_ratio", "Container CPU use, 0-1 of one core.", containerLabels, container.cpuPercent / 100)
                out.gauge("pulse_docker_container_memory_usage_bytes", "Container memory in use.", containerLabels, container.memoryUsageBytes)
                if container.memoryLimitBytes > 0 {
                    out.gauge("pulse_docker_container_memory_limit_bytes", "Container memory limit.", containerLabels, container.memoryLimitBytes)
                }
                out.gauge("pulse_docker_container_restarts", "Restarts reported by the engine.", containerLabels, container.restartCount)
            }
        }

        for cluster in kubernetesClusters where !cluster.hidden {
            out.gauge(
                "pulse_kubernetes_cluster_up", "1 while the Kubernetes agent reports.", ["id": cluster.id, "name": cluster.displayName],
                cluster.status == "online")
        }
        for disk in physicalDisks where disk.temperature > 0 {
            let labels: ExpositionFamilies.Labels = [
                "id": disk.id, "node": disk.node, "instance": disk.instance, "device": disk.devPath, "model": disk.model,
            ]
            out.gauge("pulse_disk_temperature_celsius", Self.diskTemperatureHelp, labels, disk.temperature)
        }
        for instance in pbs {
            out.gauge("pulse_pbs_up", "1 while the PBS instance answers.", ["id": instance.id, "name": instance.name], instance.status == "online")
        }
        for instance in pmg {
            out.gauge("pulse_pmg_up", "1 while the PMG instance answers.", ["id": instance.id, "name": instance.name], instance.status == "online")
        }
        for level in [AlertLevel.warning, .critical] {
            out.gauge("pulse_alerts_active", "Active alerts by level.", ["level": level.rawValue], activeAlerts.filter { $0.level == level }.count)
        }
        return out.families
    }

    /// Host agents' S.M.A.R.T. disks and Proxmox nodes' physical disks share one family.
    private static let diskTemperatureHelp = "Disk temperature (S.M.A.R.T.)."
}
