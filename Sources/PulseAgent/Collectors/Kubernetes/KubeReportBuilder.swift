import AgentProtocol

#if canImport(Glibc)
import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#endif
/// Kubernetes API objects → the report's nodes, pods and workloads, with Pulse's selection:
/// only problem pods (unless all are asked for, capped at `maxPods`) and only workloads below
/// their desired count (unless all are asked for).
struct KubeReportBuilder {
    struct Selection: Sendable, Equatable {
        var includeAllPods = false
        var includeAllWorkloads = false
        var maxPods = 200
        /// Namespace globs; empty includes all.
        var includeNamespaces: [String] = []
        var excludeNamespaces: [String] = []

        func includes(namespace: String) -> Bool {
            (includeNamespaces.isEmpty || includeNamespaces.contains { fnmatch($0, namespace, 0) == 0 })
                && !excludeNamespaces.contains { fnmatch($0, namespace, 0) == 0 }
        }
    }

    let selection: Selection

    func node(_ node: KubeAPI.Node) -> KubernetesNode {
        let ready = node.status?.conditions?.first { $0.type == "Ready" }?.status == "True"
        let roles = (node.metadata.labels ?? [:]).keys.compactMap { key -> String? in
            key.hasPrefix("node-role.kubernetes.io/") ? String(key.dropFirst("node-role.kubernetes.io/".count)) : nil
        }.sorted()
        let info = node.status?.nodeInfo
        return KubernetesNode(
            uid: node.metadata.uid ?? node.metadata.name ?? "", name: node.metadata.name ?? "", ready: ready,
            unschedulable: node.spec?.unschedulable, kubeletVersion: info?.kubeletVersion,
            containerRuntimeVersion: info?.containerRuntimeVersion, osImage: info?.osImage, kernelVersion: info?.kernelVersion,
            architecture: info?.architecture, capacity: Self.resources(node.status?.capacity),
            allocatable: Self.resources(node.status?.allocatable), roles: roles.isEmpty ? nil : roles)
    }

    /// Pending, Failed or Unknown, or with a container waiting, terminated or not ready.
    static func isProblem(_ pod: KubeAPI.Pod) -> Bool {
        let phase = pod.status?.phase ?? "Unknown"
        if phase == "Succeeded" { return false }
        if ["Pending", "Failed", "Unknown"].contains(phase) { return true }
        return (pod.status?.containerStatuses ?? []).contains { status in
            status.state?.waiting != nil || status.state?.terminated != nil || status.ready == false
        }
    }

    func pods(_ pods: [KubeAPI.Pod]) -> [KubernetesPod] {
        pods.filter { $0.status?.phase != "Succeeded" && selection.includes(namespace: $0.metadata.namespace ?? "") }
            .filter { selection.includeAllPods || Self.isProblem($0) }
            .prefix(max(0, selection.maxPods))
            .map(pod)
    }

    func pod(_ pod: KubeAPI.Pod) -> KubernetesPod {
        let statuses = pod.status?.containerStatuses ?? []
        let owner = pod.metadata.ownerReferences?.first { $0.controller == true } ?? pod.metadata.ownerReferences?.first
        let waiting = statuses.lazy.compactMap { $0.state?.waiting?.reason }.first
        return KubernetesPod(
            uid: pod.metadata.uid ?? "", name: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "default",
            nodeName: pod.spec?.nodeName.flatMap { $0.isEmpty ? nil : $0 }, phase: pod.status?.phase,
            reason: pod.status?.reason ?? waiting, message: pod.status?.message, qosClass: pod.status?.qosClass,
            createdAt: pod.metadata.creationTimestamp.flatMap(RFC3339.parse) ?? Date(timeIntervalSince1970: 0),
            startTime: pod.status?.startTime.flatMap(RFC3339.parse), restarts: statuses.reduce(0) { $0 + ($1.restartCount ?? 0) },
            labels: pod.metadata.labels, ownerKind: owner?.kind, ownerName: owner?.name,
            containers: statuses.map { status in
                let state = status.state
                let detail = state?.waiting ?? state?.terminated ?? state?.running
                return PodContainer(
                    name: status.name ?? "", image: status.image, ready: status.ready ?? false, restartCount: status.restartCount,
                    state: state?.waiting != nil ? "waiting" : state?.terminated != nil ? "terminated" : state?.running != nil ? "running" : nil,
                    reason: detail?.reason, message: detail?.message)
            })
    }

