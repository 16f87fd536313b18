import CZlib
package import NIOCore

/// gzip (RFC 1952) of a response body, with the system's zlib.
package enum GzipBody {
    /// zlib's default level, about 10× on the state's JSON; for bodies compressed once and kept.
    package static let defaultLevel: Int32 = 6

    /// `bytes` compressed at `level` as one gzip member.
    package static func compress(_ bytes: ByteBuffer, level: Int32 = defaultLevel) -> ByteBuffer {
        member(of: bytes, deflated: Deflate.syncFlushed(bytes, level: level))
    }

    /// The gzip member of `bytes`, given their DEFLATE blocks from `Deflate.syncFlushed`, so one
    /// compression can also serve other framings (`LiveFeedDeflate.messagePayload`).
    package static func member(of bytes: ByteBuffer, deflated: ByteBuffer) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(header.count + deflated.readableBytes + finalBlock.count + 8)
        output.writeBytes(header)
        output.writeImmutableBuffer(deflated)
        output.writeBytes(finalBlock)
        let checksum = bytes.withUnsafeReadableBytes { input in
            crc32(0, input.bindMemory(to: Bytef.self).baseAddress, uInt(input.count))
        }
        output.writeInteger(UInt32(truncatingIfNeeded: checksum), endianness: .little)
        output.writeInteger(UInt32(truncatingIfNeeded: bytes.readableBytes), endianness: .little)
        return output
    }

    /// Magic, method 8 (deflate), no flags, no time, no extra flags, made on Unix (3).
    private static let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]
    /// An empty final block with fixed codes (BFINAL 1, BTYPE 01, end-of-block), which ends the
    /// sync-flushed blocks' stream.
    private static let finalBlock: [UInt8] = [0x03, 0x00]
}
