/// The few pieces of PromQL text the history queries are built from.
///
/// Every value that comes from outside (a resource ID, this server's instance name) enters a
/// query only through `quoted(_:)`, so no value can end its string and add query text.
package enum PromQL {
    /// `value` as a PromQL double-quoted string: backslash, double quote and line breaks
    /// escaped, so the engine reads back exactly `value`.
    package static func quoted(_ value: String) -> String {
        var text = "\""
        text.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// One label matcher: `name="value"`, or `name=~"value"` for a regular expression. Names
    /// are ours; values always go through `quoted(_:)`.
    package struct Matcher: Sendable, Equatable {
        package var name: String
        package var value: String
        package var isRegex = false

        package init(_ name: String, _ value: String, isRegex: Bool = false) {
            self.name = name
            self.value = value
            self.isRegex = isRegex
        }

        var text: String { "\(name)\(isRegex ? "=~" : "=")\(PromQL.quoted(value))" }
    }

    /// A selector's matcher list, `{…}`, in the order given.
    package static func braces(_ matchers: [Matcher]) -> String {
        "{" + matchers.map(\.text).joined(separator: ",") + "}"
    }
}
