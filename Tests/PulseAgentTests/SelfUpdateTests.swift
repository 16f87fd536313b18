import AgentProtocol
import Crypto
import CurlHTTP
import Foundation
import Glibc
import Testing

@testable import PulseAgent

/// Self-update end to end against our own server (`--agent-version` makes it advertise a newer
/// version; `--bin-dir` serves the "new" build): a build signed with the key pinned at install is
/// installed and started in place; a spoiled checksum, a missing checksum header, a build
/// altered together with its checksum, a missing or foreign signature, a non-ELF build and a
/// redirect to another origin are each refused with a log line while the old binary keeps
/// running; without a pinned key the agent does not update at all.
@Suite("Agent self-update against the real server")
struct SelfUpdateTests {
    /// A server advertising 0.1.1 with `build` as its linux build, an installed copy of the agent,
    /// and (optionally) a tampering proxy in front of the server.
    final class Setup {
        let server: LiveServer
        var work: URL { server.work }
        var processes: EndToEndTests.Processes { server.processes }
        var token: String { server.token }
        var serverURL: String { server.url }
        var installed: URL { work.appendingPathComponent("install/pulse-agent") }
        var agentLog: URL { work.appendingPathComponent("agent.log") }
        /// The server's public key as the installer pins it.
        var updateKey: URL { work.appendingPathComponent("update-key.pem") }
        var agent: Process?
        let bin: URL

        init(build: [UInt8]) async throws {
            let bin = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-update-bin-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try Data(build).write(to: bin.appendingPathComponent("pulse-agent-" + HostCollector.downloadPlatform()))
            server = try await LiveServer(
                token: String(repeating: "ef", count: 32), extraArguments: ["--bin-dir", bin.path, "--agent-version", "0.1.1"])
            self.bin = bin
            try FileManager.default.createDirectory(at: installed.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: FixtureRoot.agentBinary, toPath: installed.path)
            let reply = try await server.client.get(server.url + "/api/agent/signing-key", headers: [])
            let key = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            try #require(key?["pem"] as? String).write(to: updateKey, atomically: true, encoding: .utf8)
        }

        /// A tampering proxy in front of the server; returns its URL.
        func proxy(_ mode: String) async throws -> String {
            let port = EndToEndTests.freePort()
            _ = try processes.start(
                "/usr/bin/env", ["python3", FixtureRoot.folder("tools/tamper-proxy.py"), String(port), serverURL, mode],
                log: work.appendingPathComponent("proxy.log"))
            let url = "http://127.0.0.1:\(port)"
            let client = CurlClient(timeout: .seconds(3))
            #expect(try await EndToEndTests.eventually(10) { (try? await client.get(url + "/api/health", headers: []))?.status == 200 })
            return url
        }

        /// Starts the installed agent; `keyFile` is its `--update-key-file` (nil: none).
        func startAgent(url: String, keyFile: URL?? = .none) throws {
            let key = keyFile ?? updateKey
            agent = try processes.start(
                installed.path,
                [
                    "--url", url, "--token-file", server.tokenFile.path, "--interval", "1s",
                    "--buffer-dir", work.appendingPathComponent("state").path, "--health-addr", "off", "--no-enable-docker",
                ]
                    + (key.map { ["--update-key-file", $0.path] } ?? []),
                log: agentLog)
        }

        var log: String { (try? String(contentsOf: agentLog, encoding: .utf8)) ?? "" }

        deinit { try? FileManager.default.removeItem(at: bin) }
    }

    static func sha256(_ path: String) throws -> String {
        try #require(SHA256Digest.hex(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    static var agentBytes: [UInt8] {
        get throws { Array(try Data(contentsOf: URL(fileURLWithPath: FixtureRoot.agentBinary))) }
    }

