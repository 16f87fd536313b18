/// A source the agent reports on (host metrics now; Docker, Kubernetes, SMART later).
///
/// `collect()` gathers one sample. It is called once per reporting interval and must not fail
/// because an optional part of the system is missing: that part is left out of the result.
protocol Collector: Sendable {
    associatedtype Sample: Sendable
    /// A short name for logs and `--self-test`.
    var name: String { get }
    func collect() async throws -> Sample
}
