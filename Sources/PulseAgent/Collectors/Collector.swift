/// A part of the system the agent reports on: the host, Docker, Kubernetes. Each feeds one
/// `ReportSource`, and so one reporting loop.
///
/// `collect()` gathers one sample. It is called once per reporting interval and must not fail
/// because an optional part of the system is missing: that part is left out of the result.
protocol Collector: Sendable {
    associatedtype Sample: Sendable
    /// A short name for logs and `--self-test`.
    var name: String { get }
    func collect() async throws -> Sample
}
