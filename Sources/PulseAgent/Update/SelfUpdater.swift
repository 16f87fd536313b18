import AgentProtocol
import CurlHTTP

#if canImport(Glibc)
import Glibc
#endif

/// One self-update check against the agent's own server: `GET /api/agent/version`; only a
/// strictly newer semantic version is fetched from `/download/pulse-agent?arch=`, and only a
/// download whose SHA-256 matches the mandatory `X-Checksum-Sha256` header, whose Ed25519
/// signature (`X-Signature-Ed25519`, else `/download/pulse-agent.sig`) verifies with the key
/// pinned at install, and that is an ELF executable of sane size, replaces the running binary,
/// atomically, with the old one kept as `<binary>.old` for rollback.
///
/// The checksum only catches a damaged download: whoever can alter the binary on the way (a
/// server reached over `http://`) can alter the checksum beside it too, but cannot sign.
///
/// No credential is sent (the endpoints are public) and no redirect is followed, so nothing
/// can lead the agent, or anything of it, to another origin.
struct SelfUpdater: Sendable {
    /// The server URL without a trailing slash.
    let serverURL: String
    let client: CurlClient
    /// The server's signing key as the installer stored it.
    let signingKey: UpdateSigningKey
    let currentVersion: String
    /// The binary to replace: the running executable's path, read at start.
    let executablePath: String
    /// `linux-amd64` and so on, as the download endpoint names builds.
    let platform: String
    /// Where the record of the last update and the one-shot `.pulse-update-info` marker live.
    let stateDirectory: String
    var maximumSize = 128 * 1024 * 1024

    enum Outcome: Sendable, Equatable {
        case upToDate(String)
        /// The server says `dev`, or the version cannot be compared.
        case notApplicable(String)
        /// The same build was installed before and did not report the advertised version.
        case skipped(String)
        case refused(String)
        case failed(String)
        case applied(from: String, to: String)
    }

    /// What the previous update installed; the next report carries `from` as `agent.updatedFrom`.
    struct Record: Codable, Sendable, Equatable {
        let from: String
        let to: String
        let sha256: String
    }

    func check() async -> Outcome {
        let advertised: String
        do {
            let reply = try await client.get(serverURL + "/api/agent/version", headers: ["Accept: application/json"])
            if let refusal = Self.redirectRefusal(reply, base: serverURL) { return .refused(refusal) }
            guard reply.status == 200, let decoded = try? AgentJSONDecoder().decode(AdvertisedVersion.self, from: reply.body) else {
                return .failed("GET /api/agent/version answered \(reply.status)")
            }
            advertised = decoded.version
        } catch {
            return .failed("\(error)")
        }
        if advertised == "dev" { return .notApplicable("the server advertises a development build") }
        guard let target = SemanticVersion(advertised), let current = SemanticVersion(currentVersion) else {
            return .notApplicable("cannot compare versions \(currentVersion) and \(advertised)")
        }
        guard target > current else { return .upToDate(currentVersion) }

        var downloader = client
        downloader.maximumBodyBytes = maximumSize
        downloader.timeout = .seconds(300)
        let reply: HTTPReply
        do {
            reply = try await downloader.get(serverURL + "/download/pulse-agent?arch=\(platform)", headers: [])
        } catch {
            return .failed("downloading \(advertised): \(error)")
        }
        if let refusal = Self.redirectRefusal(reply, base: serverURL) { return .refused(refusal) }
        guard reply.status == 200 else { return .failed("the server has no \(platform) build of \(advertised) (HTTP \(reply.status))") }
        guard let expected = reply.headers["x-checksum-sha256"]?.lowercased(), expected.count == 64, expected.allSatisfy(\.isHexDigit) else {
            return .refused("the download of \(advertised) came without an X-Checksum-Sha256 header")
        }
        guard let actual = SHA256Digest.hex(reply.body) else {
            return .notApplicable("no SHA-256 implementation (libcrypto) on this host")
        }
        guard actual == expected else {
            return .refused("the download of \(advertised) has SHA-256 \(actual), the server announced \(expected)")
        }
        if let refusal = await signatureRefusal(for: reply, version: advertised) { return .refused(refusal) }
        guard reply.body.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else {
            return .refused("the download of \(advertised) is not an ELF executable")
        }
        if let record = readRecord(), record.to == advertised, record.sha256 == actual {
            return .skipped(
                "build \(actual.prefix(12)) was installed for \(advertised) before and reports version \(currentVersion); not installing it again")
        }
        do {
            try install(reply.body)
            try writeRecord(Record(from: currentVersion, to: advertised, sha256: actual))
        } catch {
            return .failed("installing \(advertised): \(error)")
        }
        return .applied(from: currentVersion, to: advertised)
    }

