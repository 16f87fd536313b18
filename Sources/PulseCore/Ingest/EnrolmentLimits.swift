package import AgentProtocol
import PulseSupport

/// Bounds on what agents may create: records per token and in all, and items per report. One
/// token still enrols a fleet of hosts (Pulse's rule), but a leaked token cannot fill the server
/// by varying hostnames or cluster IDs.
package struct EnrolmentLimits: Sendable, Equatable {
    /// Hosts, Docker hosts and clusters one token may have enrolled (`PULSE_MAX_AGENTS_PER_TOKEN`).
    package var recordsPerToken = 1_000
    /// Hosts, Docker hosts and clusters in all (`PULSE_MAX_AGENT_RECORDS`).
    package var totalRecords = 10_000
    /// Containers in one Docker report.
    package var containersPerReport = 2_000
    /// Pods, nodes and deployments, each, in one Kubernetes report.
    package var kubernetesItemsPerReport = 20_000

    package init(recordsPerToken: Int = 1_000, totalRecords: Int = 10_000, containersPerReport: Int = 2_000, kubernetesItemsPerReport: Int = 20_000) {
        self.recordsPerToken = recordsPerToken
        self.totalRecords = totalRecords
        self.containersPerReport = containersPerReport
        self.kubernetesItemsPerReport = kubernetesItemsPerReport
    }

    /// Throws 413 `limit_exceeded` naming the field when a Docker report lists too many containers.
    package func check(_ report: DockerReport) throws {
        try check(count: report.containers.count, field: "containers", limit: containersPerReport)
    }

    /// Throws 413 `limit_exceeded` naming the field when a Kubernetes report lists too many items.
    package func check(_ report: KubernetesReport) throws {
        try check(count: report.pods?.count ?? 0, field: "pods", limit: kubernetesItemsPerReport)
        try check(count: report.nodes?.count ?? 0, field: "nodes", limit: kubernetesItemsPerReport)
        try check(count: report.deployments?.count ?? 0, field: "deployments", limit: kubernetesItemsPerReport)
    }

    private func check(count: Int, field: String, limit: Int) throws {
        guard count > limit else { return }
        throw DomainError(
            .tooLarge, code: .limitExceeded, message: "\(field) lists \(count) items; at most \(limit) are accepted in one report",
            details: ["field": field, "limit": String(limit)])
    }
}
