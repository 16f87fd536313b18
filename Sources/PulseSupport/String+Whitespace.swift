extension StringProtocol {
    /// True when the string is empty or only whitespace and newlines.
    package var isBlank: Bool {
        unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    /// The string without leading and trailing whitespace and newlines.
    ///
    /// Pure Swift: Foundation's `trimmingCharacters(in:)` bridges through NSString, which showed
    /// up at 6 % of server CPU when every container ID of every Docker report was checked with it.
    package var trimmingWhitespace: String {
        let scalars = unicodeScalars
        // Most values (tokens, hostnames) have nothing to trim: return them as they are.
        if let first = scalars.first, let last = scalars.last, !first.properties.isWhitespace, !last.properties.isWhitespace {
            return String(self)
        }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
