import Foundation
import Testing

@testable import PulseSupport

/// The streaming encoder behind `/api/state` and `/ws` writes what Foundation's encoder with the
/// API's conventions (`WireJSON`) writes, up to the order of object members.
@Suite("Streaming JSON encoder")
struct StreamingJSONEncoderTests {
    enum Kind: Codable, Equatable {
        case plain
        case tagged(name: String, count: Int)
        case unnamed(Double, [String])
    }

    struct Empty: Encodable {}

    /// Encodes its members by hand: nested keyed and unkeyed containers, a container asked for
    /// twice, nil written explicitly, a single-value wrapper.
    struct HandWritten: Encodable {
        enum Keys: String, CodingKey { case a, nested, list, again, null, wrapped }
        struct Wrapped: Encodable {
            let value: Int
            func encode(to encoder: any Encoder) throws {
                var single = encoder.singleValueContainer()
                try single.encode(value)
            }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode("inner", forKey: .a)
            var deeper = nested.nestedUnkeyedContainer(forKey: .list)
            try deeper.encode(true)
            var innermost = deeper.nestedContainer(keyedBy: Keys.self)
            try innermost.encodeNil(forKey: .null)
            try deeper.encode(UInt8(7))
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(Float(0.5))
            try list.encodeNil()
            var same = encoder.container(keyedBy: Keys.self)
            try same.encode(Wrapped(value: 42), forKey: .wrapped)
            try same.encode(Empty(), forKey: .again)
        }
    }

    struct Everything: Encodable {
        var text = "plain"
        var escapes = "a\u{1}\u{8}\u{c}\n\r\t\u{1f}\"\\/é😀 end"
        var whole = 1.0
        var fraction = 0.1
        var large = 1e21
        var tiny = 1e-7
        var negative = -42
        var biggest = UInt64.max
        var smallest = Int64.min
        var float: Float = 0.1
        var flag = false
        var missing: String? = nil
        var present: String? = "here"
        var when = Date(timeIntervalSince1970: 1_796_668_169.25)
        var link = URL(string: "https://pve.example:8006/api2/json")!
        var bytes = Data([0, 1, 2, 250])
        var dictionary = ["b": 2, "a": 1]
        var numbered = [3: "three"]
        var empty: [Int] = []
        var emptyObject = Empty()
        var kinds: [Kind] = [.plain, .tagged(name: "x", count: 2), .unnamed(2.5, ["y"])]
        var optionals: [Int?] = [1, nil, 3]
        var nested: [[String: [Double]]] = [["k": [1, 2.5]], [:]]
        var hand = HandWritten()
    }

