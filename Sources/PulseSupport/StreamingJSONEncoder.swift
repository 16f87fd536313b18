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
    /// Whether a date RFC 3339 cannot write (a year outside 0…9999) is an error, as with
    /// `AgentJSON`'s encoder, rather than an empty string, as with `WireJSON`'s: on for what is
    /// stored and read back, where an empty string would make the whole value unreadable.
    package let refusesUnwritableDates: Bool

    package init(refusingUnwritableDates: Bool = false) {
        refusesUnwritableDates = refusingUnwritableDates
    }

    /// The JSON text of `value`.
    package func encode<T: Encodable>(_ value: T, reservingCapacity capacity: Int = 4096) throws -> [UInt8] {
        let sink = JSONSink(refusesUnwritableDates: refusesUnwritableDates)
        sink.bytes.reserveCapacity(capacity)
        try sink.write(value, codingPath: [])
        return sink.bytes
    }
}

/// The output and the containers still open in it, innermost last.
final class JSONSink {
    var bytes: [UInt8] = []
    let refusesUnwritableDates: Bool
    /// Each open container: whether it is an object, and how many members it has so far.
    private var open: [(object: Bool, members: Int)] = []

    init(refusesUnwritableDates: Bool) {
        self.refusesUnwritableDates = refusesUnwritableDates
    }

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
        case let flag as Bool: appendBool(flag)
        case let number as Int: appendInteger(number)
        case let number as Double: try appendNumber(number, codingPath: codingPath)
        case let date as Date:
            appendString(refusesUnwritableDates ? try RFC3339.format(date, codingPath: codingPath) : RFC3339.format(date) ?? "")
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
        bytes.append(contentsOf: try JSONText.number(value, codingPath: codingPath).utf8)
    }

    func appendInteger<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    func appendBool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    func appendString(_ text: String) {
        JSONText.appendString(text, to: &bytes)
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
