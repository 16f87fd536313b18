/// A JSON value being written: what ``AgentJSONEncoder`` builds from an `Encodable` and then
/// turns into bytes. Objects keep their keys in the order they were encoded.
indirect enum JSONNode {
    case null
    case bool(Bool)
    /// The number's text, already valid JSON.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])
}

extension JSONNode {
    /// How the text is laid out.
    struct Layout {
        /// Two-space indentation and `"key" : value`, one member per line.
        var pretty = false
        /// Object keys in byte order of their UTF-8 (as Go and Foundation sort them).
        var sortedKeys = false
    }

    /// Appends this value's JSON text to `out`.
    func write(to out: inout [UInt8], layout: Layout, depth: Int = 0) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .number(let text): out += text.utf8
        case .string(let text): JSONText.appendString(text, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else { return Self.writeEmpty("[", "]", to: &out, layout, depth) }
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, layout, depth + 1)
                element.write(to: &out, layout: layout, depth: depth + 1)
            }
            Self.newline(&out, layout, depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return Self.writeEmpty("{", "}", to: &out, layout, depth) }
            let ordered = layout.sortedKeys ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : members
            out.append(UInt8(ascii: "{"))
            for (position, member) in ordered.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, layout, depth + 1)
                JSONText.appendString(member.key, to: &out)
                out += (layout.pretty ? " : " : ":").utf8
                member.value.write(to: &out, layout: layout, depth: depth + 1)
            }
            Self.newline(&out, layout, depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An empty array or object: `[]` compact; pretty, an empty line inside (as Foundation writes it).
    private static func writeEmpty(_ open: Unicode.Scalar, _ close: Unicode.Scalar, to out: inout [UInt8], _ layout: Layout, _ depth: Int) {
        out.append(UInt8(ascii: open))
        if layout.pretty {
            out.append(UInt8(ascii: "\n"))
            newline(&out, layout, depth)
        }
        out.append(UInt8(ascii: close))
    }

    private static func newline(_ out: inout [UInt8], _ layout: Layout, _ depth: Int) {
        guard layout.pretty else { return }
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: depth * 2)
    }
}
