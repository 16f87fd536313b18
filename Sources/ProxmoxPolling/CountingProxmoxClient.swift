import Synchronization

/// Counts the requests made through it: the poll cost in the closing figures and in the scheduler health.
package final class CountingProxmoxClient: Sendable {
    private let client: any ProxmoxClient
    private let counter = Mutex(0)

    package init(_ client: any ProxmoxClient) {
        self.client = client
    }

    package var count: Int { counter.withLock { $0 } }

    /// Stops between requests once the task is cancelled (shutdown, instance removed), so a
    /// slow instance holds a shutdown up for one request at most.
    package func get<T: Decodable & Sendable>(_ path: String, _ type: T.Type) async throws -> T {
        try Task.checkCancellation()
        counter.withLock { $0 += 1 }
        return try await client.get(path, as: type)
    }
}
