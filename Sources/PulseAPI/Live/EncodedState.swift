package import Foundation
package import NIOCore
package import PulseCore
import PulseSupport
import Synchronization

/// One snapshot of the state, encoded once and served as the same bytes to every reader.
///
/// The bytes are the `/ws` message, `{"type":"rawData","data":<state>}`; the `/api/state` body is
/// the `<state>` slice of the same storage, so the document is held once. Its compressed forms
/// (`compressed`) come from one compression, made on first demand (or by the build, when the
/// previous document's were used) and kept.
package final class EncodedState: Sendable {
    /// The state version the snapshot is of (`StateChanges.current`).
    package let version: UInt64
    /// When the snapshot was built, on the server's time source.
    package let builtAt: Date
    /// The whole `/ws` message.
    package let message: ByteBuffer
    private let compression: MadeOnce<CompressedState>
    private let compressionAsked = Atomic<Bool>(false)

    private static let prefix = Array(#"{"type":"rawData","data":"#.utf8)
    private static let suffix = Array("}".utf8)

    /// Encodes `snapshot` with the API's conventions (`WireJSON`), streaming: Foundation's
    /// encoder held the whole document as a tree first (about 90 MB for 20,000 containers).
    /// `compressing`: make the compressed forms now too (the build does while they are used).
    /// `expectedSize`: about how long the document will be (the last one's length), so its bytes
    /// are reserved once rather than grown by doubling through ever larger copies.
    package init(_ versioned: VersionedSnapshot, compressing: Bool = false, expectedSize: Int = 0) throws {
        let reserved = max(64 * 1024, expectedSize + expectedSize / 16)
        let state = try StreamingJSONEncoder().encode(versioned.snapshot, reservingCapacity: reserved)
        var message = ByteBuffer()
        message.reserveCapacity(Self.prefix.count + state.count + Self.suffix.count)
        message.writeBytes(Self.prefix)
        message.writeBytes(state)
        message.writeBytes(Self.suffix)
        self.message = message
        version = versioned.version
        builtAt = versioned.builtAt
        compression = compressing ? MadeOnce(Self.compress(message)) : MadeOnce()
    }

    /// The `/api/state` body: the state document alone, sharing the message's storage.
    package var state: ByteBuffer { Self.state(in: message) }

    private static func state(in message: ByteBuffer) -> ByteBuffer {
        message.getSlice(at: message.readerIndex + prefix.count, length: message.readableBytes - prefix.count - suffix.count)!
    }

    /// The state compressed once, framed for `/api/state` and for `/ws`.
    package struct CompressedState: Sendable {
        /// The `/api/state` body as a gzip member.
        package let gzip: ByteBuffer
        /// The `/ws` message as a permessage-deflate payload (`LiveFeedDeflate`).
        package let messagePayload: ByteBuffer
    }

    /// zlib's level for the shared compression, made again for every new document while it is
    /// used: on the demo estate's 12.5 MB of JSON 9.8× (level 6: 11.4×) in well under half level
    /// 6's time (the same zlib on an 11.3 MB state: 73 ms against 173 ms).
    static let compressionLevel: Int32 = 3

    /// The compressed forms for a reader, made by the first caller (others wait for that one) and
    /// shared; marks them as used.
    package func compressed() async -> CompressedState {
        compressionAsked.store(true, ordering: .relaxed)
        let message = self.message
        return await compression.value { Self.compress(message) }
    }

    /// Whether a reader asked for the compressed forms.
    package var compressionWasUsed: Bool { compressionAsked.load(ordering: .relaxed) }

    /// Whether the compressed forms were made (for tests).
    package var isCompressed: Bool { compression.value != nil }

    private static func compress(_ message: ByteBuffer) -> CompressedState {
        let state = state(in: message)
        let deflated = Deflate.syncFlushed(state, level: compressionLevel)
        return CompressedState(
            gzip: GzipBody.member(of: state, deflated: deflated),
            messagePayload: LiveFeedDeflate.messagePayload(prefix: prefix, deflated: deflated, suffix: suffix))
    }
}
