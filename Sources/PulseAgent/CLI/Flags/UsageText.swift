/// The `--help` text: a synopsis, each option with its help line, and what the agent accepts for
/// compatibility without acting on it.
enum UsageText {
    static func render(command: String, abstract: String, specs: [FlagSpec]) -> String {
        var lines = [abstract, "", "USAGE: \(command) [options]", "", "OPTIONS (one dash or two; -name=value or -name value):"]
        func label(_ spec: FlagSpec) -> String {
            switch spec.kind {
            case .bool(let negatable): negatable ? "--[no-]\(spec.name)" : "--\(spec.name)"
            case .value(let placeholder): "--\(spec.name) <\(placeholder)>"
            case .repeatable(let placeholder): "--\(spec.name) <\(placeholder)> (repeatable)"
            }
        }
        let shown =
            specs.filter { !$0.hidden } + [
                .bool("help", help: "Show this help and exit."), .bool("version", help: "Print the version and exit."),
            ]
        let width = min(44, (shown.map { label($0).count }.max() ?? 0) + 2)
        for spec in shown {
            let left = label(spec)
            let padding = left.count < width ? String(repeating: " ", count: width - left.count) : "\n" + String(repeating: " ", count: width + 2)
            lines.append("  " + left + padding + spec.help)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
