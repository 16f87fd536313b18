extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines (ASCII only: kernel files and HTTP
    /// header lines are ASCII).
    public var trimmingASCIIWhitespace: String {
        // "\r\n" is one Character in Swift, so it is listed on its own (HTTP header lines end so).
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
