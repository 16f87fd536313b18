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
        sink.reserveCapacity(capacity)
        try sink.write(value)
        return sink.bytes
    }
}

/// The output and the containers still open in it, innermost last.
final class JSONSink {
    /// What the sink writes and tracks. It sits behind a pointer of the sink's own: every
    /// access to a class's stored property pays a dynamic exclusivity check, and the state's
    /// encoding makes millions of them (about half its time). A sink is used by one encode, one
    /// call at a time, and never hands out its state, so no two accesses can overlap.
    private struct State {
        var bytes: [UInt8] = []
        /// Each open container: whether it is an object, how many members it has so far, and the
        /// key of its current member (an object's). Together they are the coding path of the value
        /// being written, made into `CodingKey`s only when asked (`currentPath`), for an error.
        var open: [(object: Bool, members: Int, key: String?)] = []
        /// Large arrays written so far, by storage, with where their text is in `bytes`: the same
        /// storage again in this document (the state holds its PVE backups twice, as
        /// `backups.pve` and `pveBackups`) is copied, not encoded again. Each array is kept so its
        /// storage cannot be freed and reused by another array meanwhile.
        var written: [StorageIdentity: (kept: Any, range: Range<Int>)] = [:]
        /// How many arrays were copied rather than encoded.
        var copies = 0
    }

    private let state: UnsafeMutablePointer<State>
    let refusesUnwritableDates: Bool

    /// The output so far.
    var bytes: [UInt8] { state.pointee.bytes }
    /// How many arrays were copied rather than encoded (for tests).
    var copies: Int { state.pointee.copies }

    init(refusesUnwritableDates: Bool) {
        self.refusesUnwritableDates = refusesUnwritableDates
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Room for `capacity` bytes of output.
    func reserveCapacity(_ capacity: Int) {
        state.pointee.bytes.reserveCapacity(capacity)
    }

    /// Closes the containers opened deeper than `depth` (a member's nested containers end when
    /// the next member of its parent begins, or when the parent's value is done).
    func close(downTo depth: Int) {
        while state.pointee.open.count > depth {
            state.pointee.bytes.append(state.pointee.open.removeLast().object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container at `depth`, or reuses the one a value already opened there (a type may
    /// ask its encoder for the same container twice).
    func openContainer(object: Bool, at depth: Int) {
        close(downTo: depth + 1)
        if state.pointee.open.count == depth + 1, state.pointee.open[depth].object == object { return }
        state.pointee.open.append((object, 0, nil))
        state.pointee.bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts the next member of the container at `depth`: its separator and, in an object, its key.
    func beginMember(at depth: Int, key: String?) {
        close(downTo: depth + 1)
        if state.pointee.open[depth].members > 0 { state.pointee.bytes.append(UInt8(ascii: ",")) }
        state.pointee.open[depth].members += 1
        state.pointee.open[depth].key = key
        if let key {
            appendString(key)
            state.pointee.bytes.append(UInt8(ascii: ":"))
        }
    }

    /// The coding path of the value being written: each open container's current member.
    func currentPath() -> [any CodingKey] {
        state.pointee.open.map { level in level.object ? PathKey(stringValue: level.key ?? "") : PathKey(intValue: level.members - 1) }
    }

    /// The coding path of a container or encoder at `depth`: its first `depth` levels.
    func path(toDepth depth: Int) -> [any CodingKey] {
        Array(currentPath().prefix(depth))
    }

    /// Writes one value where the output stands. The scalar types are told apart by their
    /// metatypes (a comparison each) rather than by dynamic casts.
    func write<T: Encodable>(_ value: T) throws {
        if T.self == String.self {
            appendString(unsafeBitCast(value, to: String.self))
        } else if T.self == Bool.self {
            appendBool(unsafeBitCast(value, to: Bool.self))
        } else if T.self == Int.self {
            appendInteger(unsafeBitCast(value, to: Int.self))
        } else if T.self == Double.self {
            try appendNumber(unsafeBitCast(value, to: Double.self))
        } else if T.self == Date.self {
            try appendDate(unsafeBitCast(value, to: Date.self))
        } else if T.self == URL.self {
            appendString(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if T.self == Data.self {
            appendString(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else {
            let identity = (value as? any StorageSharing)?.storageIdentity
            if let identity, let earlier = state.pointee.written[identity] {
                state.pointee.bytes.append(contentsOf: Array(state.pointee.bytes[earlier.range]))
                state.pointee.copies += 1
                return
            }
            let depth = state.pointee.open.count
            let start = state.pointee.bytes.count
            try value.encode(to: StreamingEncoder(sink: self, depth: depth))
            close(downTo: depth)
            // A value that encoded nothing is an empty object, as with Foundation.
            if state.pointee.bytes.count == start { state.pointee.bytes.append(contentsOf: "{}".utf8) }
            if let identity { state.pointee.written[identity] = (value, start..<state.pointee.bytes.count) }
        }
    }

    /// A finite number; NaN and the infinities are an error at the current path.
    func appendNumber<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws {
        state.pointee.bytes.append(contentsOf: try JSONText.number(value, codingPath: value.isFinite ? [] : currentPath()).utf8)
    }

    /// A date in RFC 3339; one it cannot write is an empty string, or an error when refused.
    func appendDate(_ date: Date) throws {
        if let text = RFC3339.format(date) {
            appendString(text)
        } else if refusesUnwritableDates {
            appendString(try RFC3339.format(date, codingPath: currentPath()))
        } else {
            appendString("")
        }
    }

    func appendInteger<I: BinaryInteger>(_ value: I) {
        state.pointee.bytes.append(contentsOf: String(value).utf8)
    }

    func appendBool(_ value: Bool) {
        state.pointee.bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    func appendNull() {
        state.pointee.bytes.append(contentsOf: "null".utf8)
    }

    func appendString(_ text: String) {
        JSONText.appendString(text, to: &state.pointee.bytes)
    }
}

/// The `Encoder` handed to a value's `encode(to:)`: its containers write at `depth`.
struct StreamingEncoder: Encoder {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path(toDepth: depth) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        sink.openContainer(object: true, at: depth)
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(sink: sink, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.openContainer(object: false, at: depth)
        return StreamingUnkeyedContainer(sink: sink, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(sink: sink, depth: depth)
    }
}

/// A key of a coding path rebuilt for an error (`JSONSink.currentPath`).
struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Which storage an array's elements are in, for `JSONSink`: equal identities, while both arrays
/// live, mean the same elements.
struct StorageIdentity: Hashable {
    let address: UInt
    let count: Int
    let element: ObjectIdentifier
}

/// An array the sink may recognise when its storage comes again (`JSONSink.write`).
protocol StorageSharing {
    /// Nil for arrays too short to be worth recognising.
    var storageIdentity: StorageIdentity? { get }
}

extension Array: StorageSharing {
    /// Arrays below this many elements are encoded each time.
    static var shortestShared: Int { 64 }

    var storageIdentity: StorageIdentity? {
        guard count >= Self.shortestShared else { return nil }
        return withUnsafeBufferPointer { elements in
            StorageIdentity(address: UInt(bitPattern: elements.baseAddress), count: count, element: ObjectIdentifier(Element.self))
        }
    }
}
