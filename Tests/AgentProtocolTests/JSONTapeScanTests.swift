import Testing

@testable import AgentProtocol

@Suite("JSONTape: strings scanned eight bytes at a time")
struct JSONTapeScanTests {
    /// Every byte value in every lane, among bytes that need no attention: the gate must flag
    /// exactly the quote, the backslash and the control characters.
    @Test func theWordGateFlagsExactlyTheBytesThatEndOrEscapeAString() {
        for lane in 0..<8 {
            for value in 0...255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[lane] = UInt8(value)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let expected = value == 0x22 || value == 0x5C || value < 0x20
                #expect(JSONTape.mayEndOrEscape(word) == expected, "byte \(value) in lane \(lane)")
            }
        }
    }

    @Test func longStringsWithEscapesAndNonASCIIAtEveryOffsetDecode() throws {
        for offset in 0..<17 {
            let padding = String(repeating: "x", count: offset)
            for tail in [#"\"q"#, #"\\"#, #"\n"#, "é", "ü€", ""] {
                let json = #"{"s":""# + padding + tail + "0123456789abcdef" + #""}"#
                let decoded = try AgentJSONDecoder().decode([String: String].self, from: Array(json.utf8))
                let expectedTail = ["\\\"q": "\"q", "\\\\": "\\", "\\n": "\n"][tail] ?? tail
                #expect(decoded["s"] == padding + expectedTail + "0123456789abcdef")
            }
        }
        // A raw control character and an unterminated string are still refused.
        #expect(throws: (any Error).self) {
            try AgentJSONDecoder().decode([String: String].self, from: Array("{\"s\":\"0123456789\u{01}abc\"}".utf8))
        }
        #expect(throws: (any Error).self) { try AgentJSONDecoder().decode([String: String].self, from: Array(#"{"s":"0123456789abcdefgh"#.utf8)) }
    }
}
