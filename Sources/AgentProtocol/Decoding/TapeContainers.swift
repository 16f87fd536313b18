/// An object on the tape. Keys are searched from just after the last one found, so fields read
/// in the order the agent wrote them (Go writes struct order) are found in one comparison.
final class TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int
    let pairs: Int
    /// Finds members the way the fast path does (see `TapeObject`).
    private var members: TapeObject

    init(decoder: TapeDecoder, object: Int) {
        self.decoder = decoder
        self.object = object
        pairs = Int(decoder.tape.nodes[object].start)
        members = TapeObject(decoder: decoder, node: object)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var keys: [Key] = []
        var node = object + 1
        for _ in 0..<pairs {
            if let name = try? decoder.tape.string(at: node, in: decoder.bytes), let key = Key(stringValue: name) { keys.append(key) }
            node = decoder.tape.next(after: node + 1)
        }
        return keys
    }

    /// The value node for `key`, or nil.
    private func find(_ key: Key) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { members.find($0) }
    }

    private func require(_ key: Key) throws -> Int {
        guard let node = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for key \"\(key.stringValue)\""))
        }
        return node
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.tape.nodes[try require(key)].kind == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let node = try require(key)
        return try decoder.scalar(at: node, key: key) { try decoder.tape.bool(at: node) }
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.decodeValue(String.self, at: try require(key), key: key)
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let node = try require(key)
        return try decoder.scalar(at: node, key: key) { try decoder.tape.double(at: node, in: decoder.bytes) }
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, forKey: key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.decodeInteger(Int.self, at: try require(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.decodeInteger(Int8.self, at: try require(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.decodeInteger(Int16.self, at: try require(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.decodeInteger(Int32.self, at: try require(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.decodeInteger(Int64.self, at: try require(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.decodeInteger(UInt.self, at: try require(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.decodeInteger(UInt8.self, at: try require(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.decodeInteger(UInt16.self, at: try require(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.decodeInteger(UInt32.self, at: try require(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.decodeInteger(UInt64.self, at: try require(key), key: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(T.self, at: try require(key), key: key)
    }

    /// One lookup for "absent or null → nil", instead of the default's three.
    private func present(_ key: Key) -> Int? {
        guard let node = find(key), decoder.tape.nodes[node].kind != .null else { return nil }
        return node
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try decoder.decodeValue(String.self, at: $0, key: key) }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { node in try decoder.scalar(at: node, key: key) { try decoder.tape.bool(at: node) } }
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { node in try decoder.scalar(at: node, key: key) { try decoder.tape.double(at: node, in: decoder.bytes) } }
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try decoder.decodeInteger(Int.self, at: $0, key: key) }
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try present(key).map { try decoder.decodeInteger(Int64.self, at: $0, key: key) }
    }

    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try present(key).map { try decoder.decodeInteger(UInt64.self, at: $0, key: key) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try decoder.decodeValue(T.self, at: $0, key: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let node = try require(key)
        guard decoder.tape.nodes[node].kind == .object else { throw decoder.mismatch([String: Int].self, at: node, key: key) }
        return KeyedDecodingContainer(TapeKeyedContainer<NestedKey>(decoder: decoder, object: node))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let node = try require(key)
        guard decoder.tape.nodes[node].kind == .array else { throw decoder.mismatch([Int].self, at: node, key: key) }
        return TapeUnkeyedContainer(decoder: decoder, array: node)
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

/// The coding key of an array element: its index.
struct TapeIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue!)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// An array on the tape, read front to back.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let count: Int?
    private(set) var currentIndex = 0
    private var node: Int

    init(decoder: TapeDecoder, array: Int) {
        self.decoder = decoder
        count = Int(decoder.tape.nodes[array].start)
        node = array + 1
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    private mutating func advance() throws -> (node: Int, key: TapeIndexKey) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "Unkeyed container is at end"))
        }
        let current = (node, TapeIndexKey(currentIndex))
        node = decoder.tape.next(after: node)
        currentIndex += 1
        return current
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tape.nodes[node].kind == .null else { return false }
        _ = try advance()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, key) = try advance()
        return try decoder.decodeValue(T.self, at: node, key: key)
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let (node, key) = try advance()
        return try decoder.decodeValue(String.self, at: node, key: key)
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let (node, key) = try advance()
        return try decoder.scalar(at: node, key: key) { try decoder.tape.double(at: node, in: decoder.bytes) }
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (node, key) = try advance()
        return try decoder.scalar(at: node, key: key) { try decoder.tape.bool(at: node) }
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        let (node, key) = try advance()
        return try decoder.decodeInteger(Int.self, at: node, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, key) = try advance()
        guard decoder.tape.nodes[node].kind == .object else { throw decoder.mismatch([String: Int].self, at: node, key: key) }
        return KeyedDecodingContainer(TapeKeyedContainer<NestedKey>(decoder: decoder, object: node))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, key) = try advance()
        guard decoder.tape.nodes[node].kind == .array else { throw decoder.mismatch([Int].self, at: node, key: key) }
        return TapeUnkeyedContainer(decoder: decoder, array: node)
    }

    mutating func superDecoder() throws -> any Decoder { decoder }
}

/// A single value on the tape (the root of `Date`, enums with raw values, and wrappers).
struct TapeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    let node: Int

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.tape.nodes[node].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.scalar(at: node, key: nil) { try decoder.tape.bool(at: node) } }
    func decode(_ type: String.Type) throws -> String {
        try decoder.scalar(at: node, key: nil) { try decoder.tape.string(at: node, in: decoder.bytes) }
    }
    func decode(_ type: Double.Type) throws -> Double {
        try decoder.scalar(at: node, key: nil) { try decoder.tape.double(at: node, in: decoder.bytes) }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(Int.self, at: node, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(Int8.self, at: node, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(Int16.self, at: node, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(Int32.self, at: node, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(Int64.self, at: node, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(UInt.self, at: node, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(UInt8.self, at: node, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(UInt16.self, at: node, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(UInt32.self, at: node, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(UInt64.self, at: node, key: nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self, at: node) }
}
