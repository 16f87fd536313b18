import Foundation
package import NIOCore

/// Files built into the server binary (see the EmbedFiles plugin): today the agent installer.
package enum EmbeddedFiles {
    private static let decoded: [String: ByteBuffer] = EmbeddedFileData.base64.compactMapValues { text in
        Data(base64Encoded: text).map { ByteBuffer(bytes: $0) }
    }

    /// The contents of the embedded file `name`, or nil when the build has none by that name.
    package static func named(_ name: String) -> ByteBuffer? {
        decoded[name]
    }
}