    static func canonical(_ bytes: some Sequence<UInt8>) throws -> String {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    @Test func writesWhatFoundationWritesForEveryKindOfValue() throws {
        let streamed = try StreamingJSONEncoder().encode(Everything())
        let foundation = try WireJSON.makeEncoder().encode(Everything())
        #expect(try Self.canonical(streamed) == Self.canonical(foundation))
        // And it is one valid document, nothing left open.
        #expect(try JSONSerialization.jsonObject(with: Data(streamed)) is [String: Any])
    }

    @Test func membersComeInTheOrderTheTypeEncodesThem() throws {
        let text = String(decoding: try StreamingJSONEncoder().encode(HandWritten()), as: UTF8.self)
        #expect(text == #"{"a":1,"nested":{"a":"inner","list":[true,{"null":null},7]},"list":[0.5,null],"wrapped":42,"again":{}}"#)
    }

    @Test func escapesAsFoundationDoes() throws {
        let text = String(decoding: try StreamingJSONEncoder().encode(["s": "a\u{1}\u{8}\u{c}\n\r\t\u{1f}\"\\/é"]), as: UTF8.self)
        #expect(text == #"{"s":"a\u0001\b\f\n\r\t\u001f\"\\/é"}"#)
        let foundation = String(decoding: try WireJSON.makeEncoder().encode(["s": "a\u{1}\u{8}\u{c}\n\r\t\u{1f}\"\\/é"]), as: UTF8.self)
        #expect(text == foundation)
    }

    @Test func numbersAndTimesAreWrittenAsFoundationWritesThem() throws {
        for value in [0.0, 1.0, -2.0, 0.1, 123.456, 1e21, 1e-7, 1_796_668_169.25] {
            let streamed = try StreamingJSONEncoder().encode([value])
            let foundation = try WireJSON.makeEncoder().encode([value])
            #expect(streamed == Array(foundation), "\(value)")
        }
        let date = Date(timeIntervalSince1970: 1_796_668_169)
        #expect(try StreamingJSONEncoder().encode([date]) == Array(try WireJSON.makeEncoder().encode([date])))
    }

    /// A year RFC 3339 cannot write: an empty string in replies (as `WireJSON`), an error for what
    /// is stored (as the agents' encoder), where an empty string would make the record unreadable.
    @Test func anUnwritableDateIsAnEmptyStringOrAnErrorAsAsked() throws {
        let farFuture = Date(timeIntervalSince1970: 400_000_000_000)
        #expect(String(decoding: try StreamingJSONEncoder().encode(["at": farFuture]), as: UTF8.self) == #"{"at":""}"#)
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder(refusingUnwritableDates: true).encode(["at": farFuture]) }
        let date = Date(timeIntervalSince1970: 1_796_668_169)
        #expect(try StreamingJSONEncoder(refusingUnwritableDates: true).encode([date]) == (try StreamingJSONEncoder().encode([date])))
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNumberJSONCannotHoldIsAnError(_ value: Double) {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["v": value]) }
    }

    private struct Twice: Encodable {
        let first: [Item]
        let second: [Item]
        let short: [Int]
        let shortAgain: [Int]
    }

    @Test func anArrayWrittenTwiceIsCopiedAndReadsAsFoundationWritesIt() throws {
        let items = (0..<200).map { Item(name: "item-\($0)", readings: [Reading(value: Double($0) / 8, at: nil)]) }
        let short = Array(0..<10)
        let shared = Twice(first: items, second: items, short: short, shortAgain: short)
        let sink = JSONSink(refusesUnwritableDates: false)
        try sink.write(shared)
        #expect(sink.copies == 1, "the long array's second place is copied; short arrays are encoded each time")
        // The same text as with two arrays of the same elements in storage of their own.
        let separate = Twice(first: items, second: items.map { $0 }, short: short, shortAgain: short.map { $0 })
        let unshared = JSONSink(refusesUnwritableDates: false)
        try unshared.write(separate)
        #expect(unshared.copies == 0)
        #expect(sink.bytes == unshared.bytes)
        let foundation = try JSONSerialization.jsonObject(with: try WireJSON.makeEncoder().encode(shared)) as? NSDictionary
        #expect(try JSONSerialization.jsonObject(with: Data(sink.bytes)) as? NSDictionary == foundation)
    }

    /// Builds a fresh array for each element while encoding, freed right after: storage an
    /// allocator may hand out again at the same address for the next one.
    private struct Counting: Encodable {
        let offset: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode((0..<100).map { $0 + offset })
        }
    }

    @Test func temporaryArraysAreNeverTakenForEachOther() throws {
        let values = (0..<50).map { Counting(offset: $0 * 1000) }
        let streamed = try StreamingJSONEncoder().encode(values)
        let expected = try WireJSON.makeEncoder().encode(values.map { value in (0..<100).map { $0 + value.offset } })
        #expect(streamed == Array(expected))
    }

    private struct Reading: Encodable {
        let value: Double
        let at: Date?
    }

    private struct Item: Encodable {
        let name: String
        let readings: [Reading]
    }

    /// The path of the value an error is about, keys and indexes as `CodingKey`s.
    private static func errorPath(_ encode: () throws -> Any) -> [String] {
        do {
            _ = try encode()
            return ["no error"]
        } catch let EncodingError.invalidValue(_, context) {
            return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func anErrorNamesThePathOfItsValueAsFoundationDoes() {
        let fine = Reading(value: 1, at: nil)
        let items = [
            Item(name: "a", readings: [fine]),
            Item(name: "b", readings: [fine, fine, Reading(value: .infinity, at: nil)]),
        ]
        let streamed = Self.errorPath { try StreamingJSONEncoder().encode(["items": items]) }
        #expect(streamed == ["items", "[1]", "readings", "[2]", "value"])
        #expect(streamed == Self.errorPath { try WireJSON.makeEncoder().encode(["items": items]) })
        // A refused date, one level down a keyed container.
        let farFuture = Item(name: "c", readings: [Reading(value: 2, at: Date(timeIntervalSince1970: 400_000_000_000))])
        let dated = Self.errorPath { try StreamingJSONEncoder(refusingUnwritableDates: true).encode([farFuture]) }
        #expect(dated == ["[0]", "readings", "[0]", "at"])
    }
}
