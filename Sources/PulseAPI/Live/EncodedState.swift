package import Foundation
package import NIOCore
package import PulseCore
import PulseSupport
import Synchronization

/// One snapshot of the state, encoded once and served as the same bytes to every reader.
///
/// The bytes are the `/ws` message, `{"type":"rawData","data":<state>}`; the `/api/state` body is
/// the `<state>` slice of the same storage, so the document is held once. The gzip of the body is
/// made on first demand and kept.
package final class EncodedState: Sendable {
    /// The state version the snapshot is of (`StateChanges.current`).
    package let version: UInt64
    /// When the snapshot was built, on the server's time source.
    package let builtAt: Date
    /// The whole `/ws` message.
    package let message: ByteBuffer
    private let gzipped = Mutex<ByteBuffer?>(nil)

    private static let prefix = Array(#"{"type":"rawData","data":"#.utf8)
    private static let suffix = Array("}".utf8)

    /// Encodes `snapshot` with the API's conventions (`WireJSON`), streaming: Foundation's
    /// encoder held the whole document as a tree first (about 90 MB for 20,000 containers).
    package init(_ versioned: VersionedSnapshot) throws {
        let state = try StreamingJSONEncoder().encode(versioned.snapshot, reservingCapacity: 64 * 1024)
        var message = ByteBuffer()
        message.reserveCapacity(Self.prefix.count + state.count + Self.suffix.count)
        message.writeBytes(Self.prefix)
        message.writeBytes(state)
        message.writeBytes(Self.suffix)
        self.message = message
        version = versioned.version
        builtAt = versioned.builtAt
    }

    /// The `/api/state` body: the state document alone, sharing the message's storage.
    package var state: ByteBuffer {
        message.getSlice(at: message.readerIndex + Self.prefix.count, length: message.readableBytes - Self.prefix.count - Self.suffix.count)!
    }

    /// The body gzipped, compressed by the first caller and shared from then on.
    package var gzippedState: ByteBuffer {
        gzipped.withLock { stored in
            if let stored { return stored }
            let compressed = GzipBody.compress(state)
            stored = compressed
            return compressed
        }
    }

    /// Whether the gzip was made (for tests).
    package var hasGzip: Bool { gzipped.withLock { $0 != nil } }
}
