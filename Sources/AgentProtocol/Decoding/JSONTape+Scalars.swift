extension JSONTape {
    enum ScalarError: Error {
        case notA(String)
        case outOfRange
        case invalidUTF8
    }

    /// The nodes of a tape seen through a buffer pointer, for the duration of one decode.
    ///
    /// The decoder reads nodes through a class reference millions of times per second; through
    /// the array, each read retained and released its storage. Built by `withView`, valid only
    /// inside its closure.
    struct View {
        let nodes: UnsafeBufferPointer<Node>

        /// The node after `index` and all its descendants.
        func next(after index: Int) -> Int {
            let node = nodes[index]
            switch node.kind {
            case .array, .object: return Int(node.end)
            default: return index + 1
            }
        }
    }

    /// Runs `body` with a view of the nodes.
    func withView<Result>(_ body: (View) throws -> Result) rethrows -> Result {
        try nodes.withUnsafeBufferPointer { try body(View(nodes: $0)) }
    }
}

/// Reading scalar nodes of a tape: strings (with escapes), numbers, booleans.
extension JSONTape.View {
    typealias ScalarError = JSONTape.ScalarError

    func string(at index: Int, in bytes: UnsafeRawBufferPointer) throws -> String {
        let node = nodes[index]
        guard node.kind == .string else { throw ScalarError.notA("string") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
        guard node.escaped else {
            // ASCII is valid UTF-8: skip the (generic, much slower) validating initialiser.
            if !node.nonASCII { return String(decoding: slice, as: UTF8.self) }
            guard let text = String(validating: slice, as: UTF8.self) else { throw ScalarError.invalidUTF8 }
            return text
        }
        var out = [UInt8]()
        out.reserveCapacity(slice.count)
        var position = 0
        while position < slice.count {
            let byte = slice[position]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                position += 1
                continue
            }
            let escape = slice[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(slice, position)
                position += 4
                if (0xD800..<0xDC00).contains(scalar), position + 6 <= slice.count, slice[position] == UInt8(ascii: "\\"),
                    slice[position + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(slice, position + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                }
                // Lone surrogates become U+FFFD, as Foundation's decoder does.
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(value)).utf8))
            default: out.append(escape)  // \" \\ \/
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw ScalarError.invalidUTF8 }
        return text
    }

    private func hex4(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[at + offset]
            let digit: UInt8 =
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
                default: (byte | 0x20) - UInt8(ascii: "a") + 10
                }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    func double(at index: Int, in bytes: UnsafeRawBufferPointer) throws -> Double {
        let node = nodes[index]
        guard node.kind == .number else { throw ScalarError.notA("number") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw ScalarError.outOfRange }
        return value
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int, in bytes: UnsafeRawBufferPointer) throws -> T {
        let node = nodes[index]
        guard node.kind == .number else { throw ScalarError.notA("number") }
        var position = Int(node.start)
        let end = Int(node.end)
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: T = 0
        while position < end {
            let byte = bytes[position]
            guard byte >= 0x30 && byte <= 0x39 else {
                // A fraction or exponent: accept it only if the value is a whole number in range.
                let double = try self.double(at: index, in: bytes)
                guard let exact = T(exactly: double) else { throw ScalarError.outOfRange }
                return exact
            }
            let digit = T(byte - 0x30)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw ScalarError.outOfRange }
            value = next
            position += 1
        }
        return value
    }

    func bool(at index: Int) throws -> Bool {
        switch nodes[index].kind {
        case .true: return true
        case .false: return false
        default: throw ScalarError.notA("boolean")
        }
    }
}
