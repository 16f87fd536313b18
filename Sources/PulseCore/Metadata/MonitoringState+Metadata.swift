import AgentProtocol

extension MonitoringState {
    /// Takes the stored metadata in at start (or after an import), replacing what was held.
    package func loadMetadata(_ records: [MetadataKind: [String: ResourceMetadata]]) {
        metadata = records
        didChange()
    }

    /// Every record of `kind`, by ID.
    package func metadata(of kind: MetadataKind) -> [String: ResourceMetadata] { metadata[kind] ?? [:] }

    /// Every record of every kind (for an export).
    package func allMetadata() -> [MetadataKind: [String: ResourceMetadata]] { metadata }

    /// `record` with the name and type of the resource it is about when the state knows it, or
    /// else as an earlier record named them, so the record says what it was after the resource is gone.
    package func annotated(_ record: ResourceMetadata, kind: MetadataKind) -> ResourceMetadata {
        var record = record
        if let known = identity(of: record.id, kind: kind) {
            record.lastKnownName = known.name
            record.lastKnownType = known.type
        } else if let previous = metadata[kind]?[record.id] {
            record.lastKnownName = previous.lastKnownName
            record.lastKnownType = previous.lastKnownType
        }
        return record
    }

    /// Stores `record`; an empty one removes the entry.
    package func setMetadata(_ record: ResourceMetadata, kind: MetadataKind) {
        metadata[kind, default: [:]][record.id] = record.isEmpty ? nil : record
        didChange()
    }

    /// Removes the record; false when there was none.
    package func removeMetadata(kind: MetadataKind, id: String) -> Bool {
        guard metadata[kind]?.removeValue(forKey: id) != nil else { return false }
        didChange()
        return true
    }

    /// The name and type of the resource a metadata ID names, when it is monitored now.
    private func identity(of id: String, kind: MetadataKind) -> (name: String, type: String)? {
        switch kind {
        case .guest:
            for instance in pveInstances.values {
                if let guest = instance.inventory.guests.first(where: { $0.id == id || "\($0.node):\($0.vmid)" == id }) {
                    return (guest.name, guest.type)
                }
            }
            return nil
        case .host:
            return hosts[id].map { ($0.displayName, "host") }
        case .dockerHost:
            return dockerHosts[id].map { ($0.displayName, "dockerHost") }
        case .docker:
            for host in dockerHosts.values {
                if let container = host.report.containers.first(where: { $0.id == id || "\(host.id):\($0.id)" == id }) {
                    return (container.name.hasPrefix("/") ? String(container.name.dropFirst()) : container.name, "container")
                }
            }
            return nil
        }
    }
}
