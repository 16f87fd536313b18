#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
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
struct TapeObject {
    let decoder: TapeDecoder
    let node: Int
    private let pairs: Int
    private var cursor: Int

    init(decoder: TapeDecoder, node: Int) {
        self.decoder = decoder
        self.node = node
        pairs = Int(decoder.tape.nodes[node].start)
        cursor = node + 1
    }

    /// The value node of `key` unless it is absent or `null`.
    private mutating func value(_ key: StaticString) -> Int? {
        let found = key.withUTF8Buffer { decoder.findMember(of: node, pairs: pairs, cursor: &cursor, named: $0) }
        guard let found, decoder.tape.nodes[found].kind != .null else { return nil }
        return found
    }

    mutating func string(_ key: StaticString) throws -> String? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try decoder.tape.string(at: at, in: decoder.bytes) }
    }

    mutating func integer<T: FixedWidthInteger>(_ key: StaticString, as type: T.Type = T.self) throws -> T? {
        guard let at = value(key) else { return nil }
        return try decoder.decodeInteger(T.self, at: at, key: StaticKey(key))
    }

    mutating func double(_ key: StaticString) throws -> Double? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try decoder.tape.double(at: at, in: decoder.bytes) }
    }

    mutating func bool(_ key: StaticString) throws -> Bool? {
        guard let at = value(key) else { return nil }
        return try decoder.scalar(at: at, key: StaticKey(key)) { try decoder.tape.bool(at: at) }
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

    mutating func strings(_ key: StaticString) throws -> [String]? {
        guard let at = value(key) else { return nil }
        return try decoder.stringArray(at: at, key: StaticKey(key))
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

extension TapeDecoder {
    /// Finds the value node of the member named `wanted`, searching from `cursor` (just after
    /// the last member found, since fields are usually read in the order they were written) and
    /// wrapping around once. Keys of another length are rejected before any byte is compared.
    func findMember(of object: Int, pairs: Int, cursor: inout Int, named wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        guard pairs > 0 else { return nil }
        let end = Int(tape.nodes[object].end)
        var node = cursor
        for _ in 0..<pairs {
            if node >= end { node = object + 1 }
            let value = node + 1
            let following = tape.next(after: value)
            let key = tape.nodes[node]
            let matches: Bool
            if key.escaped {
                matches = (try? tape.string(at: node, in: bytes)).map { Array($0.utf8).elementsEqual(wanted) } ?? false
            } else if Int(key.end - key.start) == wanted.count {
                matches = memcmp(bytes.baseAddress! + Int(key.start), wanted.baseAddress!, wanted.count) == 0
            } else {
                matches = false
            }
            if matches {
                cursor = following
                return value
            }
            node = following
        }
        return nil
    }
}
