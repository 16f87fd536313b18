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

    /// Every embedded file whose name starts with `prefix`, by its name without the prefix.
    package static func all(prefix: String) -> [String: ByteBuffer] {
        var files: [String: ByteBuffer] = [:]
        for (name, bytes) in decoded where name.hasPrefix(prefix) { files[String(name.dropFirst(prefix.count))] = bytes }
        return files
    }
}