    func deployments(_ items: [KubeAPI.Deployment]) -> [KubernetesDeployment] {
        items.filter { selection.includes(namespace: $0.metadata.namespace ?? "") }
            .filter { selection.includeAllWorkloads || ($0.status?.availableReplicas ?? 0) < ($0.spec?.replicas ?? 1) }
            .map { item in
                KubernetesDeployment(
                    uid: item.metadata.uid ?? "", name: item.metadata.name ?? "", namespace: item.metadata.namespace ?? "default",
                    desiredReplicas: item.spec?.replicas ?? 1, updatedReplicas: item.status?.updatedReplicas,
                    readyReplicas: item.status?.readyReplicas, availableReplicas: item.status?.availableReplicas, labels: item.metadata.labels)
            }
    }

    func statefulSets(_ items: [KubeAPI.Deployment]) -> [KubernetesStatefulSet] {
        items.filter { selection.includes(namespace: $0.metadata.namespace ?? "") }
            .filter { selection.includeAllWorkloads || ($0.status?.readyReplicas ?? 0) < ($0.spec?.replicas ?? 1) }
            .map { item in
                KubernetesStatefulSet(
                    uid: item.metadata.uid ?? "", name: item.metadata.name ?? "", namespace: item.metadata.namespace ?? "default",
                    desiredReplicas: item.spec?.replicas ?? 1, readyReplicas: item.status?.readyReplicas,
                    currentReplicas: item.status?.currentReplicas, updatedReplicas: item.status?.updatedReplicas,
                    labels: item.metadata.labels)
            }
    }

    func daemonSets(_ items: [KubeAPI.DaemonSet]) -> [KubernetesDaemonSet] {
        items.filter { selection.includes(namespace: $0.metadata.namespace ?? "") }
            .filter { selection.includeAllWorkloads || ($0.status?.numberReady ?? 0) < ($0.status?.desiredNumberScheduled ?? 0) }
            .map { item in
                let status = item.status
                return KubernetesDaemonSet(
                    uid: item.metadata.uid ?? "", name: item.metadata.name ?? "", namespace: item.metadata.namespace ?? "default",
                    desiredNumberScheduled: status?.desiredNumberScheduled, currentNumberScheduled: status?.currentNumberScheduled,
                    numberReady: status?.numberReady, numberAvailable: status?.numberAvailable,
                    numberMisscheduled: status?.numberMisscheduled, updatedNumberScheduled: status?.updatedNumberScheduled,
                    labels: item.metadata.labels)
            }
    }

    /// `cpu: "2"` / `"1500m"`, `memory: "8Gi"` / `"16384Ki"`, `pods: "110"`.
    static func resources(_ values: [String: String]?) -> NodeResources {
        NodeResources(
            cpuCores: values?["cpu"].flatMap(Quantity.cores), memoryBytes: values?["memory"].flatMap(Quantity.bytes),
            pods: values?["pods"].flatMap { Int64($0) })
    }
}

/// Kubernetes resource quantities.
enum Quantity {
    static func cores(_ text: String) -> Int64? {
        if text.hasSuffix("m"), let milli = Int64(text.dropLast()) { return milli / 1000 }
        return Double(text).map { Int64($0) }
    }

    static func bytes(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [
            ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40), ("Pi", 1 << 50),
            ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { Int64($0 * Double(factor)) }
        }
        return Double(text).map { Int64($0) }
    }
}
