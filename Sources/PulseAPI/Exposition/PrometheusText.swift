/// Prometheus's text exposition format (version 0.0.4), written family by family.
///
/// Each family gets its `# HELP` and `# TYPE` lines once, then its samples. Label values are
/// escaped as the format requires (backslash, double quote, line feed); names are fixed by us.
package struct PrometheusText {
    package typealias Labels = KeyValuePairs<String, String>

    package private(set) var text = ""
    private var families: [String: Family] = [:]
    private var order: [String] = []

    private struct Family {
        var help: String
        var type: String
        var lines: [String] = []
    }

    /// Adds one sample of gauge `name`; non-finite values are skipped (Prometheus accepts NaN,
    /// but a missing reading is better left out than reported as NaN).
    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Double?) {
        sample(name, help: help, type: "gauge", labels, value)
    }

    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: (some BinaryInteger)?) {
        sample(name, help: help, type: "gauge", labels, value.map(Double.init))
    }

    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Bool) {
        sample(name, help: help, type: "gauge", labels, value ? 1 : 0)
    }

    private mutating func sample(_ name: String, help: String, type: String, _ labels: Labels, _ value: Double?) {
        guard let value, value.isFinite else { return }
        if families[name] == nil {
            families[name] = Family(help: help, type: type)
            order.append(name)
        }
        let labelText = labels.isEmpty ? "" : "{" + labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
        families[name]?.lines.append("\(name)\(labelText) \(Self.format(value))")
    }

    /// The whole exposition.
    func rendered() -> String {
        var output = ""
        for name in order {
            guard let family = families[name] else { continue }
            output += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
            for line in family.lines { output += line + "\n" }
        }
        return output
    }

    package static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    package static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
