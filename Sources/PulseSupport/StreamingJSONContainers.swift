/// The three container kinds of ``StreamingEncoder``. Each typed `encode` overload is a
/// requirement of its protocol; a keyed or unkeyed one starts a member (`JSONSink.beginMember`)
/// and writes its value where the output stands; the unkeyed and single-value ones share theirs
/// (`StreamingValuePlace`).

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path(toDepth: depth) }

    private func begin(_ key: Key) { sink.beginMember(at: depth, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws {
        begin(key)
        sink.appendNull()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        begin(key)
        sink.appendBool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        begin(key)
        sink.appendString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        begin(key)
        try sink.appendNumber(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        begin(key)
        try sink.appendNumber(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { integer(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try sink.write(value)
    }

    private func integer<I: BinaryInteger>(_ value: I, _ key: Key) {
        begin(key)
        sink.appendInteger(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        begin(key)
        sink.openContainer(object: true, at: depth + 1)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        sink.openContainer(object: false, at: depth + 1)
        return StreamingUnkeyedContainer(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        sink.beginMember(at: depth, key: "super")
        return StreamingEncoder(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        begin(key)
        return StreamingEncoder(sink: sink, depth: depth + 1)
    }
}

/// A container whose every value takes one place (`begin` makes it): an unkeyed container's next
/// element, or a single-value container's one value. The typed `encode` overloads of both
/// protocols are written once here.
protocol StreamingValuePlace {
    var sink: JSONSink { get }
    mutating func begin()
}

extension StreamingValuePlace {
    mutating func encodeNil() throws {
        begin()
        sink.appendNull()
    }
    mutating func encode(_ value: Bool) throws {
        begin()
        sink.appendBool(value)
    }
    mutating func encode(_ value: String) throws {
        begin()
        sink.appendString(value)
    }
    mutating func encode(_ value: Double) throws {
        begin()
        try sink.appendNumber(value)
    }
    mutating func encode(_ value: Float) throws {
        begin()
        try sink.appendNumber(value)
    }
    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        begin()
        try sink.write(value)
    }

    private mutating func integer<I: BinaryInteger>(_ value: I) {
        begin()
        sink.appendInteger(value)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer, StreamingValuePlace {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path(toDepth: depth) }
    private(set) var count = 0

    init(sink: JSONSink, depth: Int) {
        self.sink = sink
        self.depth = depth
    }

    /// The next element: its separator.
    mutating func begin() {
        sink.beginMember(at: depth, key: nil)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        begin()
        sink.openContainer(object: true, at: depth + 1)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        begin()
        sink.openContainer(object: false, at: depth + 1)
        return StreamingUnkeyedContainer(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        begin()
        return StreamingEncoder(sink: sink, depth: depth + 1)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer, StreamingValuePlace {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path(toDepth: depth) }

    /// The one value, where the output stands (after anything a previous value left open).
    mutating func begin() { sink.close(downTo: depth) }
}
