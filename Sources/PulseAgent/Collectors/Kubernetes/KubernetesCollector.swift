import AgentProtocol
import CurlHTTP

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One Kubernetes report per cycle from the API server: version, nodes, pods (problem pods by
/// default), and Deployments, StatefulSets and DaemonSets below their desired count.
struct KubernetesCollector: Collector {
    var name: String { "kubernetes" }
    let connection: KubeConnection
    let selection: KubeReportBuilder.Selection
    var agentVersion = PulseAgentCommand.version
    var intervalSeconds = 30
    /// `--agent-id`; else a hash of server and context, as Pulse derives it.
    var agentID: String?
    private let client: CurlClient

    init(connection: KubeConnection, selection: KubeReportBuilder.Selection, intervalSeconds: Int, agentID: String?) {
        self.connection = connection
        self.selection = selection
        self.intervalSeconds = intervalSeconds
        self.agentID = agentID
        // One kept-alive connection to the API server instead of a TLS handshake per request.
        var client = CurlClient(userAgent: PulseAgentCommand.userAgent, timeout: .seconds(30), connections: CurlConnections(limit: 1))
        client.tls = connection.tls
        self.client = client
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let headers = connection.token.map { ["Authorization: Bearer \($0)"] } ?? []
        return try await client.getJSON(connection.server + path, headers: headers, as: type, label: path)
    }

    /// Every page of a list (`limit` + `continue`).
    func list<Item: Decodable & Sendable>(_ path: String, as type: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var token: String?
        repeat {
            let page = try await get(path + "?limit=500" + (token.map { "&continue=\($0)" } ?? ""), as: KubeAPI.List<Item>.self)
            items += page.items
            token = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return items
    }

    /// A stable ID for this cluster as seen from this agent.
    var clusterID: String {
        agentID ?? SHA256Digest.hex(Array("\(connection.server)|\(connection.context)|\(connection.context)".utf8)) ?? connection.server
    }

    func collect() async throws -> KubernetesReport {
        let builder = KubeReportBuilder(selection: selection)
        async let version = get("/version", as: KubeAPI.Version.self)
        async let nodes = list("/api/v1/nodes", as: KubeAPI.Node.self)
        async let pods = list("/api/v1/pods", as: KubeAPI.Pod.self)
        async let deployments = list("/apis/apps/v1/deployments", as: KubeAPI.Deployment.self)
        async let statefulSets = list("/apis/apps/v1/statefulsets", as: KubeAPI.Deployment.self)
        async let daemonSets = list("/apis/apps/v1/daemonsets", as: KubeAPI.DaemonSet.self)
        let id = clusterID
        return KubernetesReport(
            agent: AgentInfo(id: id, version: agentVersion, type: HostAgentInfo.unifiedType, intervalSeconds: intervalSeconds),
            cluster: KubernetesCluster(
                id: id, name: connection.context, server: connection.server, context: connection.context,
                version: try await version.gitVersion),
            nodes: try await nodes.map(builder.node),
            pods: builder.pods(try await pods),
            deployments: builder.deployments(try await deployments),
            statefulSets: builder.statefulSets(try await statefulSets),
            daemonSets: builder.daemonSets(try await daemonSets),
            timestamp: Date())
    }
}

/// The Kubernetes module's reports.
struct KubernetesReportSource: ReportSource {
    let collector: KubernetesCollector
    var kind: ReportKind { .kubernetes }

    func nextReport() async throws -> [UInt8] {
        try AgentJSONEncoder().encode(try await collector.collect())
    }

    func rejected(status: Int, message: String) async -> ReportSourceDecision {
        .afterRejection(status: status, message: message, removed: "the cluster was removed in Pulse")
    }
}
