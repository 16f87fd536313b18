package import Foundation

/// What a user attaches to a monitored resource: a console or custom URL, a description, tags
/// and notes (Pulse's guest, host, Docker and Docker-host metadata, one shape for all four).
///
/// Kept until deleted, also after the resource is gone; `lastKnownName` and `lastKnownType`
/// say what it was.
package struct ResourceMetadata: Codable, Sendable, Equatable {
    package var id: String
    /// An absolute `http` or `https` URL; "" when none (as Pulse writes it).
    package var customUrl: String = ""
    package var description: String = ""
    package var tags: [String] = []
    package var notes: [String] = []
    package var lastKnownName: String?
    package var lastKnownType: String?

    package init(id: String) {
        self.id = id
    }

    /// Whether nothing is set (such a record is not kept).
    package var isEmpty: Bool { customUrl.isEmpty && description.isEmpty && tags.isEmpty && notes.isEmpty }
}

/// The four kinds of resources that carry metadata, each with its own ID space.
package enum MetadataKind: String, CaseIterable, Sendable, Codable {
    /// VMs and containers of Proxmox VE, by guest ID (`instance:node:vmid`) or `node:vmid`.
    case guest
    /// Host agents, by host ID.
    case host
    /// Docker containers, by `dockerHostID:containerID` or container ID.
    case docker
    /// Docker hosts, by Docker host ID.
    case dockerHost
}
