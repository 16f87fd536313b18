import AgentProtocol
package import Foundation

/// Writes an `Encodable` value as JSON straight into bytes, member after member, with the
/// conventions of `WireJSON` (dates in RFC 3339, slashes unescaped, `nil` optionals left out,
/// non-finite numbers refused).
///
/// Foundation's `JSONEncoder` first builds the whole document as a tree of dictionaries and
/// then serializes it: for the state of 20,000 containers that tree took some 90 MB for the
/// moment of each build. This one holds only the output and the stack of open containers.
/// Members come out in the order a type encodes them (Foundation's order varies per encode).
package struct StreamingJSONEncoder: Sendable {
    package init() {}

    /// The JSON text of `value`.
    package func encode<T: Encodable>(_ value: T, reservingCapacity capacity: Int = 4096) throws -> [UInt8] {
        let sink = JSONSink()
        sink.bytes.reserveCapacity(capacity)
        try sink.write(value, codingPath: [])
        return sink.bytes
    }
}

/// The output and the containers still open in it, innermost last.
final class JSONSink {
    var bytes: [UInt8] = []
    /// Each open container: whether it is an object, and how many members it has so far.
    private var open: [(object: Bool, members: Int)] = []

    var depth: Int { open.count }

    /// Closes the containers opened deeper than `depth` (a member's nested containers end when
    /// the next member of its parent begins, or when the parent's value is done).
    func close(downTo depth: Int) {
        while open.count > depth {
            bytes.append(open.removeLast().object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container at `depth`, or reuses the one a value already opened there (a type may
    /// ask its encoder for the same container twice).
    func openContainer(object: Bool, at depth: Int) {
        close(downTo: depth + 1)
        if open.count == depth + 1, open[depth].object == object { return }
        open.append((object, 0))
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts the next member of the container at `depth`: its separator and, in an object, its key.
    func beginMember(at depth: Int, key: String?) {
        close(downTo: depth + 1)
        if open[depth].members > 0 { bytes.append(UInt8(ascii: ",")) }
        open[depth].members += 1
        if let key {
            appendString(key)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// Writes one value where the output stands.
    func write<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let text as String: appendString(text)
        case let flag as Bool: bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case let number as Int: bytes.append(contentsOf: String(number).utf8)
        case let number as Double: try appendNumber(number, codingPath: codingPath)
        case let date as Date: appendString(RFC3339.format(date) ?? "")
        case let url as URL: appendString(url.absoluteString)
        case let data as Data: appendString(data.base64EncodedString())
        default:
            let depth = open.count
            let start = bytes.count
            try value.encode(to: StreamingEncoder(sink: self, depth: depth, codingPath: codingPath))
            close(downTo: depth)
            // A value that encoded nothing is an empty object, as with Foundation.
            if bytes.count == start { bytes.append(contentsOf: "{}".utf8) }
        }
    }

    func appendNumber<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    func appendInteger<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped (as Foundation writes
    /// them), everything else as its UTF-8.
    func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var clean = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` handed to a value's `encode(to:)`: its containers write at `depth`.
struct StreamingEncoder: Encoder {
    let sink: JSONSink
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        sink.openContainer(object: true, at: depth)
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(sink: sink, depth: depth, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.openContainer(object: false, at: depth)
        return StreamingUnkeyedContainer(sink: sink, depth: depth, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(sink: sink, depth: depth, codingPath: codingPath)
    }
}
