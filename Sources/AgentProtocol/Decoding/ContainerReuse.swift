/// The containers of an agent's previous Docker report, each with a digest of the JSON it was
/// decoded from, so that the next report's unchanged containers are taken over rather than
/// decoded again.
///
/// Most of a Docker report repeats the last one: labels, environment, ports, mounts and
/// networks of containers that did not change. A container whose JSON digest equals one of the
/// previous report's is the same value (decoding is deterministic), so it is reused as it is,
/// sharing its strings and collections with the previous report instead of allocating new ones.
/// Digests are SipHash with the process's random seed: a sender cannot aim a collision at them,
/// and the server keeps one of these per token, so a container is only ever reused from the same
/// token's own previous report.
public struct ContainerReuse: Sendable {
    /// The previous report's containers, after the server's validation.
    public let containers: [ContainerReport]
    let digests: [Int]

    /// Nothing to reuse (an agent's first report).
    public init() {
        containers = []
        digests = []
    }

    /// `containers` as accepted (validated) from the report whose decoding produced `digests`.
    /// Returns nil when they do not belong together (another number of containers).
    public init?(containers: [ContainerReport], digests: ContainerDigests) {
        guard containers.count == digests.values.count else { return nil }
        self.containers = containers
        self.digests = digests.values
    }

    /// The previous container with `digest`, trying the same position first (agents list
    /// containers in a stable order) and then any position.
    func container(withDigest digest: Int, at index: Int, lookup: inout [Int: Int]?) -> ContainerReport? {
        if index < digests.count, digests[index] == digest { return containers[index] }
        if lookup == nil {
            lookup = Dictionary(digests.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        return lookup?[digest].map { containers[$0] }
    }
}

/// The digests of one decoded report's containers, in order (see ``ContainerReuse``).
public struct ContainerDigests: Sendable, Equatable {
    let values: [Int]
    /// How many containers were decoded (`reused` of them taken over from the previous report).
    public var count: Int { values.count }
    /// Containers taken over from the previous report instead of decoded.
    public let reused: Int
}

/// The decoder's working state for one report's containers.
struct ContainerReuseState {
    let previous: ContainerReuse
    var digests: [Int] = []
    var reused = 0
    var lookup: [Int: Int]?

    init(previous: ContainerReuse) { self.previous = previous }
}

extension JSONTape.View {
    /// A digest of the value at `index` and everything inside it: the kind and size of every
    /// node and the input bytes from its first scalar to its last (which hold every key and
    /// scalar of the value, and the punctuation and spacing between them).
    func digest(ofValueAt index: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        let end = next(after: index)
        var low = Int.max
        var high = Int.min
        for position in index..<end {
            let node = nodes[position]
            hasher.combine(node.kind.rawValue)
            switch node.kind {
            case .array, .object:
                hasher.combine(node.start)
            default:
                low = min(low, Int(node.start))
                high = max(high, Int(node.end))
            }
        }
        hasher.combine(end - index)
        if low < high {
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[low..<high]))
        }
        return hasher.finalize()
    }
}
