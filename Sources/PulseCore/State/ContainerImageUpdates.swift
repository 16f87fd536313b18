import AgentProtocol
import Foundation
import PulseSupport

/// One container whose image has an update, or whose update check failed, as
/// `/api/infra-updates` lists it (Pulse v5's shape; `lastChecked` in Unix seconds).
package struct ContainerImageUpdate: Encodable, Sendable, Equatable {
    package var hostId: String
    package var hostName: String
    package var containerId: String
    package var containerName: String
    package var image: String
    package var currentDigest: String?
    package var latestDigest: String?
    package var updateAvailable: Bool
    package var lastChecked: Int64?
    package var error: String?
    /// Always `docker`: containers are the only resources checked.
    package var resourceType = "docker"

    /// `docker:<hostId>/<containerId>`, the ID `/api/infra-updates/{resourceId}` also accepts.
    package var resourceID: String { "docker:\(hostId)/\(containerId)" }
}

/// The updates of one Docker host, in `/api/infra-updates/summary`.
package struct ContainerImageUpdateSummary: Encodable, Sendable, Equatable {
    package var hostId: String
    package var hostName: String
    package var totalCount: Int
    package var containers: Int
}

extension StateSnapshot {
    /// Every container whose agent reported an available update or a failed check, host by
    /// host; only `hostID`'s when given. Containers that are up to date or not checked yet are
    /// left out.
    package func containerImageUpdates(hostID: String? = nil) -> [ContainerImageUpdate] {
        dockerHosts.filter { hostID == nil || $0.id == hostID }.flatMap { host in
            host.containers.compactMap { container -> ContainerImageUpdate? in
                guard let status = container.updateStatus, status.updateAvailable || !(status.error ?? "").isEmpty else { return nil }
                return ContainerImageUpdate(
                    hostId: host.id, hostName: host.displayName, containerId: container.id,
                    containerName: container.name.hasPrefix("/") ? String(container.name.dropFirst()) : container.name,
                    image: container.image, currentDigest: status.currentDigest.flatMap { $0.isEmpty ? nil : $0 },
                    latestDigest: status.latestDigest.flatMap { $0.isEmpty ? nil : $0 }, updateAvailable: status.updateAvailable,
                    lastChecked: status.lastChecked.isGoZeroTime ? nil : Int64(status.lastChecked.timeIntervalSince1970),
                    error: status.error.flatMap { $0.isEmpty ? nil : $0 })
            }
        }
    }

    /// `containerImageUpdates()` counted per host, keyed by host ID.
    package func containerImageUpdateSummaries() -> [String: ContainerImageUpdateSummary] {
        var summaries: [String: ContainerImageUpdateSummary] = [:]
        for update in containerImageUpdates() {
            summaries[update.hostId, default: .init(hostId: update.hostId, hostName: update.hostName, totalCount: 0, containers: 0)]
                .totalCount += 1
            summaries[update.hostId]?.containers += 1
        }
        return summaries
    }
}

extension MonitoringState {
    /// Queues a `check_updates` command for Docker host `hostID`: its agent checks every image
    /// now instead of waiting for its 6-hour cache. Throws `notFound` for an unknown host and
    /// `conflict` while another command for it is still pending.
    package func queueImageUpdateCheck(hostID: String) throws -> QueuedCommand {
        guard var record = dockerHosts[hostID] else { throw DomainError.notFound("No Docker host with id \(hostID)") }
        let now = time.now()
        if let pending = record.command, pending.isPending(at: now) {
            throw DomainError(
                .conflict, code: .init(rawValue: "command_in_progress"),
                message: "Docker host \(hostID) already has a \(pending.type.rawValue) command in progress")
        }
        let command = QueuedCommand(
            id: UUID().uuidString.lowercased(), type: .checkUpdates, status: .queued, createdAt: now, updatedAt: now,
            expiresAt: now.addingTimeInterval(Self.commandLifetime), message: "Checking for container updates")
        record.command = command
        dockerHosts[hostID] = record
        markDirty(.docker, hostID)
        return command
    }
}

extension QueuedCommand {
    /// Not finished yet: waiting to be taken, or taken and being worked on, and not expired.
    func isPending(at now: Date) -> Bool {
        switch status {
        case .queued, .sent, .acknowledged, .inProgress: now < expiresAt
        case .completed, .failed, .expired: false
        }
    }
}
