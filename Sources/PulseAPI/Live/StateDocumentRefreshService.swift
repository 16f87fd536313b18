import PulseSupport
import ServiceLifecycle

/// Keeps the shared state document recent while someone reads it: every half `maxStaleness`,
/// builds a newer one if the kept one was read and the state has moved on
/// (`StateDocuments.refreshIfRead`), so readers are served without waiting for a build. Does
/// nothing when `maxStaleness` is zero (every reader then gets the current version anyway).
package struct StateDocumentRefreshService: Service {
    package let documents: StateDocuments

    package func run() async throws {
        guard documents.maxStaleness > .zero else {
            try? await gracefulShutdown()
            return
        }
        await repeatUntilShutdown(every: documents.maxStaleness / 2) {
            try? await documents.refreshIfRead()
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(documents: StateDocuments) {
        self.documents = documents
    }
}
