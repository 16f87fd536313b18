package import Foundation

/// A user's rule that keeps matching findings out of the active list: a resource, a category, or
/// both (a rule with neither would hide everything, and is refused).
package struct SuppressionRule: Codable, Sendable, Equatable, Identifiable {
    package var id: String
    /// Empty: any resource.
    package var resourceId: String
    package var resourceName: String
    /// Nil: any category.
    package var category: FindingCategory?
    /// Why the user suppressed it.
    package var description: String
    package var createdAt: Date
    /// The finding it was made from (`POST /api/ai/patrol/suppress`), if any.
    package var findingId: String?

    enum CodingKeys: String, CodingKey {
        case id, resourceId = "resource_id", resourceName = "resource_name", category, description, createdAt = "created_at"
        case findingId = "finding_id"
    }

    package init(
        id: String, resourceId: String, resourceName: String, category: FindingCategory?, description: String, createdAt: Date,
        findingId: String? = nil
    ) {
        self.id = id
        self.resourceId = resourceId
        self.resourceName = resourceName
        self.category = category
        self.description = description
        self.createdAt = createdAt
        self.findingId = findingId
    }

    package func matches(_ finding: Finding) -> Bool {
        (resourceId.isEmpty || resourceId == finding.resourceId) && (category.map { $0 == finding.category } ?? true)
    }
}
