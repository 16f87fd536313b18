/// Writes `Encodable` values as JSON without Foundation, for the agent (whose binary leaves
/// Foundation out) and for anything else that sends agent wire bodies.
///
/// Output matches what the agent's peers expect from Go: slashes and non-ASCII unescaped, times as
/// RFC 3339 (a type says how through ``AgentJSONScalar``), `nil` optionals left out by the types'
/// synthesized `encode(to:)`, non-finite numbers refused. `pretty` and `sortedKeys` lay it out as
/// Foundation's `.prettyPrinted` and `.sortedKeys` do (for `pulse-agent --once`).
public struct AgentJSONEncoder: Sendable {
    /// One member per line, indented by two spaces.
    public var pretty = false
    /// Object keys in UTF-8 byte order.
    public var sortedKeys = false

    public init(pretty: Bool = false, sortedKeys: Bool = false) {
        self.pretty = pretty
        self.sortedKeys = sortedKeys
    }

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = EncodingSlot()
        try root.encode(value, codingPath: [])
        guard let node = root.node else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) did not encode any value."))
        }
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        node.write(to: &out, layout: .init(pretty: pretty, sortedKeys: sortedKeys))
        return out
    }
}

/// A type with its own JSON form in agent bodies (a time as an RFC 3339 string), used by
/// ``AgentJSONEncoder`` instead of the type's `encode(to:)`.
protocol AgentJSONScalar {
    func agentJSONNode(codingPath: [any CodingKey]) throws -> JSONNode
}

/// Where one value goes while it is being encoded: filled once, by a scalar or by the containers
/// the value's `encode(to:)` asks for.
final class EncodingSlot {
    private enum Content {
        case empty
        case scalar(JSONNode)
        case object([(key: String, slot: EncodingSlot)])
        case array([EncodingSlot])
    }

    private var content = Content.empty

    /// What was encoded into this slot; nil when nothing was.
    var node: JSONNode? {
        switch content {
        case .empty: nil
        case .scalar(let node): node
        case .object(let members): .object(members.map { ($0.key, $0.slot.node ?? .object([])) })
        case .array(let elements): .array(elements.map { $0.node ?? .object([]) })
        }
    }

    func set(_ node: JSONNode) { content = .scalar(node) }

    /// A member slot under `key` (replacing an earlier one of the same key, as Foundation does).
    func member(_ key: String) -> EncodingSlot {
        var members: [(key: String, slot: EncodingSlot)] = []
        if case .object(let existing) = content { members = existing }
        let slot = EncodingSlot()
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].slot = slot
        } else {
            members.append((key, slot))
        }
        content = .object(members)
        return slot
    }

    /// Makes this slot an object (so an object with no members is still `{}`).
    func becomeObject() {
        if case .object = content { return }
        content = .object([])
    }

    /// Makes this slot an array.
    func becomeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// A new element slot at the end of this array.
    func appendElement() -> EncodingSlot {
        var elements: [EncodingSlot] = []
        if case .array(let existing) = content { elements = existing }
        let slot = EncodingSlot()
        elements.append(slot)
        content = .array(elements)
        return slot
    }

    var elementCount: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }

    /// Encodes `value` into this slot.
    func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        if let scalar = value as? any AgentJSONScalar {
            set(try scalar.agentJSONNode(codingPath: codingPath))
        } else {
            try value.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
        }
    }
}

extension JSONNode {
    static func finiteNumber<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, codingPath: [any CodingKey]) throws -> JSONNode {
        .number(try JSONText.number(value, codingPath: codingPath))
    }

    static func integer<I: BinaryInteger>(_ value: I) -> JSONNode { .number(String(value)) }
}

/// The `Encoder` handed to a value's `encode(to:)`: its containers write into one slot.
struct SlotEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleSlotContainer(slot: slot, codingPath: codingPath) }
}
