package import Foundation

/// Which resources a caller asked for; every condition given must hold (nil or false: any).
package struct ResourceQuery: Sendable, Equatable {
    package var types: Set<Resource.Kind>?
    package var platforms: Set<Resource.Platform>?
    package var statuses: Set<Resource.Status>?
    package var parent: String?
    /// Only resources with an active alert.
    package var withAlerts = false
    /// Only machines and clusters (`Kind.isInfrastructure`).
    package var infrastructure = false
    /// Only guests, containers and pods (`Kind.isWorkload`).
    package var workloads = false

    package init() {}

    package func matches(_ resource: Resource) -> Bool {
        if let types, !types.contains(resource.type) { return false }
        if let platforms, !platforms.contains(resource.platformType) { return false }
        if let statuses, !statuses.contains(resource.status) { return false }
        if let parent, resource.parentId != parent { return false }
        if withAlerts && (resource.alerts ?? []).isEmpty { return false }
        if infrastructure && !resource.type.isInfrastructure { return false }
        if workloads && !resource.type.isWorkload { return false }
        return true
    }
}

/// Counts over every resource (`GET /api/resources/stats`, and `stats` of the list).
package struct ResourceStats: Encodable, Sendable, Equatable {
    package var totalResources = 0
    /// Resources merged into another of the same machine. Always 0: resources are not merged here.
    package var suppressedResources = 0
    package var byType: [String: Int] = [:]
    package var byPlatform: [String: Int] = [:]
    package var byStatus: [String: Int] = [:]
    package var withAlerts = 0
    package var lastUpdated: Date

    package init(_ resources: [Resource], at now: Date) {
        lastUpdated = now
        totalResources = resources.count
        for resource in resources {
            byType[resource.type.rawValue, default: 0] += 1
            byPlatform[resource.platformType.rawValue, default: 0] += 1
            byStatus[resource.status.rawValue, default: 0] += 1
            if !(resource.alerts ?? []).isEmpty { withAlerts += 1 }
        }
    }
}
