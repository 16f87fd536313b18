#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes agent reports several times faster than `JSONDecoder`.
///
/// Profiling the server under load showed Foundation's decoder spending most of the ingest CPU
/// on machinery rather than on JSON: a dictionary built for every object, a lock taken for every
/// value and run-time type dispatch for every field. This decoder parses the document once into
/// a flat `JSONTape` and serves `Decodable` types straight from it: keys are matched by bytes
/// in document order, scalars are converted only when asked for. Values are exactly those
/// `AgentJSON.makeDecoder()` produces (differential tests hold it to that), with RFC 3339 dates.
/// It is stricter about syntax: the whole document must be RFC 8259 JSON (Foundation checks
/// numbers and escapes only in the fields it decodes), nesting is limited to 128 levels, and a
/// lone surrogate escape becomes U+FFFD as in Go's decoder.
public struct AgentJSONDecoder: Sendable {
    public init() {}

    /// Decodes `type` from the JSON in `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes)
        } catch let error as JSONTape.SyntaxError {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try tape.withView { view in
            do {
                return try TapeDecoder(tape: view, bytes: bytes, tracesPath: false).decodeValue(T.self, at: 0)
            } catch {
                // The fast path keeps no coding path; decoding again with it names the field.
                return try TapeDecoder(tape: view, bytes: bytes, tracesPath: true).decodeValue(T.self, at: 0)
            }
        }
    }

    /// Decodes `type` from the JSON in `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Decodes a Docker report, taking over the containers whose JSON is the same as in the
    /// report `previous` came from (see ``ContainerReuse``). The result equals `decode(_:from:)`'s;
    /// keep the returned digests with the accepted containers for the next report.
    public func decodeDockerReport(from bytes: UnsafeRawBufferPointer, reusing previous: ContainerReuse) throws -> (
        report: DockerReport, digests: ContainerDigests
    ) {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes)
        } catch let error as JSONTape.SyntaxError {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try tape.withView { view in
            let decoder = TapeDecoder(tape: view, bytes: bytes, tracesPath: false)
            decoder.containerReuse = ContainerReuseState(previous: previous)
            do {
                let report = try decoder.decodeValue(DockerReport.self, at: 0)
                let state = decoder.containerReuse
                return (report, ContainerDigests(values: state?.digests ?? [], reused: state?.reused ?? 0))
            } catch {
                // As in `decode`: read again with the coding path, to name the field at fault.
                let report = try TapeDecoder(tape: view, bytes: bytes, tracesPath: true).decodeValue(DockerReport.self, at: 0)
                return (report, ContainerDigests(values: [], reused: 0))
            }
        }
    }
}

/// The `Decoder` over a tape. One instance serves a whole document: nested values move `index`
/// and `codingPath` and restore them afterwards, so no per-value decoder is allocated. It reads
/// the tape through a `JSONTape.View`, so it lives only for the one `decode` call that made it.
final class TapeDecoder: Decoder {
    let tape: JSONTape.View
    let bytes: UnsafeRawBufferPointer
    var index = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Set while decoding a Docker report with ``ContainerReuse``: the previous containers in,
    /// the new digests out.
    var containerReuse: ContainerReuseState?

    /// The document's repeated strings, read once and shared by every value that repeats them
    /// (see `shared(_:)`).
    private var sharedStrings: [String: String] = [:]

    /// Whether the fast path (`TapeReadable` types and the arrays and maps they read) keeps
    /// `codingPath` as it goes. Keeping it cost as much as reading the fields, and it only
    /// matters for an error's message, so a document is read without it first and, only when
    /// that throws, read again with it.
    let tracesPath: Bool

    init(tape: JSONTape.View, bytes: UnsafeRawBufferPointer, tracesPath: Bool) {
        self.tape = tape
        self.bytes = bytes
        self.tracesPath = tracesPath
    }

    /// Pushes `key` for the fast path when tracing; pass the result to `leaveFastPath`.
    func enterFastPath(_ key: (any CodingKey)?) -> Bool {
        guard tracesPath, let key else { return false }
        codingPath.append(key)
        return true
    }

