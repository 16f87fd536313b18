import Testing

@testable import AgentProtocol

@Suite("JSONTape: strings scanned eight bytes at a time")
struct JSONTapeScanTests {
    /// Every byte value in every lane, among bytes that need no attention: the gate must flag
    /// exactly the quote, the backslash and the control characters, in their lane.
    @Test func theWordGateFlagsExactlyTheBytesThatEndOrEscapeAString() {
        for lane in 0..<8 {
            for value in 0...255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[lane] = UInt8(value)
                let word = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                let expected = value == 0x22 || value == 0x5C || value < 0x20
                let special = JSONTape.specialBytes(word)
                #expect((special != 0) == expected, "byte \(value) in lane \(lane)")
                if expected { #expect(special.trailingZeroBitCount / 8 == lane, "byte \(value) in lane \(lane)") }
            }
        }
    }

    /// Two bytes in one word, in every pair of lanes and for every kind of special and plain byte
    /// (including those at and above 0x80, and those next to a special byte's borrow): the first
    /// flag is always the first special byte.
    @Test func theFirstFlagIsTheFirstSpecialByteWhateverFollowsIt() {
        let specials: [UInt8] = [0x00, 0x01, 0x1F, 0x22, 0x5C]
        let others: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for first in 0..<8 {
            for second in (first + 1)..<9 {
                for special in specials {
                    for other in others {
                        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                        for lane in 0..<first { bytes[lane] = [0x61, 0x80, 0xC3, 0xFF, 0x21][lane % 5] }
                        bytes[first] = special
                        if second < 8 { bytes[second] = other }
                        let word = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                        #expect(JSONTape.specialBytes(word).trailingZeroBitCount / 8 == first, "\(bytes)")
                    }
                }
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
