import AgentProtocol
import CurlHTTP

/// `pulse-agent --self-test`: checks each collector and the server, and prints one line per check.
struct SelfTest {
    enum Verdict: String {
        case ok = "ok  "
        case warning = "warn"
        case failed = "FAIL"
    }

    struct Check {
        let name: String
        let verdict: Verdict
        let detail: String
    }

    let configuration: AgentConfiguration
    let collector: HostCollector
    let sensors: SensorReader
    let smart: SMARTCollector
    let ceph: CephCollector

    /// Runs every check; the agent exits non-zero when any failed.
    func run() async -> [Check] {
        var checks: [Check] = []
        do {
            let report = try await collector.collect()
            let memory = report.metrics.memory.totalBytes.map { "\($0 / 1_048_576) MiB memory" } ?? "no memory figure"
            let cpu = report.metrics.cpuUsagePercent.map { "CPU \(Int($0.rounded())) %" } ?? "no CPU figure"
            checks.append(
                Check(
                    name: "host metrics", verdict: report.metrics.memory.totalBytes == nil ? .failed : .ok,
                    detail:
                        "\(report.host.hostname) (\(report.agent.id)): \(cpu), \(memory), \(report.disks?.count ?? 0) filesystems, \(report.network?.count ?? 0) interfaces"
                ))
        } catch {
            checks.append(Check(name: "host metrics", verdict: .failed, detail: "\(error)"))
        }

        let readings = await sensors.read()
        if let problem = await sensors.problem {
            checks.append(Check(name: "temperatures", verdict: .warning, detail: problem))
        } else {
            let count = (readings.temperatureCelsius?.count ?? 0) + (readings.fanRpm?.count ?? 0)
            checks.append(
                Check(
                    name: "temperatures", verdict: count == 0 ? .warning : .ok,
                    detail: count == 0 ? "libsensors found no sensors" : (readings.temperatureCelsius ?? [:]).keys.sorted().joined(separator: ", ")))
        }

        let disks = await smart.read()
        if let problem = await smart.problem, disks.isEmpty {
            checks.append(Check(name: "SMART", verdict: .warning, detail: problem))
        } else {
            checks.append(Check(name: "SMART", verdict: .ok, detail: disks.map { "\($0.device) \($0.health ?? "?")" }.joined(separator: ", ")))
        }

        if await ceph.isApplicable {
            if let cluster = await ceph.read() {
                checks.append(
                    Check(
                        name: "Ceph", verdict: .ok,
                        detail: "\(cluster.fsid): \(cluster.health.status), \(cluster.osdMap.numUp)/\(cluster.osdMap.numOsds) OSDs up"))
            } else {
                checks.append(Check(name: "Ceph", verdict: .warning, detail: await ceph.problem ?? "no status"))
            }
        }

        checks.append(await serverCheck())
        return checks
    }

    /// The server answers `/api/health`, and the token is accepted by the host report endpoint's
    /// lookup (which needs the same scope as reporting).
    private func serverCheck() async -> Check {
        let client = CurlClient(
            userAgent: PulseAgentCommand.userAgent, timeout: .seconds(10),
            tls: TLSSettings(insecure: configuration.insecure, caCertificateFile: configuration.caCertificateFile))
        let base = configuration.url
        do {
            let health = try await client.get(base + "/api/health", headers: [])
            guard health.status == 200 else { return Check(name: "server", verdict: .failed, detail: "\(base)/api/health answered \(health.status)") }
            guard let token = configuration.token, !token.isEmpty else {
                return Check(name: "server", verdict: .warning, detail: "\(base) is reachable; no token configured (--token-file)")
            }
            let lookup = try await client.get(base + "/api/agents/host/lookup?hostname=self-test", headers: ["\(AgentHeaders.apiToken): \(token)"])
            switch lookup.status {
            case 200, 404: return Check(name: "server", verdict: .ok, detail: "\(base) is reachable and accepts the token")
            case 401: return Check(name: "server", verdict: .failed, detail: "\(base) rejects the token (401)")
            case 403: return Check(name: "server", verdict: .failed, detail: "the token lacks the host-agent:report scope (403)")
            default: return Check(name: "server", verdict: .warning, detail: "token check answered \(lookup.status)")
            }
        } catch {
            return Check(name: "server", verdict: .failed, detail: "\(base): \(error)")
        }
    }
}
