import AgentProtocol
import Foundation
import Testing

@Suite("Kubernetes report")
struct KubernetesReportTests {
    @Test func maximalClusterAndNodes() throws {
        let report: KubernetesReport = try Fixture.kubernetesMaximal.decode()
        #expect(report.agent.intervalSeconds == 60)
        #expect(report.cluster.name == "homelab")
        #expect(report.cluster.server == "https://10.30.0.10:6443")
        #expect(report.cluster.version == "v1.29.4+k3s1")
        #expect(report.cluster.provider == "k3s")
        #expect(report.cluster.namespace == "pulse")
        let nodes = try #require(report.nodes)
        #expect(nodes[0].ready)
        #expect(nodes[0].unschedulable == nil)
        #expect(nodes[0].roles == ["control-plane", "master"])
        #expect(nodes[0].capacity == NodeResources(cpuCores: 4, memoryBytes: 16_767_119_360, pods: 110))
        #expect(!nodes[1].ready)
        #expect(nodes[1].unschedulable == true)
        #expect(nodes[1].architecture == "arm64")
        #expect(nodes[1].allocatable.cpuCores == 7)
        #expect(nodes[1].allocatable.pods == 100)
        #expect(nodes[1].roles == nil)
        #expect(sameMillisecond(report.timestamp, unixDate(1_732_383_727, millis: 42)))
    }

    @Test func crashLoopingAndPendingPods() throws {
        let pods = try #require(try Fixture.kubernetesMaximal.decode(as: KubernetesReport.self).pods)
        let crashing = pods[0]
        #expect(crashing.phase == "Running")
        #expect(crashing.restarts == 17)
        #expect(crashing.ownerKind == "ReplicaSet")
        #expect(crashing.labels?["app"] == "payments")
        #expect(sameMillisecond(crashing.startTime, unixDate(1_732_352_402, millis: 500)))
        let containers = try #require(crashing.containers)
        #expect(containers[0].state == "waiting")
        #expect(containers[0].reason == "CrashLoopBackOff")
        #expect(containers[0].restartCount == 17)
        #expect(!containers[0].ready)
        #expect(
            containers[1]
                == PodContainer(
                    name: "envoy", image: "envoyproxy/envoy:v1.30.1", ready: true, state: "running"))

        let pending = pods[1]
        #expect(pending.phase == "Pending")
        #expect(pending.reason == "Unschedulable")
        #expect(pending.nodeName == nil)
        #expect(pending.startTime == nil)
        #expect(pending.restarts == nil)
        #expect(pending.qosClass == "Guaranteed")
        #expect(sameMillisecond(pending.createdAt, unixDate(1_732_383_000)))
    }

    @Test func workloads() throws {
        let report: KubernetesReport = try Fixture.kubernetesMaximal.decode()
        #expect(
            report.deployments == [
                KubernetesDeployment(
                    uid: "aa0b1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d", name: "payments", namespace: "shop",
                    desiredReplicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1,
                    labels: ["app": "payments"])
            ])
        let statefulSet = try #require(report.statefulSets?.first)
        #expect(statefulSet.name == "postgres")
        #expect(statefulSet.desiredReplicas == 3)
        #expect(statefulSet.readyReplicas == 2)
        #expect(statefulSet.currentReplicas == 3)
        #expect(statefulSet.updatedReplicas == 3)
        let daemonSet = try #require(report.daemonSets?.first)
        #expect(daemonSet.namespace == "monitoring")
        #expect(daemonSet.desiredNumberScheduled == 2)
        #expect(daemonSet.currentNumberScheduled == 2)
        #expect(daemonSet.numberReady == 1)
        #expect(daemonSet.numberAvailable == 1)
        #expect(daemonSet.numberMisscheduled == 0)
        #expect(daemonSet.updatedNumberScheduled == 2)
        #expect(daemonSet.labels == ["app.kubernetes.io/name": "node-exporter"])
    }

    @Test func minimalReport() throws {
        let report: KubernetesReport = try Fixture.kubernetesMinimal.decode()
        #expect(report.cluster == KubernetesCluster(id: "k8s-min"))
        #expect(report.agent.type == nil)
        #expect(report.nodes == nil)
        #expect(report.pods == nil)
        #expect(report.deployments == nil)
        #expect(report.statefulSets == nil)
        #expect(report.daemonSets == nil)
    }
}