    func leaveFastPath(_ entered: Bool) {
        if entered { codingPath.removeLast() }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.nodes[index].kind == .object else { throw mismatch([String: Int].self, at: index, key: nil) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.nodes[index].kind == .array else { throw mismatch([Int].self, at: index, key: nil) }
        return TapeUnkeyedContainer(decoder: self, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleValueContainer(decoder: self, node: index)
    }

    /// Decodes the value at node `node` (reached through `key`, if any).
    func decodeValue<T: Decodable>(_ type: T.Type, at node: Int, key: (any CodingKey)? = nil) throws -> T {
        if T.self == String.self { return try scalar(at: node, key: key) { try tape.string(at: node, in: bytes) } as! T }
        if T.self == Date.self { return try date(at: node, key: key) as! T }
        if tape.nodes[node].kind == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: path(key), debugDescription: "Found null"))
        }
        if T.self == [String: String].self {
            return try stringDictionary(at: node, key: key) as! T
        }
        if let readable = T.self as? any TapeReadable.Type {
            guard tape.nodes[node].kind == .object else { throw mismatch(T.self, at: node, key: key) }
            return try readObject(readable, at: node, key: key) as! T
        }
        let savedIndex = index
        index = node
        if let key { codingPath.append(key) }
        defer {
            index = savedIndex
            if key != nil { codingPath.removeLast() }
        }
        return try T(from: self)
    }

    /// Reads a scalar, turning tape errors into `DecodingError`s with the coding path.
    func scalar<T>(at node: Int, key: (any CodingKey)?, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch JSONTape.ScalarError.outOfRange {
            throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Number does not fit in \(T.self)"))
        } catch JSONTape.ScalarError.invalidUTF8 {
            throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Invalid UTF-8 in string"))
        } catch {
            if tape.nodes[node].kind == .null {
                throw DecodingError.valueNotFound(T.self, .init(codingPath: path(key), debugDescription: "Found null"))
            }
            throw mismatch(T.self, at: node, key: key)
        }
    }

    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        key.map { codingPath + [$0] } ?? codingPath
    }

    func mismatch(_ type: Any.Type, at node: Int, key: (any CodingKey)?) -> DecodingError {
        DecodingError.typeMismatch(
            type, .init(codingPath: path(key), debugDescription: "Expected \(type) but found \(tape.nodes[node].kind)"))
    }

    /// An RFC 3339 time. A plain string is parsed where it lies in the input, without a `String`.
    func date(at node: Int, key: (any CodingKey)?) throws -> Date {
        let scalar = tape.nodes[node]
        if scalar.kind == .string, !scalar.escaped, let base = bytes.baseAddress {
            let text = UnsafeBufferPointer(
                start: base.assumingMemoryBound(to: UInt8.self) + Int(scalar.start), count: Int(scalar.end - scalar.start))
            if let date = RFC3339.parse(utf8: text) { return date }
        }
        let text: String = try self.scalar(at: node, key: key) { try tape.string(at: node, in: bytes) }
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Expected an RFC 3339 time, found \"\(text)\""))
        }
        return date
    }

    /// A `TapeReadable` value read straight from the object at `node` (the caller checked it is one).
    func readObject<Value: TapeReadable>(_ type: Value.Type, at node: Int, key: (any CodingKey)?) throws -> Value {
        let entered = enterFastPath(key)
        defer { leaveFastPath(entered) }
        var object = TapeObject(decoder: self, node: node)
        return try Value(reading: &object)
    }

    /// An array of `TapeReadable` values, each read straight from its object. Anything but an
    /// object as an element goes through `decodeValue`, which reports it as Codable would.
    func readableArray<Element: TapeReadable & Decodable>(_ type: Element.Type, at node: Int, key: (any CodingKey)?) throws -> [Element] {
        guard tape.nodes[node].kind == .array else { throw mismatch([Element].self, at: node, key: key) }
        let count = Int(tape.nodes[node].start)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        let entered = enterFastPath(key)
        defer { leaveFastPath(entered) }
        var element = node + 1
        for index in 0..<count {
            if tape.nodes[element].kind == .object {
                elements.append(try readObject(Element.self, at: element, key: TapeIndexKey(index)))
            } else {
                elements.append(try decodeValue(Element.self, at: element, key: TapeIndexKey(index)))
            }
            element = tape.next(after: element)
        }
        return elements
    }

    /// A Docker report's containers: with ``ContainerReuse`` set, each container whose digest
    /// matches one of the previous report's is taken over with its changing members read again,
    /// the others are read whole.
    func containers(at node: Int, key: (any CodingKey)?) throws -> [ContainerReport] {
        guard var reuse = containerReuse, tape.nodes[node].kind == .array else {
            return try readableArray(ContainerReport.self, at: node, key: key)
        }
        containerReuse = nil
        let count = Int(tape.nodes[node].start)
        var elements: [ContainerReport] = []
        elements.reserveCapacity(count)
        reuse.digests.reserveCapacity(count)
        var element = node + 1
        for index in 0..<count {
            let digest = tape.containerDigest(at: element, in: bytes)
            reuse.digests.append(digest)
            if tape.nodes[element].kind == .object,
                var container = reuse.previous.container(withDigest: digest, at: index, lookup: &reuse.lookup)
            {
                var object = TapeObject(decoder: self, node: element)
                try container.readChangingFields(&object)
                elements.append(container)
                reuse.reused += 1
            } else if tape.nodes[element].kind == .object {
                elements.append(try readObject(ContainerReport.self, at: element, key: TapeIndexKey(index)))
            } else {
                elements.append(try decodeValue(ContainerReport.self, at: element, key: TapeIndexKey(index)))
            }
            element = tape.next(after: element)
        }
        containerReuse = reuse
        return elements
    }

    /// An array of strings.
    func stringArray(at node: Int, key: (any CodingKey)?) throws -> [String] {
        try scalarArray(at: node, key: key) { try tape.string(at: $0, in: bytes) }
    }

    /// An array of numbers.
    func doubleArray(at node: Int, key: (any CodingKey)?) throws -> [Double] {
        try scalarArray(at: node, key: key) { try tape.double(at: $0, in: bytes) }
    }

    /// `text`, or the equal string this document read before. A Docker report repeats its
    /// compose labels and images for every container, and each copy was an allocation of its own
    /// kept for as long as the container is; shared, a host's twenty containers hold one. Strings
    /// short enough to be stored inline (15 UTF-8 bytes) are returned as they are.
    func shared(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }
        if let existing = sharedStrings[text] { return existing }
        sharedStrings[text] = text
        return text
    }

    /// Labels and similar string maps; names and values shared within the document.
    func stringDictionary(at node: Int, key: (any CodingKey)?) throws -> [String: String] {
        try scalarDictionary(at: node, key: key) { shared(try tape.string(at: $0, in: bytes)) }
    }

    /// Sensor readings and similar number maps.
    func doubleDictionary(at node: Int, key: (any CodingKey)?) throws -> [String: Double] {
        try scalarDictionary(at: node, key: key) { try tape.double(at: $0, in: bytes) }
    }

    /// An array whose elements `read` turns into values, each error naming its index.
    private func scalarArray<Value>(at node: Int, key: (any CodingKey)?, read: (Int) throws -> Value) throws -> [Value] {
        guard tape.nodes[node].kind == .array else { throw mismatch([Value].self, at: node, key: key) }
        let count = Int(tape.nodes[node].start)
        var values: [Value] = []
        values.reserveCapacity(count)
        let entered = enterFastPath(key)
        defer { leaveFastPath(entered) }
        var element = node + 1
        for index in 0..<count {
            let at = element
            values.append(try scalar(at: at, key: TapeIndexKey(index)) { try read(at) })
            element = tape.next(after: element)
        }
        return values
    }

    /// An object read pair by pair into a map, each error naming its key. Of duplicate keys the
    /// first wins, as with Foundation's decoder (every value is still checked).
    private func scalarDictionary<Value>(at node: Int, key: (any CodingKey)?, read: (Int) throws -> Value) throws -> [String: Value] {
        guard tape.nodes[node].kind == .object else { throw mismatch([String: Value].self, at: node, key: key) }
        let pairs = Int(tape.nodes[node].start)
        var result = [String: Value](minimumCapacity: pairs)
        let entered = enterFastPath(key)
        defer { leaveFastPath(entered) }
        var member = node + 1
        for _ in 0..<pairs {
            let name = shared(try scalar(at: member, key: nil) { try tape.string(at: member, in: bytes) })
            let value = member + 1
            let decoded = try scalar(at: value, key: DictionaryKey(name)) { try read(value) }
            if result[name] == nil { result[name] = decoded }
            member = tape.next(after: value)
        }
        return result
    }

    private struct DictionaryKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at node: Int, key: (any CodingKey)?) throws -> T {
        try scalar(at: node, key: key) { try tape.integer(T.self, at: node, in: bytes) }
    }
}
