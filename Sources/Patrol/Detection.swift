/// What one detector reports for one resource in one run; the book turns it into a ``Finding``.
package struct Detection: Sendable, Equatable {
    package var detector: String
    /// What identifies the resource for this detector (usually the resource ID); the finding's ID
    /// is a hash of the detector and this key.
    package var key: String
    package var severity: FindingSeverity
    package var category: FindingCategory
    package var resourceId: String
    package var resourceName: String
    package var resourceType: String
    package var node: String
    package var title: String
    package var description: String
    package var recommendation: String
    package var evidence: [String: Double]

    /// Every stored property; `key` defaults to the resource ID.
    package init(
        detector: String, key: String? = nil, severity: FindingSeverity, category: FindingCategory, resourceId: String,
        resourceName: String, resourceType: String, node: String = "", title: String, description: String, recommendation: String,
        evidence: [String: Double]
    ) {
        self.detector = detector
        self.key = key ?? resourceId
        self.severity = severity
        self.category = category
        self.resourceId = resourceId
        self.resourceName = resourceName
        self.resourceType = resourceType
        self.node = node
        self.title = title
        self.description = description
        self.recommendation = recommendation
        // JSON has no NaN or infinity: a number that is not finite is left out.
        self.evidence = evidence.filter { $0.value.isFinite }
    }

    /// The finding ID: stable across runs.
    package var id: String { Finding.stableID(detector: detector, key: key) }
}
