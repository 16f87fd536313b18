/// Base64 (RFC 4648, standard alphabet) without Foundation, for PEM bodies, kubeconfig data and
/// signatures in the agent.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Each ASCII byte's 6-bit value; 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The bytes `text` encodes, or nil when it is not padded base64 (length a multiple of four,
    /// `=` only at the end, nothing outside the alphabet), as Foundation's decoder requires.
    public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var padding = 0
        if input.last == UInt8(ascii: "=") { padding += 1 }
        if input.count >= 2 && input[input.count - 2] == UInt8(ascii: "=") { padding += 1 }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            var quantum: UInt32 = 0
            for offset in 0..<4 {
                let byte = input[index + offset]
                let isPadding = index + offset >= input.count - padding
                if isPadding {
                    guard byte == UInt8(ascii: "=") else { return nil }
                    quantum <<= 6
                    continue
                }
                let value = values[Int(byte)]
                guard value != 0xFF else { return nil }
                quantum = quantum << 6 | UInt32(value)
            }
            let produced = index + 4 == input.count ? 3 - padding : 3
            for shift in [16, 8, 0].prefix(produced) { output.append(UInt8(truncatingIfNeeded: quantum >> UInt32(shift))) }
            index += 4
        }
        return output
    }

    /// `bytes` as padded base64.
    public static func encode<C: Collection<UInt8>>(_ bytes: C) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let quantum = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(quantum >> 18 & 63)])
            output.append(alphabet[Int(quantum >> 12 & 63)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(quantum >> 6 & 63)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(quantum & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
