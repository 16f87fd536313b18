/// The hash behind container digests (``ContainerReuse``): sixteen input bytes per step through
/// one 64 × 64 → 128-bit multiply whose halves are folded together (the construction of wyhash),
/// keyed with two random words drawn once per process.
///
/// A digest only decides whether a container of an agent's report is the one at the same place
/// in the same token's previous report, so what it needs is that two different containers
/// practically never share one (about 2⁻⁶⁴ per pair of inputs that differ), not resistance to a
/// sender shaping collisions: a sender could only make the server keep that token's own earlier
/// values, which it could as well have sent. The standard library's SipHash-1-3 took about 14 µs
/// of a 20-container report under `make bench`, mostly in its per-call buffering.
struct DigestHasher {
    private static let key: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    /// Odd constants that spread bits (wyhash's primes).
    private static let spread0: UInt64 = 0xa076_1d64_78bd_642f
    private static let spread1: UInt64 = 0xe703_7ed1_a0b4_28db

    private var state: UInt64
    private var length: UInt64 = 0

    init() {
        state = Self.key.0 ^ Self.spread0
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private mutating func absorb(_ a: UInt64, _ b: UInt64) {
        state = Self.fold(a ^ Self.spread0 ^ state, b ^ Self.spread1 ^ Self.key.1)
    }

    /// Adds one word.
    mutating func combine(_ value: UInt64) {
        absorb(value, length)
        length &+= 8
    }

    /// Adds `bytes`, whatever their count.
    mutating func combine(bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var offset = 0
        while offset + 16 <= count {
            absorb(
                bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            offset += 16
        }
        // The last 0–15 bytes, zero-padded; the running length tells padding from zeros.
        var tail: (UInt64, UInt64) = (0, 0)
        if offset < count {
            withUnsafeMutableBytes(of: &tail) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<count]))
            }
        }
        length &+= UInt64(count)
        absorb(tail.0 ^ length, tail.1)
    }

    /// The digest of everything added.
    func finalize() -> Int {
        Int(truncatingIfNeeded: Self.fold(state ^ Self.spread1, length ^ Self.key.0 ^ Self.spread0))
    }
}
