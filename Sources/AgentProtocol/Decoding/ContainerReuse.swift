#if canImport(Glibc)
import Glibc
#endif

/// The containers of an agent's previous Docker report, each with a digest of the JSON it was
/// decoded from, so that the next report's unchanged containers are taken over rather than
/// decoded again.
///
/// Most of a Docker report repeats the last one: the identity, image, labels, environment,
/// ports, mounts and networks of every container; what moves between heartbeats are a few
/// numbers and short strings (CPU, memory, uptime, state, block I/O). The digest covers every
/// member of a container except those (`changingFields`), so a container whose digest equals one
/// of the previous report's is that container with, at most, other values in those members:
/// it is taken over, sharing its strings and collections with the previous report instead of
/// allocating new ones, and only those members are read again.
/// Digests are keyed with random words drawn once per process (``DigestHasher``), and the server
/// keeps one of these per token, so a container is only ever reused from the same token's own
/// previous report.
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
    /// A container's members that change between heartbeats and are read again when the rest of
    /// the container is taken over (`ContainerReport.readChangingFields`). Every one is a number,
    /// a short string, a time or a small object of numbers: reading them allocates nothing.
    static let changingFields: [[UInt8]] = [
        "cpuPercent", "memoryUsageBytes", "memoryLimitBytes", "memoryPercent", "uptimeSeconds", "restartCount", "exitCode",
        "state", "status", "health", "startedAt", "finishedAt", "writableLayerBytes", "rootFilesystemBytes", "blockIo",
    ].map { Array($0.utf8) }

    /// A digest of a container (the value at `index`) without its `changingFields`: for each
    /// other member in order, the kind and size of every node and the input bytes from its key
    /// to its last scalar (every key and scalar of the member, and the punctuation and spacing
    /// between them). Anything but an object is digested whole.
    func containerDigest(at index: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = DigestHasher()
        let end = next(after: index)
        guard nodes[index].kind == .object else {
            combine(index..<end, into: &hasher, bytes: bytes)
            return hasher.finalize()
        }
        hasher.combine(UInt64(end - index))
        var key = index + 1
        while key < end {
            let following = next(after: key + 1)
            if !isChangingField(key, in: bytes) {
                combine(key..<following, into: &hasher, bytes: bytes)
            }
            key = following
        }
        return hasher.finalize()
    }

    /// `changingFields` by their length in bytes, for a look-up that compares one or two names.
    private static let changingFieldsByLength: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: (changingFields.map(\.count).max() ?? 0) + 1)
        for name in changingFields { table[name.count].append(name) }
        return table
    }()

    private func isChangingField(_ key: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        let node = nodes[key]
        let count = Int(node.end - node.start)
        guard !node.escaped, count < Self.changingFieldsByLength.count, let base = bytes.baseAddress else { return false }
        let name = base + Int(node.start)
        for candidate in Self.changingFieldsByLength[count] where candidate.withUnsafeBytes({ memcmp($0.baseAddress!, name, count) == 0 }) {
            return true
        }
        return false
    }

    /// The kinds and sizes of the nodes in `range`, and the bytes from their first scalar to
    /// their last.
    private func combine(_ range: Range<Int>, into hasher: inout DigestHasher, bytes: UnsafeRawBufferPointer) {
        var low = Int.max
        var high = Int.min
        // Node kinds eight to a word.
        var kinds: UInt64 = 0
        for (offset, position) in range.enumerated() {
            let node = nodes[position]
            kinds = kinds << 8 | UInt64(node.kind.rawValue)
            if offset % 8 == 7 { hasher.combine(kinds) }
            switch node.kind {
            case .array, .object:
                hasher.combine(UInt64(UInt32(bitPattern: node.start)))
            default:
                low = min(low, Int(node.start))
                high = max(high, Int(node.end))
            }
        }
        hasher.combine(kinds)
        hasher.combine(UInt64(range.count))
        if low < high {
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[low..<high]))
        }
    }
}
