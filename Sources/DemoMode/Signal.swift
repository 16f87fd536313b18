import Foundation

/// Deterministic variety: every value is a pure function of a key and the time, so the same
/// estate at the same moment reads the same in every run (tests), and readings still move.
///
/// A key is a 64-bit hash of the thing's name (FNV-1a: stable across processes, unlike `Hasher`).
struct Signal: Sendable {
    let seed: UInt64
    /// Whether readings move; when not, each stays at its base.
    let moving: Bool

    /// The key of a named thing.
    func key(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Self.mix(hash)
    }

    /// A fixed fraction in [0, 1) for `key` and `salt`.
    static func unit(_ key: UInt64, _ salt: UInt64) -> Double {
        Double(mix(key ^ (salt &* 0x9e37_79b9_7f4a_7c15)) >> 11) / Double(1 << 53)
    }

    /// One of `choices`, fixed for `key` and `salt`.
    static func pick<T>(_ choices: [T], _ key: UInt64, _ salt: UInt64) -> T {
        choices[min(choices.count - 1, Int(unit(key, salt) * Double(choices.count)))]
    }

    /// A reading that wanders around `base` by at most `swing`: two slow waves of the key's own
    /// periods and phases, and a jitter that changes every second.
    func wave(_ key: UInt64, at time: Date, base: Double, swing: Double) -> Double {
        guard moving else { return base }
        let t = time.timeIntervalSince1970
        let slow = sin(2 * .pi * t / (300 + Self.unit(key, 1) * 900) + Self.unit(key, 2) * 2 * .pi)
        let fast = sin(2 * .pi * t / (40 + Self.unit(key, 3) * 80) + Self.unit(key, 4) * 2 * .pi)
        let jitter = Self.unit(key, 5 &+ UInt64(max(0, t.rounded(.down)))) * 2 - 1
        return base + swing * (0.5 * slow + 0.3 * fast + 0.2 * jitter)
    }

    /// When the thing last started: it restarts every 30 days, at a moment of its own.
    static func bootTime(_ key: UInt64, at time: Date) -> Date {
        let period = 30 * 86_400.0
        let offset = unit(key, 6) * period
        let t = time.timeIntervalSince1970 - offset
        return Date(timeIntervalSince1970: (t / period).rounded(.down) * period + offset)
    }

    /// Seconds since `bootTime`.
    static func uptime(_ key: UInt64, at time: Date) -> Int64 {
        Int64(time.timeIntervalSince(bootTime(key, at: time)))
    }

    /// A byte counter since boot growing at `rate` per second on average (between half and one and
    /// a half times it), so consecutive readings give moving rates; it starts over at a restart.
    func counter(_ key: UInt64, at time: Date, rate: Double) -> UInt64 {
        let elapsed = time.timeIntervalSince(Self.bootTime(key, at: time))
        guard moving else { return UInt64(max(0, rate * elapsed)) }
        let period = 120 + Self.unit(key, 7) * 600
        let phase = Self.unit(key, 8) * 2 * .pi
        // The integral of rate × (1 + ½ sin(2πs/period + phase)) from 0 to elapsed.
        let swing = 0.5 * rate * period / (2 * .pi) * (cos(phase) - cos(2 * .pi * elapsed / period + phase))
        return UInt64(max(0, rate * elapsed + swing))
    }

    /// `value` in upper-case hexadecimal, at least `width` digits.
    static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
