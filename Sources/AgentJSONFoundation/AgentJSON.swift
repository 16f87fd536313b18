import AgentProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON coders configured for the agent wire format.
///
/// Times are RFC 3339 strings (see ``RFC3339``): decoding accepts Go's output (0–9 fractional digits,
/// `Z` or numeric offsets, the zero time); encoding writes UTC with `Z` and at most six fractional digits.
/// Always use these coders for report, reply and ack bodies; a default `JSONDecoder` would reject
/// every time on the wire.
public enum AgentJSON {
    /// A decoder for agent reports, replies and command acks.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Expected an RFC 3339 time, found \"\(text)\"")
            }
            return date
        }
        return decoder
    }

    /// An encoder for agent reports, replies and command acks.
    ///
    /// Slashes are not escaped (Go does not escape them either), so paths and image names stay readable.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date, codingPath: encoder.codingPath))
        }
        return encoder
    }
}
