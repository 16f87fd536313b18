extension StringProtocol {
    /// Where `needle` first occurs, compared by Unicode scalars (so it finds text in kernel files
    /// and command output exactly as written); nil when it does not, or when `needle` is empty.
    ///
    /// The agent's own `contains`/`firstRange(of:)`: the standard ones for text come from
    /// `_StringProcessing`, and one use links that module and its regex parser (1.2 MB) into the
    /// static agent.
    public func rangeOfText<T: StringProtocol>(_ needle: T) -> Range<Index>? {
        let target = Array(needle.unicodeScalars)
        guard let first = target.first else { return nil }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        while let candidate = scalars[start...].firstIndex(of: first) {
            var position = candidate
            var matched = 0
            while matched < target.count, position < scalars.endIndex, scalars[position] == target[matched] {
                matched += 1
                position = scalars.index(after: position)
            }
            if matched == target.count { return candidate..<position }
            start = scalars.index(after: candidate)
        }
        return nil
    }

    /// Whether `needle` occurs in this text (see ``rangeOfText(_:)``).
    public func containsText<T: StringProtocol>(_ needle: T) -> Bool { rangeOfText(needle) != nil }
}
