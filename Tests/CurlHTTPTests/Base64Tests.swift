import CurlHTTP
import Foundation
import Testing

@Suite("Base64 without Foundation")
struct Base64Tests {
    @Test func decodesAndEncodesAsFoundationDoesForEveryLengthUpTo64() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Data(bytes).base64EncodedString()
            #expect(Base64.encode(bytes) == text)
            #expect(Base64.decode(text) == bytes)
        }
    }

    @Test func refusesWhatFoundationRefusesAndPaddingInTheMiddle() {
        for bad in ["abc", "YQ", "a===", "ab!d", "ab d", "YQ==YQ=="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
            #expect(Data(base64Encoded: bad) == nil, "Foundation agrees on \(bad)")
        }
        // Foundation decodes these (to [105, 28] and [0]); padding belongs only at the end.
        #expect(Base64.decode("ab=c") == nil)
        #expect(Base64.decode("====") == nil)
        #expect(Base64.decode("") == [])
        #expect(Base64.decode("YQ==") == Array("a".utf8))
    }
}

@Suite("Text search without _StringProcessing")
struct TextSearchTests {
    @Test func findsTextWhereFoundationFindsIt() {
        let line = "md0 : active raid1 sdb1[1](F) sda1[0]\n      [=>...]  recovery = 12.6% (1/8) finish=1.2min"
        for needle in ["(F)", "recovery =", "md0", "finish=1.2min", "raid1 sdb1", "ee"] {
            #expect(line.rangeOfText(needle) == line.range(of: needle), "\(needle)")
        }
        #expect(line.containsText("(F)") && !line.containsText("(S)") && !line.containsText(""))
        #expect("aab".rangeOfText("ab") == "aab".range(of: "ab"), "a partial match is retried from the next position")
        #expect(line.dropFirst(6).containsText("active"), "substrings too")
    }
}
