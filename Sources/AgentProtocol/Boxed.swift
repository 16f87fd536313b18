/// An optional member kept out of line: eight bytes in its owner whether present or not, the
/// value itself in a shared, immutable box. For members most values of a type lack and that are
/// large inline (a container's Podman metadata is 152 bytes, its image update status 64, in every
/// one of the server's containers, Docker's too). Reading and writing it is as for any optional;
/// encoded like one (an absent value is no key at all).
@propertyWrapper
public struct Boxed<Value: Sendable & Equatable>: Sendable, Equatable {
    private final class Storage: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var storage: Storage?

    public init(wrappedValue: Value?) {
        storage = wrappedValue.map(Storage.init)
    }

    public var wrappedValue: Value? {
        get { storage?.value }
        set { storage = newValue.map(Storage.init) }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.storage === rhs.storage || lhs.wrappedValue == rhs.wrappedValue
    }
}

extension Boxed: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedEncodingContainer {
    /// A boxed member as an optional one: absent when nil (the synthesized `encode(to:)` of the
    /// owner calls this more specific overload).
    public mutating func encode<Value: Encodable>(_ boxed: Boxed<Value>, forKey key: Key) throws {
        try encodeIfPresent(boxed.wrappedValue, forKey: key)
    }
}
