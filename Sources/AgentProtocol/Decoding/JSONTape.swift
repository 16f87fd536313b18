/// A validated JSON document flattened into one array of nodes, in document order.
///
/// Objects and arrays record where they end, so a reader can skip a whole value in one step;
/// scalars record their byte range in the input, which is only interpreted when a field asks
/// for it. Building the tape is one pass with no per-value allocations besides the array.
struct JSONTape {
    enum Kind: UInt8 {
        case null, `false`, `true`, number, string, array, object
    }

    struct Node {
        var kind: Kind
        /// Strings: first byte after the opening quote. Numbers: first byte.
        /// Arrays and objects: number of elements, or of key/value pairs.
        var start: Int32
        /// Strings and numbers: one past the last byte. Arrays and objects: the index of the
        /// node after the container's last descendant.
        var end: Int32
        /// Strings: contains a backslash escape.
        var escaped: Bool
        /// Strings: contains a byte outside ASCII, so its UTF-8 must be validated when read.
        var nonASCII = false
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// The high bit of each of the eight bytes of `word` (the lowest address in the lowest byte:
    /// `UInt64(littleEndian:)` of a load) that is a quote, a backslash or below 0x20, and possibly
    /// of bytes above the first such byte (a borrow carries upward); the lowest flag is always
    /// exact, so the first byte that ends or escapes a string is at
    /// `specialBytes(word).trailingZeroBitCount / 8`, and none is in the word when the result is 0.
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let belowSpace = (word &- ones &* 0x20) & ~word & highs
        return belowSpace | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }

    /// Deeper documents are refused rather than risking the stack.
    static let maximumDepth = 128

    private(set) var nodes: [Node] = []

    init(parsing bytes: UnsafeRawBufferPointer) throws {
        nodes.reserveCapacity(bytes.count / 6 + 8)
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        try parser.parseValue(into: &nodes, depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw SyntaxError(offset: parser.position, reason: "unexpected data after the document") }
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        func error(_ reason: String) -> SyntaxError { SyntaxError(offset: position, reason: reason) }

        mutating func parseValue(into nodes: inout [Node], depth: Int) throws {
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"): try parseObject(into: &nodes, depth: depth + 1)
            case UInt8(ascii: "["): try parseArray(into: &nodes, depth: depth + 1)
            case UInt8(ascii: "\""): try parseString(into: &nodes)
            case UInt8(ascii: "t"): try parseLiteral("true", .true, into: &nodes)
            case UInt8(ascii: "f"): try parseLiteral("false", .false, into: &nodes)
            case UInt8(ascii: "n"): try parseLiteral("null", .null, into: &nodes)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(into: &nodes)
            default: throw error("unexpected character")
            }
        }

        mutating func parseLiteral(_ literal: StaticString, _ kind: Kind, into nodes: inout [Node]) throws {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("unexpected end of input") }
            for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] {
                throw error("invalid literal")
            }
            nodes.append(Node(kind: kind, start: Int32(position), end: Int32(position + count), escaped: false))
            position += count
        }

        mutating func parseNumber(into nodes: inout [Node]) throws {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            nodes.append(Node(kind: .number, start: Int32(start), end: Int32(position), escaped: false))
        }

        mutating func parseString(into nodes: inout [Node]) throws {
            position += 1
            let start = position
            var escaped = false
            var nonASCII = false
            while position < bytes.count {
                // Eight bytes at a time while none is a quote, a backslash or a control character.
                // A word with one goes straight to its first such byte.
                if position + 8 <= bytes.count {
                    let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                    let special = JSONTape.specialBytes(word)
                    if special == 0 {
                        nonASCII = nonASCII || word & 0x8080_8080_8080_8080 != 0
                        position += 8
                        continue
                    }
                    let plain = special.trailingZeroBitCount / 8
                    let plainBits = (UInt64(1) << UInt64(plain * 8)) &- 1  // plain < 8: the bytes before it
                    nonASCII = nonASCII || word & plainBits & 0x8080_8080_8080_8080 != 0
                    position += plain
                }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    nodes.append(Node(kind: .string, start: Int32(start), end: Int32(position), escaped: escaped, nonASCII: nonASCII))
                    position += 1
                    return
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    position += 1
                    guard position < bytes.count else { break }
                    switch bytes[position] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 1
                    case UInt8(ascii: "u"):
                        guard position + 4 < bytes.count,
                            (1...4).allSatisfy({ isHexDigit(bytes[position + $0]) })
                        else { throw error("invalid \\u escape") }
                        position += 5
                    default:
                        throw error("invalid escape")
                    }
                    continue
                }
                guard byte >= 0x20 else { throw error("control character in string") }
                nonASCII = nonASCII || byte >= 0x80
                position += 1
            }
            throw error("unterminated string")
        }

        mutating func parseArray(into nodes: inout [Node], depth: Int) throws {
            guard depth <= JSONTape.maximumDepth else { throw error("nesting deeper than \(JSONTape.maximumDepth)") }
            let index = nodes.count
            nodes.append(Node(kind: .array, start: 0, end: 0, escaped: false))
            position += 1
            skipWhitespace()
            var count: Int32 = 0
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    try parseValue(into: &nodes, depth: depth)
                    count += 1
                    skipWhitespace()
                    guard position < bytes.count else { throw error("unterminated array") }
                    if bytes[position] == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        continue
                    }
                    guard bytes[position] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                    position += 1
                    break
                }
            }
            nodes[index].start = count
            nodes[index].end = Int32(nodes.count)
        }

        mutating func parseObject(into nodes: inout [Node], depth: Int) throws {
            guard depth <= JSONTape.maximumDepth else { throw error("nesting deeper than \(JSONTape.maximumDepth)") }
            let index = nodes.count
            nodes.append(Node(kind: .object, start: 0, end: 0, escaped: false))
            position += 1
            skipWhitespace()
            var count: Int32 = 0
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    try parseString(into: &nodes)
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    position += 1
                    skipWhitespace()
                    try parseValue(into: &nodes, depth: depth)
                    count += 1
                    skipWhitespace()
                    guard position < bytes.count else { throw error("unterminated object") }
                    if bytes[position] == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        continue
                    }
                    guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                    position += 1
                    break
                }
            }
            nodes[index].start = count
            nodes[index].end = Int32(nodes.count)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
    }
}