    @Test func aNewerBuildIsVerifiedInstalledAndStartedInPlace() async throws {
        // The "new" build: the same program with bytes appended, so it runs and has another checksum.
        let build = try Self.agentBytes + Array("pulse-agent 0.1.1 test build".utf8)
        let setup = try await Setup(build: build)
        let original = try Self.sha256(setup.installed.path)
        try setup.startAgent(url: setup.serverURL)
        let pid = try #require(setup.agent?.processIdentifier)

        #expect(try await EndToEndTests.eventually(30) { (try? Self.sha256(setup.installed.path)) == SHA256Digest.hex(build) })
        #expect(try Self.sha256(setup.installed.path + ".old") == original, "the old binary is kept for rollback")
        #expect(setup.log.contains("self-update installed; restarting"))
        // execv keeps the process: same PID, now running the new file, and it says where it came from.
        #expect(
            try await EndToEndTests.eventually(20) {
                await setup.server.objects("hosts").first?["updatedFrom"] as? String == "0.1.0"
            }, "the first report after the update carries agent.updatedFrom")
        #expect(setup.agent?.isRunning == true && setup.agent?.processIdentifier == pid)
        // The new build still says 0.1.0: the agent must not install the same build again and again.
        #expect(try await EndToEndTests.eventually(15) { setup.log.contains("self-update skipped") })
        #expect(try Self.sha256(setup.installed.path) == SHA256Digest.hex(build))
    }

    /// Runs the agent against `url` and waits for its refusal; the installed binary must be untouched.
    func expectRefusal(_ setup: Setup, url: String, keyFile: URL?? = .none, containing reason: String) async throws {
        let original = try Self.sha256(setup.installed.path)
        try setup.startAgent(url: url, keyFile: keyFile)
        #expect(try await EndToEndTests.eventually(20) { setup.log.contains("self-update refused") }, "\(reason)")
        let line = setup.log.split(separator: "\n").first { $0.contains("self-update refused") } ?? ""
        #expect(line.contains(reason), "\(line)")
        #expect(try Self.sha256(setup.installed.path) == original, "the old binary stays")
        #expect(!FileManager.default.fileExists(atPath: setup.installed.path + ".new"))
        #expect(setup.agent?.isRunning == true, "and keeps running")
    }

    @Test func aSpoiledDownloadIsRefused() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        try await expectRefusal(setup, url: try await setup.proxy("flip"), containing: "the server announced")
    }

    @Test func aDownloadWithoutChecksumHeaderIsRefused() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        try await expectRefusal(setup, url: try await setup.proxy("strip"), containing: "without an X-Checksum-Sha256 header")
    }

    @Test func aBuildAlteredTogetherWithItsChecksumIsRefusedForItsSignature() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        try await expectRefusal(setup, url: try await setup.proxy("rehash"), containing: "does not verify with the update key")
    }

    @Test func aBuildWithoutSignatureIsRefused() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        try await expectRefusal(setup, url: try await setup.proxy("nosig"), containing: "came without a signature")
    }

    @Test func aBuildSignedByAnotherServerIsRefused() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        let foreign = setup.work.appendingPathComponent("foreign-key.pem")
        try Self.pem(Curve25519.Signing.PrivateKey().publicKey).write(to: foreign, atomically: true, encoding: .utf8)
        try await expectRefusal(setup, url: setup.serverURL, keyFile: foreign, containing: "does not verify with the update key")
    }

    @Test func withoutAPinnedKeyTheAgentSaysSoAndDoesNotUpdate() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        let original = try Self.sha256(setup.installed.path)
        try setup.startAgent(url: setup.serverURL, keyFile: .some(nil))
        #expect(try await EndToEndTests.eventually(20) { setup.log.contains("self-update is off: no update signing key") })
        // The first check would come 5 s after start; give it time to (wrongly) happen.
        try await Task.sleep(for: .seconds(10))
        #expect(!setup.log.contains("self-update installed"))
        #expect(try Self.sha256(setup.installed.path) == original)
        #expect(setup.log.components(separatedBy: "self-update is off").count == 2, "said once")
        #expect(setup.agent?.isRunning == true)
    }

    static func pem(_ key: Curve25519.Signing.PublicKey) -> String {
        let der = Data(UpdateSigningKey.subjectPublicKeyInfoPrefix) + key.rawRepresentation
        return "-----BEGIN PUBLIC KEY-----\n\(der.base64EncodedString())\n-----END PUBLIC KEY-----\n"
    }

    @Test func theAgentReadsTheKeyAsPEMOrBase64AndVerifiesWhatTheServerSigns() throws {
        let signer = Curve25519.Signing.PrivateKey()
        let message = Array("a build".utf8)
        let signature = Array(try signer.signature(for: message))
        for text in [Self.pem(signer.publicKey), signer.publicKey.rawRepresentation.base64EncodedString() + "\n"] {
            let key = try #require(UpdateSigningKey(text: text), "\(text)")
            #expect(key.bytes == Array(signer.publicKey.rawRepresentation))
            #expect(key.verifies(signature, of: message))
            #expect(!key.verifies(signature, of: message + [0]), "another message")
            var altered = signature
            altered[10] ^= 1
            #expect(!key.verifies(altered, of: message), "another signature")
            #expect(!key.verifies(Array(signature.prefix(63)), of: message))
        }
        let other = try #require(UpdateSigningKey(text: Self.pem(Curve25519.Signing.PrivateKey().publicKey)))
        #expect(!other.verifies(signature, of: message), "another key")
        for garbage in ["", "not base64!", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", Data(count: 31).base64EncodedString()] {
            #expect(UpdateSigningKey(text: garbage) == nil, "\(garbage)")
        }
    }

    @Test func aRedirectToAnotherOriginIsRefused() async throws {
        let setup = try await Setup(build: try Self.agentBytes + [1, 2, 3])
        try await expectRefusal(setup, url: try await setup.proxy("redirect"), containing: "another origin")
    }

    @Test func aBuildThatIsNotAnExecutableIsRefused() async throws {
        let setup = try await Setup(build: Array("#!/bin/sh\necho not an agent\n".utf8))
        try await expectRefusal(setup, url: setup.serverURL, containing: "is not an ELF executable")
    }

    @Test func versionsCompareAsSemver() throws {
        let order = ["0.9.9", "0.10.0-rc.2", "0.10.0-rc.10", "0.10.0", "v0.10.1", "1.0.0"].map { SemanticVersion($0)! }
        #expect(order == order.sorted())
        #expect(SemanticVersion("1.0.0+build.7")! == SemanticVersion("1.0.0")!)
        #expect(SemanticVersion("dev") == nil && SemanticVersion("1.2") == nil)
    }
}
