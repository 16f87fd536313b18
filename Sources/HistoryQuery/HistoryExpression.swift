/// How one metric of the local history is read from the `/metrics` families an engine holds:
/// a PromQL expression around a selector, aggregated by the labels that name one resource.
package struct HistoryExpression: Sendable {
    /// The label names that identify one resource in the result.
    package let keyLabels: [String]
    /// Matchers every selector of the expression gets besides the caller's.
    let fixedMatchers: [PromQL.Matcher]
    /// The expression around a selector; the argument is the complete `{…}` text.
    private let build: @Sendable (String) -> String

    init(keys: [String], fixed: [PromQL.Matcher] = [], _ build: @escaping @Sendable (String) -> String) {
        keyLabels = keys
        fixedMatchers = fixed
        self.build = build
    }

    /// The expression with `matchers` (and the fixed ones) on every selector.
    package func expression(matching matchers: [PromQL.Matcher]) -> String {
        build(PromQL.braces(matchers + fixedMatchers))
    }

    private static func by(_ keys: [String]) -> String { keys.joined(separator: ", ") }

    /// `100 × family` per resource, for a 0–1 ratio family.
    static func percent(of family: String, by keys: [String]) -> HistoryExpression {
        HistoryExpression(keys: keys) { "100 * max by (\(Self.by(keys))) (\(family)\($0))" }
    }

    /// `100 × used / total` per resource (the largest when a resource has several, such as a
    /// host's filesystems); a total of 0 gives no point rather than a division by zero.
    static func usedOverTotal(_ used: String, _ total: String, by keys: [String]) -> HistoryExpression {
        HistoryExpression(keys: keys) { "max by (\(Self.by(keys))) (100 * \(used)\($0) / (\(total)\($0) > 0))" }
    }

    /// The family's value as it is (the largest when a resource has several series).
    static func gauge(_ family: String, by keys: [String], fixed: [PromQL.Matcher] = []) -> HistoryExpression {
        HistoryExpression(keys: keys, fixed: fixed) { "max by (\(Self.by(keys))) (\(family)\($0))" }
    }

    /// Only while the Docker container runs, as the local history records it.
    func whileContainerRuns() -> HistoryExpression {
        let inner = build
        let keys = Self.by(keyLabels)
        return HistoryExpression(keys: keyLabels, fixed: fixedMatchers) {
            "(\(inner($0))) and on (\(keys)) (max by (\(keys)) (pulse_docker_container_running\($0)) == 1)"
        }
    }
}
