#if canImport(Glibc)
import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#endif

/// A type that reads itself straight from a tape object, bypassing Codable's boxed containers.
///
/// Only for the types decoded thousands of times per report (Docker containers and their parts).
/// Conformers must read exactly what their `init(from:)` reads, with the same defaults; the
/// differential tests compare both paths on real and damaged reports.
protocol TapeReadable {
    init(reading object: inout TapeObject) throws
}

/// A coding key naming a field by a static string: no allocation unless an error needs the name.
struct StaticKey: CodingKey {
    let name: StaticString
    init(_ name: StaticString) { self.name = name }
    var stringValue: String { name.description }
    var intValue: Int? { nil }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// An object on the tape, read field by field with Go's rules: a missing or `null` field is nil
/// (callers apply the zero value), a value of the wrong type is an error naming its path.
///
/// Fields are looked up where the last one was found first, since agents write them in the
/// order they are read (Go writes struct order): a present field costs one comparison. An
/// absent one would cost a comparison with every key, so the object's keys are summarised once
/// in a 64-bit filter (length, first and last byte) that rules most absent fields out at once.
struct TapeObject {
    let decoder: TapeDecoder
    let node: Int
    private let tape: JSONTape.View
    private let bytes: UnsafeRawBufferPointer
    private let pairs: Int
    private let end: Int
    /// Node index of the key where the next search starts.
    private var cursor: Int
    private var keyFilter: UInt64 = 0
    private var keyFilterBuilt = false

    init(decoder: TapeDecoder, node: Int) {
        self.decoder = decoder
        self.node = node
        tape = decoder.tape
        bytes = decoder.bytes
        pairs = Int(decoder.tape.nodes[node].start)
        end = Int(decoder.tape.nodes[node].end)
        cursor = node + 1
    }

    /// The value node of `key` unless it is absent or `null`.
    private mutating func value(_ key: StaticString) -> Int? {
        let found = key.withUTF8Buffer { find($0) }
        guard let found, tape.nodes[found].kind != .null else { return nil }
        return found
    }

    /// The value node of the member named `wanted` (`null` included), or nil when absent.
    mutating func find(_ wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        guard pairs > 0 else { return nil }
        if cursor >= end { cursor = node + 1 }
        if keyMatches(cursor, wanted) {
            let value = cursor + 1
            cursor = tape.next(after: value)
            return value
        }
        if !keyFilterBuilt { buildKeyFilter() }
        guard keyFilter & Self.filterBit(count: wanted.count, first: wanted.first, last: wanted.last) != 0 else { return nil }
        var key = tape.next(after: cursor + 1)
        for _ in 1..<pairs {
            if key >= end { key = node + 1 }
            let value = key + 1
            let following = tape.next(after: value)
            if keyMatches(key, wanted) {
                cursor = following
                return value
            }
            key = following
        }
        return nil
    }

    private func keyMatches(_ key: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = tape.nodes[key]
        if name.escaped {
            return (try? tape.string(at: key, in: bytes)).map { $0.utf8.elementsEqual(wanted) } ?? false
        }
        guard Int(name.end - name.start) == wanted.count else { return false }
        return wanted.isEmpty || memcmp(bytes.baseAddress! + Int(name.start), wanted.baseAddress!, wanted.count) == 0
    }

    private mutating func buildKeyFilter() {
        keyFilterBuilt = true
        var key = node + 1
        for _ in 0..<pairs {
            let name = tape.nodes[key]
            if name.escaped {
                keyFilter = .max  // its bytes are not its name: rule nothing out
                return
            }
            let start = Int(name.start)
            let count = Int(name.end - name.start)
            keyFilter |= Self.filterBit(count: count, first: count > 0 ? bytes[start] : nil, last: count > 0 ? bytes[start + count - 1] : nil)
            key = tape.next(after: key + 1)
        }
    }

    private static func filterBit(count: Int, first: UInt8?, last: UInt8?) -> UInt64 {
        let hash = count &* 7 &+ Int(first ?? 0) &* 3 &+ Int(last ?? 0)
        return 1 << UInt64(hash & 63)
    }

    mutating func string(_ key: StaticString) throws -> String? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try tape.string(at: at, in: bytes) }
    }

    /// A string that values of the document repeat (an image, a network name): the one read
    /// first is shared (see `TapeDecoder.shared(_:)`).
    mutating func sharedString(_ key: StaticString) throws -> String? {
        try string(key).map(decoder.shared)
    }

    mutating func integer<T: FixedWidthInteger>(_ key: StaticString, as type: T.Type = T.self) throws -> T? {
        guard let at = value(key) else { return nil }
        return try decoder.decodeInteger(T.self, at: at, key: StaticKey(key))
    }

    mutating func double(_ key: StaticString) throws -> Double? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try tape.double(at: at, in: bytes) }
    }

    mutating func bool(_ key: StaticString) throws -> Bool? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try tape.bool(at: at) }
    }

    mutating func date(_ key: StaticString) throws -> Date? {
        guard let at = value(key) else { return nil }
        return try decoder.date(at: at, key: StaticKey(key))
    }

    /// An array of `TapeReadable` values, read without Codable's containers.
    mutating func array<Element: TapeReadable & Decodable>(_ key: StaticString, of type: Element.Type) throws -> [Element]? {
        guard let at = value(key) else { return nil }
        return try decoder.readableArray(Element.self, at: at, key: StaticKey(key))
    }

    /// A Docker report's containers (see `TapeDecoder.containers`).
    mutating func containers(_ key: StaticString) throws -> [ContainerReport]? {
        guard let at = value(key) else { return nil }
        return try decoder.containers(at: at, key: StaticKey(key))
    }

    /// A nested `TapeReadable` object, read without the generic path's type checks.
    mutating func object<Value: TapeReadable & Decodable>(_ key: StaticString, as type: Value.Type) throws -> Value? {
        guard let at = value(key) else { return nil }
        guard tape.nodes[at].kind == .object else { return try decoder.decodeValue(Value.self, at: at, key: StaticKey(key)) }
        return try decoder.readObject(Value.self, at: at, key: StaticKey(key))
    }

    mutating func strings(_ key: StaticString) throws -> [String]? {
        guard let at = value(key) else { return nil }
        return try decoder.stringArray(at: at, key: StaticKey(key))
    }

    mutating func doubles(_ key: StaticString) throws -> [Double]? {
        guard let at = value(key) else { return nil }
        return try decoder.doubleArray(at: at, key: StaticKey(key))
    }

    mutating func doubleMap(_ key: StaticString) throws -> [String: Double]? {
        guard let at = value(key) else { return nil }
        return try decoder.doubleDictionary(at: at, key: StaticKey(key))
    }

    mutating func stringMap(_ key: StaticString) throws -> [String: String]? {
        guard let at = value(key) else { return nil }
        return try decoder.stringDictionary(at: at, key: StaticKey(key))
    }

    /// Any `Decodable` value (dates, arrays, nested types); `TapeReadable` ones take the fast path.
    mutating func decode<T: Decodable>(_ key: StaticString, as type: T.Type = T.self) throws -> T? {
        guard let at = value(key) else { return nil }
        return try decoder.decodeValue(T.self, at: at, key: StaticKey(key))
    }
}
