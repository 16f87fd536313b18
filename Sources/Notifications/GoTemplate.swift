import Foundation

/// The small part of Go's text/template that webhook templates use: `{{.Field}}` and
/// `{{.CustomFields.name}}` (with optional spaces inside the braces). Nothing else is evaluated —
/// no functions, pipelines or loops — so a template cannot do more than fill in values.
///
/// With `jsonEscaped`, each value is escaped as the inside of a JSON string, so a message with
/// quotes or line breaks cannot break (or inject into) a JSON body.
package enum GoTemplate {
    package static func render(_ template: String, values: [String: String], jsonEscaped: Bool) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if expression.hasPrefix("."), let value = values[String(expression.dropFirst())] {
                output += jsonEscaped ? escape(value) : value
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    package static func escape(_ value: String) -> String {
        let encoded = String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
        return String(encoded.dropFirst().dropLast())
    }
}
