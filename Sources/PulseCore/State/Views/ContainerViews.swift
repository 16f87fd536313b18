package import AgentProtocol

/// A Docker host's containers as a snapshot shows them. It holds the reported containers
/// themselves, shared with the state rather than copied, and makes each `ContainerView` when it
/// is read or encoded: a snapshot of 20,000 containers kept a second, view-shaped copy of every
/// one of them (about 650 bytes each) for as long as it was published.
package struct ContainerViews: RandomAccessCollection, Encodable, Sendable {
    private let reports: [ContainerReport]
    private let rates: [String: BlockIORates]
    /// What users attached, by container ID (set while the snapshot is built).
    package var metadata: [String: ResourceMetadata] = [:]

    package init(_ reports: [ContainerReport], rates: [String: BlockIORates]) {
        self.reports = reports
        self.rates = rates
    }

    package var startIndex: Int { reports.startIndex }
    package var endIndex: Int { reports.endIndex }

    package subscript(position: Int) -> ContainerView {
        let report = reports[position]
        var view = ContainerView(report, rates: rates[report.id])
        view.metadata = metadata[report.id]
        return view
    }

    /// The containers' IDs, without making their views.
    package var ids: some Sequence<String> { reports.lazy.map(\.id) }

    /// An array of `ContainerView`s, made and encoded one at a time.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for view in self { try container.encode(view) }
    }
}
