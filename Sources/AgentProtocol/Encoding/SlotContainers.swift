/// The three container kinds of ``SlotEncoder``. Each typed `encode` overload is a requirement of
/// its protocol; all of them end in `EncodingSlot.set` or `EncodingSlot.encode`.

struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { slot.member(key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { slot.member(key.stringValue).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        slot.member(key.stringValue).set(try .finiteNumber(value, codingPath: path(key)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        slot.member(key.stringValue).set(try .finiteNumber(value, codingPath: path(key)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { slot.member(key.stringValue).set(.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try slot.member(key.stringValue).encode(value, codingPath: path(key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let member = slot.member(key.stringValue)
        member.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: member, codingPath: path(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let member = slot.member(key.stringValue)
        member.becomeArray()
        return UnkeyedSlotContainer(slot: member, codingPath: path(key))
    }

    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SlotEncoder(slot: slot.member(key.stringValue), codingPath: path(key)) }
}

struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var count: Int { slot.elementCount }

    private var next: EncodingSlot { slot.appendElement() }

    mutating func encodeNil() throws { next.set(.null) }
    mutating func encode(_ value: Bool) throws { next.set(.bool(value)) }
    mutating func encode(_ value: String) throws { next.set(.string(value)) }
    mutating func encode(_ value: Double) throws { next.set(try .finiteNumber(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { next.set(try .finiteNumber(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { next.set(.integer(value)) }
    mutating func encode(_ value: Int8) throws { next.set(.integer(value)) }
    mutating func encode(_ value: Int16) throws { next.set(.integer(value)) }
    mutating func encode(_ value: Int32) throws { next.set(.integer(value)) }
    mutating func encode(_ value: Int64) throws { next.set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { next.set(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { next.set(.integer(value)) }
    mutating func encode(_ value: UInt16) throws { next.set(.integer(value)) }
    mutating func encode(_ value: UInt32) throws { next.set(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { next.set(.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try next.encode(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let element = next
        element.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: element, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let element = next
        element.becomeArray()
        return UnkeyedSlotContainer(slot: element, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: next, codingPath: codingPath) }
}

struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode(_ value: Bool) throws { slot.set(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.set(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.set(try .finiteNumber(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { slot.set(try .finiteNumber(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: Int8) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: Int16) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: Int32) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: Int64) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: UInt16) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: UInt32) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { slot.set(.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.encode(value, codingPath: codingPath) }
}
