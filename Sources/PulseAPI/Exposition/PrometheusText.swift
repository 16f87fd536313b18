package import PulseCore

/// Prometheus's text exposition format (version 0.0.4), written family by family.
///
/// Each family gets its `# HELP` and `# TYPE` lines once, then its samples. Label values are
/// escaped as the format requires (backslash, double quote, line feed); names are fixed by us.
package struct PrometheusText {
    package typealias Labels = ExpositionFamilies.Labels

    private var families = ExpositionFamilies()

    /// Adds one sample of gauge `name`; non-finite values are skipped (Prometheus accepts NaN,
    /// but a missing reading is better left out than reported as NaN).
    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Double?) {
        families.gauge(name, help, labels, value)
    }

    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: (some BinaryInteger)?) {
        families.gauge(name, help, labels, value)
    }

    mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Bool) {
        families.gauge(name, help, labels, value)
    }

    /// The whole exposition.
    func rendered() -> String {
        Self.render(families.families)
    }

    /// `families` as text, in their order.
    package static func render(_ families: [ExpositionFamily]) -> String {
        var output = ""
        for family in families {
            output += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                output += family.name
                if !sample.labels.isEmpty {
                    output += "{" + sample.labels.map { "\($0.name)=\"\(escape($0.value))\"" }.joined(separator: ",") + "}"
                }
                output += " \(format(sample.value))\n"
            }
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
