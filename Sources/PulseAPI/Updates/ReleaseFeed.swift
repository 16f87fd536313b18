package import AgentProtocol
package import Foundation

/// The release feed `PULSE_UPDATE_SERVER` points at: a JSON document listing server releases.
///
/// ```json
/// {"releases": [{
///   "version": "1.2.0", "channel": "stable", "date": "2025-10-20T10:30:00Z", "notes": "…",
///   "archives": [{"platform": "linux-amd64", "url": "https://…/pulse-v1.2.0-linux-amd64.tar.gz",
///                 "sha256": "<64 hex digits>", "size": 31457280, "signature": "<base64 Ed25519>"}]
/// }]}
/// ```
///
/// `channel` is `stable` or `rc`. An archive is a gzip tar holding the server binary as `pulse`
/// (or `bin/pulse`); its `signature` covers its `ReleaseStatement`. A release whose version is
/// not semantic, or an archive without a 64-digit checksum, is left out when the feed is read:
/// one bad entry does not hide the others.
package struct ReleaseFeed: Sendable {
    package struct Archive: Sendable, Equatable {
        package let platform: String
        package let url: String
        /// Lower-case hex.
        package let sha256: String
        /// Bytes, when the feed says; downloads longer than this are cut off.
        package let size: Int?
        /// Base64 of the 64-byte Ed25519 signature of `ReleaseStatement`.
        package let signature: String
    }

    package struct Release: Sendable {
        package let version: SemanticVersion
        /// The version as the feed spells it (`v1.2.0` or `1.2.0`).
        package let tag: String
        package let channel: Channel
        package let date: Date?
        package let notes: String
        package let archives: [Archive]

        package func archive(for platform: String) -> Archive? { archives.first { $0.platform == platform } }

        /// A pre-release version is never stable, whatever channel the feed files it under.
        package func isOffered(on channel: Channel) -> Bool {
            channel == .rc || (self.channel == .stable && !version.isPrerelease)
        }
    }

    /// Which releases a server follows: `stable` sees stable releases only, `rc` release
    /// candidates as well.
    package enum Channel: String, Sendable, CaseIterable {
        case stable, rc
    }

    package let releases: [Release]

    /// The newest release `channel` offers with an archive for `platform`.
    package func newest(on channel: Channel, for platform: String) -> Release? {
        releases.filter { $0.isOffered(on: channel) && $0.archive(for: platform) != nil }.max { $0.version < $1.version }
    }

    /// The release with this version, however either side spells it.
    package func release(_ version: SemanticVersion) -> Release? {
        releases.first { $0.version == version }
    }

    /// The release and archive for `platform` served at exactly `url`.
    package func archive(at url: String, for platform: String) -> (Release, Archive)? {
        for release in releases {
            if let archive = release.archive(for: platform), archive.url == url { return (release, archive) }
        }
        return nil
    }
}

extension ReleaseFeed {
    private struct Document: Decodable {
        let releases: [Entry]
    }

    private struct Entry: Decodable {
        let version: String
        let channel: String?
        let date: String?
        let notes: String?
        let archives: [ArchiveEntry]?
    }

    private struct ArchiveEntry: Decodable {
        let platform: String
        let url: String
        let sha256: String
        let size: Int?
        let signature: String
    }

    /// Reads the feed document; throws when it is not one at all.
    package init(json: [UInt8]) throws {
        let document = try JSONDecoder().decode(Document.self, from: Data(json))
        releases = document.releases.compactMap { entry in
            guard let version = SemanticVersion(entry.version), let channel = Channel(rawValue: entry.channel ?? "stable") else {
                return nil
            }
            let archives = (entry.archives ?? []).compactMap { archive -> Archive? in
                let digest = archive.sha256.lowercased()
                guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else { return nil }
                return Archive(platform: archive.platform, url: archive.url, sha256: digest, size: archive.size, signature: archive.signature)
            }
            return Release(
                version: version, tag: entry.version, channel: channel, date: entry.date.flatMap(RFC3339.parse), notes: entry.notes ?? "",
                archives: archives)
        }
    }
}
