extension Duration {
    /// Whole milliseconds (truncated), for C APIs that take them (libcurl timeouts, `poll`) and
    /// for figures reported in ms.
    public var wholeMilliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
