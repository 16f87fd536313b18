import Foundation
package import PulseCore

/// The operator's extra labels (`PULSE_REMOTE_WRITE_LABELS`, `k=v,k=v`).
package enum RemoteWriteLabels {
    /// The label every series carries to tell servers apart; history queries filter on it.
    package static let instance = "pulse_instance"

    package struct Problem: Error, CustomStringConvertible {
        package let description: String
    }

    /// Parses `name=value` pairs separated by commas. Names must be Prometheus label names
    /// (`[a-zA-Z_][a-zA-Z0-9_]*`), not reserved (`__…`), not `pulse_instance`, not repeated;
    /// values must not hold control characters.
    package static func parse(_ text: String) throws(Problem) -> [MetricLabel] {
        var labels: [MetricLabel] = []
        for pair in text.split(separator: ",") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { throw Problem(description: "'\(trimmed)' is not name=value") }
            let name = String(trimmed[..<equals])
            let value = String(trimmed[trimmed.index(after: equals)...])
            guard isLabelName(name) else { throw Problem(description: "'\(name)' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)") }
            guard !name.hasPrefix("__") else { throw Problem(description: "'\(name)' is reserved: names starting with __ are Prometheus's") }
            guard name != instance else { throw Problem(description: "'\(instance)' is set by PULSE_INSTANCE_NAME") }
            guard !labels.contains(where: { $0.name == name }) else { throw Problem(description: "'\(name)' is given twice") }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw Problem(description: "the value of '\(name)' holds a control character")
            }
            labels.append(MetricLabel(name: name, value: value))
        }
        return labels
    }

    package static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
