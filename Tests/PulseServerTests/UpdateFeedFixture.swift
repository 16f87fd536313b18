import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TestSupport
import Testing

@testable import PulseAPI

/// A release feed for the self-update tests, served on loopback by a small Hummingbird app in
/// the feed format `PULSE_UPDATE_SERVER` names (`ReleaseFeed`): a good newer release, one signed
/// with another key, one whose served bytes are not the listed checksum, one cut short (signed
/// as it is, so only unpacking finds it out), an older release, and a release candidate.
///
/// Each archive is a gzip tar built here with `tar`, holding `pulse`: a shell script standing in
/// for the server binary, which answers `--version` with its version like `pulse` does.
final class UpdateFeedFixture: Sendable {
    /// One archive as listed in the feed and as served.
    struct Offer: Sendable {
        let name: String
        let version: String
        let channel: String
        /// The bytes served at the archive URL.
        let served: [UInt8]
        let listedSHA256: String
        let signature: String
        /// The stand-in binary inside the archive.
        let binary: [UInt8]
    }

    /// The release key; `PULSE_UPDATE_PUBLIC_KEY` is its public half.
    let key: Curve25519.Signing.PrivateKey
    let offers: [Offer]
    private let baseURL = Mutex("")

    static let platform = ServerPlatform.current

    /// The key as `PULSE_UPDATE_PUBLIC_KEY` takes it.
    var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }
    var releaseKey: ReleaseKey { ReleaseKey(text: publicKeyBase64)! }

    private init(offers: [Offer], key: Curve25519.Signing.PrivateKey) {
        self.offers = offers
        self.key = key
    }

    /// Builds the archives (good, bad-signature, bad-checksum, truncated, downgrade, rc).
    static func make() async throws -> UpdateFeedFixture {
        let key = Curve25519.Signing.PrivateKey()
        let stranger = Curve25519.Signing.PrivateKey()
        func signed(
            _ name: String, _ version: String, _ built: (archive: [UInt8], binary: [UInt8]), channel: String = "stable",
            by signer: Curve25519.Signing.PrivateKey? = nil, cutInHalf: Bool = false, serving served: (([UInt8]) -> [UInt8])? = nil
        ) throws -> Offer {
            let listed = cutInHalf ? Array(built.archive.prefix(built.archive.count / 2)) : built.archive
            let digest = sha256(listed)
            let statement = ReleaseStatement(version: version, platform: platform, sha256: digest)
            let signature = try (signer ?? key).signature(for: statement.bytes).base64EncodedString()
            return Offer(
                name: name, version: version, channel: channel, served: served?(listed) ?? listed, listedSHA256: digest, signature: signature,
                binary: built.binary)
        }
        let offers = [
            try signed("good", "0.2.0", try await archive(version: "0.2.0")),
            try signed("bad-signature", "0.2.1", try await archive(version: "0.2.1"), by: stranger),
            // Listed and signed as built, served with one byte changed.
            try signed("bad-checksum", "0.2.2", try await archive(version: "0.2.2")) { bytes in
                var altered = bytes
                altered[altered.count / 2] ^= 0xff
                return altered
            },
            // Cut in half before it was listed and signed: only unpacking finds it out.
            try signed("truncated", "0.2.3", try await archive(version: "0.2.3"), cutInHalf: true),
            try signed("downgrade", "0.0.9", try await archive(version: "0.0.9")),
            try signed("rc", "0.3.0-rc.1", try await archive(version: "0.3.0-rc.1"), channel: "rc"),
        ]
        return UpdateFeedFixture(offers: offers, key: key)
    }

    func offer(_ name: String) -> Offer { offers.first { $0.name == name }! }

    /// The URL the feed lists for the offer `name`.
    func url(of name: String) -> String { baseURL.withLock { $0 } + "/archives/\(name).tar.gz" }
    var feedURL: String { baseURL.withLock { $0 } + "/feed.json" }

    /// Serves the feed on loopback for the length of `body`.
    func serve<T: Sendable>(_ body: @Sendable (UpdateFeedFixture) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/feed.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: self.feedDocument())))
        }
        router.get("/archives/{file}") { _, context in
            let file = try context.parameters.require("file")
            guard let offer = self.offers.first(where: { "\($0.name).tar.gz" == file }) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/gzip"], body: .init(byteBuffer: ByteBuffer(bytes: offer.served)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            baseURL.withLock { $0 = "http://127.0.0.1:\(port)" }
            return try await body(self)
        }
    }

    private func feedDocument() -> [UInt8] {
        let releases = offers.map { offer -> [String: Any] in
            [
                "version": "v" + offer.version, "channel": offer.channel, "date": "2025-10-20T10:30:00Z", "notes": "Release \(offer.name)",
                "archives": [
                    [
                        "platform": Self.platform, "url": url(of: offer.name), "sha256": offer.listedSHA256, "size": offer.served.count,
                        "signature": offer.signature,
                    ]
                ],
            ]
        }
        return Array((try? JSONSerialization.data(withJSONObject: ["releases": releases])) ?? Data())
    }

    /// A gzip tar holding `pulse`, a stand-in binary answering `--version` with `version`,
    /// padded to some 48 KiB so a cut archive cuts the binary.
    static func archive(version: String) async throws -> (archive: [UInt8], binary: [UInt8]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = standIn(version: version)
        try binary.write(to: folder.appendingPathComponent("pulse"), atomically: true, encoding: .utf8)
        chmod(folder.appendingPathComponent("pulse").path, 0o755)
        let archive = folder.appendingPathComponent("release.tar.gz").path
        let tar = try await ChildProcess.run("/usr/bin/tar", ["-czf", archive, "-C", folder.path, "pulse"], mergingErrors: true)
        guard tar.status == 0 else { throw FixtureError(description: "tar failed: \(tar.text)") }
        return (Array(try Data(contentsOf: URL(fileURLWithPath: archive))), Array(binary.utf8))
    }

    /// The script `pulse --version` stands in for.
    static func standIn(version: String) -> String {
        let padding = (0..<36_000).map { _ in UInt8.random(in: 0...255) }
        return "#!/bin/sh\n# stand-in for pulse \(version)\n# \(Data(padding).base64EncodedString())\necho \(version)\n"
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    struct FixtureError: Error, CustomStringConvertible { let description: String }
}
