/// PEM text (`-----BEGIN …-----` base64 `-----END …-----`).
public enum PEM {
    /// The bytes of the first block in `text`, or nil when there is none.
    public static func firstBlock<S: StringProtocol>(_ text: S) -> [UInt8]? {
        var inside = false
        var base64 = ""
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("-----BEGIN ") {
                inside = true
            } else if line.hasPrefix("-----END ") {
                guard inside else { return nil }
                return Base64.decode(base64)
            } else if inside {
                base64 += line.filter { !$0.isWhitespace }
            }
        }
        return nil
    }
}
