extension StateContents {
    /// Puts each resource's user metadata on its view. Guests are found by their ID or by
    /// `node:vmid`, containers by `dockerHostID:containerID` or their own ID.
    func attachMetadata(to snapshot: inout StateSnapshot) {
        if let guests = metadata[.guest], !guests.isEmpty {
            for index in snapshot.vms.indices { snapshot.vms[index].metadata = Self.guestMetadata(snapshot.vms[index], in: guests) }
            for index in snapshot.containers.indices {
                snapshot.containers[index].metadata = Self.guestMetadata(snapshot.containers[index], in: guests)
            }
        }
        if let hosts = metadata[.host], !hosts.isEmpty {
            for index in snapshot.hosts.indices { snapshot.hosts[index].metadata = hosts[snapshot.hosts[index].id] }
        }
        if let dockerHosts = metadata[.dockerHost], !dockerHosts.isEmpty {
            for index in snapshot.dockerHosts.indices { snapshot.dockerHosts[index].metadata = dockerHosts[snapshot.dockerHosts[index].id] }
        }
        if let containers = metadata[.docker], !containers.isEmpty {
            for hostIndex in snapshot.dockerHosts.indices {
                let hostID = snapshot.dockerHosts[hostIndex].id
                for id in snapshot.dockerHosts[hostIndex].containers.ids {
                    snapshot.dockerHosts[hostIndex].containers.metadata[id] = containers["\(hostID):\(id)"] ?? containers[id]
                }
            }
        }
    }

    private static func guestMetadata(_ guest: GuestView, in records: [String: ResourceMetadata]) -> ResourceMetadata? {
        records[guest.id] ?? records["\(guest.node):\(guest.vmid)"]
    }
}
