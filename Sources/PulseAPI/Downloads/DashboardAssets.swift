import Crypto
import Foundation
package import NIOCore

/// The dashboard's files as the server sends them: each with its gzip and an entity tag from its
/// content, and one version for the whole set (a hash of every file) that goes into the asset
/// URLs `index.html` names. A URL with the current version never changes its bytes, so browsers
/// keep it for a year; a new build has a new version, so they fetch the new files.
package struct DashboardAssets: Sendable {
    /// One file, ready to send.
    package struct Asset: Sendable {
        package let identity: ByteBuffer
        package let gzip: ByteBuffer
        /// A strong entity tag: a hash of the identity bytes, quoted.
        package let entityTag: String
    }

    /// The hash of every dashboard file's name and bytes (16 hex digits): the asset URLs'
    /// `/assets/v/<version>/` prefix.
    package let version: String
    private let assets: [String: Asset]

    /// The set built into this binary.
    package static let embedded = DashboardAssets(files: EmbeddedFiles.all(prefix: "web/"))

    /// The set of `files` (name → bytes). `index.html` names its assets under the version.
    package init(files: [String: ByteBuffer]) {
        var whole = SHA256()
        for name in files.keys.sorted() {
            whole.update(data: Data(name.utf8))
            whole.update(data: Data(files[name]!.readableBytesView))
        }
        let version = whole.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
        var assets: [String: Asset] = [:]
        for (name, bytes) in files {
            var body = bytes
            if name == "index.html" {
                let text = String(buffer: bytes).replacingOccurrences(of: "\"/assets/", with: "\"/assets/v/\(version)/")
                body = ByteBuffer(string: text)
            }
            let digest = SHA256.hash(data: Data(body.readableBytesView))
            let tag = "\"" + digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
            assets[name] = Asset(identity: body, gzip: GzipBody.compress(body), entityTag: tag)
        }
        self.version = version
        self.assets = assets
    }

    /// The file `name` (no folder), or nil when the dashboard has none by that name.
    package func asset(_ name: String) -> Asset? { assets[name] }

    /// Every file's name.
    package var names: [String] { assets.keys.sorted() }
}