    struct AdvertisedVersion: Decodable { let version: String }

    /// Nil when the download's signature verifies with the pinned key, else why it is refused.
    func signatureRefusal(for download: HTTPReply, version: String) async -> String? {
        guard Ed25519Signature.isAvailable else {
            return "no Ed25519 implementation (libcrypto 1.1.1 or newer) on this host to verify the download of \(version)"
        }
        var signature = download.headers["x-signature-ed25519"].flatMap { Base64.decode($0.trimmingASCIIWhitespace) }
        if signature?.count != 64 {
            let reply = try? await client.get(serverURL + "/download/pulse-agent.sig?arch=\(platform)", headers: [])
            if let reply, let refusal = Self.redirectRefusal(reply, base: serverURL) { return refusal }
            signature = reply.flatMap { $0.status == 200 && $0.body.count == 64 ? $0.body : nil }
        }
        guard let signature else {
            return "the download of \(version) came without a signature (no X-Signature-Ed25519 header, no .sig)"
        }
        guard signingKey.verifies(signature, of: download.body) else {
            return "the signature of the download of \(version) does not verify with the update key: altered on the way, or signed by another server"
        }
        return nil
    }

    /// A 3xx is never followed; the message says where it pointed and whether that was another origin.
    static func redirectRefusal(_ reply: HTTPReply, base: String) -> String? {
        guard (300..<400).contains(reply.status) else { return nil }
        let location = reply.headers["location"] ?? "(no Location)"
        let sameOrigin = location.hasPrefix("/") || location.hasPrefix(base + "/")
        return "the server redirected to \(location)" + (sameOrigin ? "" : ", another origin") + "; redirects are not followed"
    }

    /// Writes `<binary>.new` beside the binary, keeps the running one as `<binary>.old` (a hard
    /// link, so the running process is untouched), then renames the new file over the binary.
    func install(_ bytes: [UInt8]) throws {
        let staging = executablePath + ".new"
        let backup = executablePath + ".old"
        unlink(staging)
        let descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw UpdateError("cannot create \(staging): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                close(descriptor)
                unlink(staging)
                throw UpdateError("writing \(staging) failed: \(String(cString: strerror(errno)))")
            }
            written += count
        }
        fchmod(descriptor, 0o755)
        fsync(descriptor)
        close(descriptor)
        unlink(backup)
        guard link(executablePath, backup) == 0 else {
            unlink(staging)
            throw UpdateError("cannot keep the old binary as \(backup): \(String(cString: strerror(errno)))")
        }
        guard rename(staging, executablePath) == 0 else {
            unlink(staging)
            throw UpdateError("cannot replace \(executablePath): \(String(cString: strerror(errno)))")
        }
    }

    var recordPath: String { stateDirectory + "/update-record" }
    static func markerPath(in stateDirectory: String) -> String { stateDirectory + "/.pulse-update-info" }

    func readRecord() -> Record? {
        SystemRoot("/").read(recordPath).flatMap { try? AgentJSONDecoder().decode(Record.self, from: Array($0.utf8)) }
    }

    /// The record (kept, so a build that does not report the advertised version is not installed
    /// over and over) and the marker the next start reads once.
    private func writeRecord(_ record: Record) throws {
        try AtomicFile.write(AgentJSONEncoder().encode(record), to: recordPath)
        try AtomicFile.write(Array(record.from.utf8), to: Self.markerPath(in: stateDirectory))
    }

    /// The version an update replaced, if this start follows one; the marker is removed so only
    /// the first run after an update says so.
    static func consumeMarker(in stateDirectory: String) -> String? {
        let path = markerPath(in: stateDirectory)
        guard let text = SystemRoot("/").read(path)?.trimmingASCIIWhitespace, !text.isEmpty else { return nil }
        unlink(path)
        return text
    }

    struct UpdateError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
