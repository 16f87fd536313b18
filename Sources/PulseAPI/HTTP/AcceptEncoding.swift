import PulseSupport

/// What an `Accept-Encoding` header (RFC 9110 §12.5.3) allows, for the one coding the server
/// offers besides identity: gzip.
enum AcceptEncoding {
    /// Whether `header` accepts gzip: `gzip` (or `x-gzip`) with a weight above zero, or `*`
    /// above zero when gzip is not named. No header means identity only.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var wildcard: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let name = parts.first?.trimmingWhitespace.lowercased() else { continue }
            let weight = parts.dropFirst().lazy.compactMap(Self.weight).first ?? 1
            switch name {
            case "gzip", "x-gzip": return weight > 0
            case "*": wildcard = weight > 0
            default: continue
            }
        }
        return wildcard ?? false
    }

    /// The value of a `q=` parameter; nil for any other parameter. A malformed weight counts as 0.
    private static func weight(_ parameter: Substring) -> Double? {
        let pair = parameter.split(separator: "=", maxSplits: 1)
        guard pair.count == 2, pair[0].trimmingWhitespace.lowercased() == "q" else { return nil }
        let value = Double(pair[1].trimmingWhitespace) ?? 0
        return value.isFinite ? value : 0
    }
}
