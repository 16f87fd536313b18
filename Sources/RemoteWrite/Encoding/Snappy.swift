import CSnappy

/// Snappy's block format (not its framing format), through Debian's libsnappy: what remote write
/// sends with `Content-Encoding: snappy`.
package enum Snappy {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package static func compress(_ input: [UInt8]) -> [UInt8] {
        var length = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: length)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                source.withMemoryRebound(to: CChar.self) { source in
                    target.withMemoryRebound(to: CChar.self) { target in
                        snappy_compress(source.baseAddress, source.count, target.baseAddress, &length)
                    }
                }
            }
        }
        // The output buffer has snappy's own maximum size, so compression cannot run out of room.
        precondition(status == SNAPPY_OK, "snappy_compress failed with a buffer of snappy_max_compressed_length")
        output.removeSubrange(length...)
        return output
    }

    /// The original bytes of a snappy block; throws on a damaged or truncated one.
    package static func uncompress(_ input: [UInt8]) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { source in
            try source.withMemoryRebound(to: CChar.self) { source in
                var length = 0
                guard snappy_uncompressed_length(source.baseAddress, source.count, &length) == SNAPPY_OK else {
                    throw Failure(description: "not a snappy block")
                }
                var output = [UInt8](repeating: 0, count: length)
                let status = output.withUnsafeMutableBufferPointer { target in
                    target.withMemoryRebound(to: CChar.self) { target in
                        snappy_uncompress(source.baseAddress, source.count, target.baseAddress, &length)
                    }
                }
                guard status == SNAPPY_OK else { throw Failure(description: "damaged snappy block") }
                return output
            }
        }
    }
}
