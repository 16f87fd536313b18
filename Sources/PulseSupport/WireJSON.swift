import AgentProtocol
package import Foundation

/// The JSON conventions of everything the server sends (API responses, webhooks): Pulse's field
/// names are already camelCase, dates are RFC 3339, slashes are not escaped.
package enum WireJSON {
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date) ?? "")
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
