/// The parts one poll tried to read besides the calls that fail it as a whole, and those that
/// failed with why: a failed part is shown as stale or failed with when it was last good
/// (`PartFreshness`), never as current.
package struct PollParts: Sendable {
    package var attempted: Set<String> = []
    package var failures: [String: String] = [:]

    package init() {}

    /// Runs `read` as part `part`: a failure is recorded (and the value is nil), never thrown. A
    /// 404 is no failure: the feature is absent on this server.
    mutating func read<T>(_ part: String, _ read: () async throws -> T) async -> T? {
        attempted.insert(part)
        do {
            return try await read()
        } catch let error as ProxmoxError where error.category == .notFound {
            return nil
        } catch {
            failures[part] = "\(error)"
            return nil
        }
    }

    mutating func fail(_ part: String, _ description: String) {
        attempted.insert(part)
        failures[part] = failures[part] ?? description
    }
}
