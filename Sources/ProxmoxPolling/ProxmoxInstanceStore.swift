import Foundation
package import Persistence

/// The configured Proxmox instances, in the database, credentials sealed with `SecretBox`.
///
/// An actor holding the list in memory; every change is written through at once and bumps
/// `version`, which the polling service watches to start, restart or stop pollers.
package actor ProxmoxInstanceStore {
    private let database: PulseDatabase
    private let table: ProxmoxInstanceTable
    private let box: SecretBox
    private var targets: [String: ProxmoxTarget] = [:]
    /// Bumped on every change.
    package private(set) var version = 0

    package init(database: PulseDatabase, box: SecretBox) throws {
        self.database = database
        self.box = box
        table = ProxmoxInstanceTable(database: database)
        let decoder = JSONDecoder()
        for row in try table.all() {
            let instance = try decoder.decode(ProxmoxInstance.self, from: row.body)
            let credentials = try decoder.decode(ProxmoxCredentials.self, from: try box.open(row.sealedCredentials))
            targets[instance.id] = ProxmoxTarget(instance: instance, credentials: credentials)
        }
    }

    /// Every instance, ordered by type then name.
    package func all() -> [ProxmoxTarget] {
        targets.values.sorted { ($0.instance.type.rawValue, $0.instance.name) < ($1.instance.type.rawValue, $1.instance.name) }
    }

    package func target(id: String) -> ProxmoxTarget? { targets[id] }

    /// Whether another instance already uses this name (names are `connectionHealth` keys and ID prefixes).
    package func nameIsTaken(_ name: String, except id: String? = nil) -> Bool {
        targets.values.contains { $0.instance.name.lowercased() == name.lowercased() && $0.instance.id != id }
    }

    /// Adds an instance, giving it the next `<type>-<n>` ID.
    package func add(_ instance: ProxmoxInstance, credentials: ProxmoxCredentials) throws -> ProxmoxTarget {
        var instance = instance
        let counterName = "proxmoxInstance.\(instance.type.rawValue)"
        let number = try database.nextNumber(of: counterName)
        instance.id = "\(instance.type.rawValue)-\(number)"
        let target = ProxmoxTarget(instance: instance, credentials: credentials)
        try save(target)
        return target
    }

    /// Replaces an instance's settings and credentials.
    package func update(_ target: ProxmoxTarget) throws {
        try save(target)
    }

    /// Removes an instance; false when there was none.
    package func remove(id: String) throws -> Bool {
        guard targets.removeValue(forKey: id) != nil else { return false }
        try table.delete(id: id)
        version += 1
        return true
    }

    /// Records what `refresh-cluster` learnt about instance `id`'s cluster. Polling does not read
    /// it, so pollers are not restarted (`version` stays). False when there is no such instance.
    package func recordCluster(_ cluster: PVECluster?, of id: String) throws -> Bool {
        guard var target = targets[id] else { return false }
        target.instance.cluster = cluster
        let body = try JSONEncoder().encode(target.instance)
        let sealed = try box.seal(try JSONEncoder().encode(target.credentials))
        try table.save(id: id, ProxmoxInstanceTable.Row(body: body, sealedCredentials: sealed))
        targets[id] = target
        return true
    }

    private func save(_ target: ProxmoxTarget) throws {
        let body = try JSONEncoder().encode(target.instance)
        let sealed = try box.seal(try JSONEncoder().encode(target.credentials))
        let id = target.instance.id
        try table.save(id: id, ProxmoxInstanceTable.Row(body: body, sealedCredentials: sealed))
        targets[id] = target
        version += 1
    }
}
