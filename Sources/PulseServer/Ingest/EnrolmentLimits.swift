import AgentProtocol

/// Bounds on what agents may create: records per token and in all, and items per report. One
/// token still enrols a fleet of hosts (Pulse's rule), but a leaked token cannot fill the server
/// by varying hostnames or cluster IDs.
struct EnrolmentLimits: Sendable, Equatable {
    /// Hosts, Docker hosts and clusters one token may have enrolled (`PULSE_MAX_AGENTS_PER_TOKEN`).
    var recordsPerToken = 1_000
    /// Hosts, Docker hosts and clusters in all (`PULSE_MAX_AGENT_RECORDS`).
    var totalRecords = 10_000
    /// Containers in one Docker report.
    var containersPerReport = 2_000
    /// Pods, nodes and deployments, each, in one Kubernetes report.
    var kubernetesItemsPerReport = 20_000

    /// Throws 413 `limit_exceeded` naming the field when a Docker report lists too many containers.
    func check(_ report: DockerReport) throws {
        try check(count: report.containers.count, field: "containers", limit: containersPerReport)
    }

    /// Throws 413 `limit_exceeded` naming the field when a Kubernetes report lists too many items.
    func check(_ report: KubernetesReport) throws {
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
