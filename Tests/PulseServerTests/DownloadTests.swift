import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/download/pulse-agent`, its checksum, the installer and the install command.
@Suite struct DownloadTests {
    /// A binaries folder with a distinct small "build" per supported platform.
    final class BinariesFolder: Sendable {
        let url = TestServer.temporaryFolder()
        deinit { try? FileManager.default.removeItem(at: url) }

        @discardableResult
        func write(_ platform: AgentPlatform, contents: String? = nil) throws -> Data {
            let data = Data((contents ?? "\u{7F}ELF build for \(platform)").utf8)
            try data.write(to: url.appendingPathComponent(platform.binaryName))
            return data
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Every alias a client may send, and the build it must get.
    static let aliases: [(String, String)] = [
        ("linux-amd64", "linux-amd64"), ("amd64", "linux-amd64"), ("x86_64", "linux-amd64"), ("linux-x86_64", "linux-amd64"),
        ("LINUX-AMD64", "linux-amd64"), ("linux-arm64", "linux-arm64"), ("aarch64", "linux-arm64"),
        ("linux-aarch64", "linux-arm64"), ("linux-armv7", "linux-armv7"), ("armhf", "linux-armv7"),
        ("linux-armv7l", "linux-armv7"), ("linux-armv6", "linux-armv6"), ("armv6l", "linux-armv6"),
        ("linux-386", "linux-386"), ("i686", "linux-386"), ("linux-i386", "linux-386"), ("darwin-arm64", "darwin-arm64"),
        ("macos-amd64", "darwin-amd64"), ("darwin-x86_64", "darwin-amd64"), ("windows-amd64", "windows-amd64"),
        ("windows-arm64", "windows-arm64"), ("windows-i686", "windows-386"),
    ]

    @Test func everyAcceptedAliasServesItsBuildWithTheChecksumOfTheBody() async throws {
        let folder = BinariesFolder()
        let expected = try Dictionary(uniqueKeysWithValues: AgentPlatform.supported.map { ($0.description, try folder.write($0)) })
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            for (alias, canonical) in Self.aliases {
                try await client.execute(uri: "/download/pulse-agent?arch=\(alias)", method: .get) { response in
                    #expect(response.status == .ok, "\(alias)")
                    let body = Data(buffer: response.body)
                    #expect(body == expected[canonical], "\(alias) must serve \(canonical)")
                    #expect(response.headers[DownloadRoutes.checksumHeader] == Self.sha256(body), "\(alias)")
                    #expect(response.headers[.contentLength] == String(body.count), "\(alias)")
                }
            }
        }
    }

    @Test func unknownArchIs400AndAMissingBuildIs404NamingTheArch() async throws {
        let folder = BinariesFolder()
        try folder.write(AgentPlatform(os: "linux", arch: "amd64"))
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            for bad in ["sparc64", "linux-mips", "solaris-amd64", "darwin-386", ""] {
                try await client.execute(uri: "/download/pulse-agent?arch=\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "arch '\(bad)'")
                    #expect(response.field("code", as: String.self) == "invalid_request")
                    #expect(response.field("error", as: String.self)?.contains("linux-amd64") == true, "the message lists what is accepted")
                }
            }
            try await client.execute(uri: "/download/pulse-agent?arch=aarch64", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error", as: String.self) == "This server has no pulse-agent build for linux-arm64")
            }
            try await client.execute(uri: "/download/pulse-agent.sha256?arch=linux-armv6", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func headGivesTheHeadersWithoutTheBody() async throws {
        let folder = BinariesFolder()
        let build = try folder.write(AgentPlatform(os: "linux", arch: "amd64"))
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            try await client.execute(uri: "/download/pulse-agent?arch=linux-amd64", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentLength] == String(build.count))
                #expect(response.headers[DownloadRoutes.checksumHeader] == Self.sha256(build))
            }
        }
    }

    @Test func checksumFileUsesSha256sumFormatAndFollowsAChangedBuild() async throws {
        let folder = BinariesFolder()
        let platform = AgentPlatform(os: "linux", arch: "amd64")
        let first = try folder.write(platform, contents: "\u{7F}ELF first")
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            try await client.execute(uri: "/download/pulse-agent.sha256?arch=x86_64", method: .get) { response in
                #expect(response.text == "\(Self.sha256(first))  pulse-agent-linux-amd64\n")
            }
            // A new build replaces the file (another inode and size): the next answer follows it.
            let replacement = folder.url.appendingPathComponent("new")
            let second = Data("\u{7F}ELF second build, longer".utf8)
            try second.write(to: replacement)
            #expect(rename(replacement.path, folder.url.appendingPathComponent(platform.binaryName).path) == 0)
            try await client.execute(uri: "/download/pulse-agent?arch=x86_64", method: .get) { response in
                #expect(Data(buffer: response.body) == second)
                #expect(response.headers[DownloadRoutes.checksumHeader] == Self.sha256(second))
            }
        }
    }

    @Test func legacyNamesServeTheUnifiedAgentAndInstaller() async throws {
        let folder = BinariesFolder()
        let build = try folder.write(AgentPlatform(os: "linux", arch: "amd64"))
        let installer = try Data(contentsOf: Self.repositoryInstaller)
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            for path in ["/download/pulse-host-agent", "/download/pulse-docker-agent"] {
                try await client.execute(uri: "\(path)?arch=linux-amd64", method: .get) { response in
                    #expect(Data(buffer: response.body) == build, "\(path)")
                }
            }
            for path in ["/install.sh", "/install-host-agent.sh", "/install-docker-agent.sh"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(Data(buffer: response.body) == installer, "\(path) serves the installer this binary was built with")
                    #expect(response.headers[.cacheControl] == "no-cache")
                }
            }
        }
    }

    static let repositoryInstaller = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("installers/install.sh")

    @Test func agentVersionIsTheServersVersion() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/agent/version", method: .get) { response in
                let body = try response.jsonObject()
                #expect(body as NSDictionary == ["version": BuildInfo.version])
            }
        }
    }

    @Test func installCommandMintsAReportOnlyTokenThatWorks() async throws {
        try await TestServer.with(configure: { $0.publicURL = "https://pulse.example.net:7655/" }) { server, client in
            let reply = try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: .token(TestServer.adminToken),
                body: .json(#"{"type":"docker"}"#))
            #expect(reply.status == .ok)
            let token = try #require(reply.field("token", as: String.self))
            #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
            let key = server.dependencies.agentSigningKey.publicKeyBase64
            #expect(
                reply.field("command", as: String.self)
                    == "pulse_installer=$(mktemp) && curl -fsSL 'https://pulse.example.net:7655/install.sh' -o \"$pulse_installer\" && "
                    + "printf '%s\\n' '\(token)' | sudo sh \"$pulse_installer\" --url 'https://pulse.example.net:7655' --token-stdin "
                    + "--key '\(key)' --enable-docker; rm -f \"$pulse_installer\"")
            #expect(reply.field("scopes", as: [String].self) == ["host-agent:report", "host-agent:config:read", "docker:report"])

            let report = AgentPayloads.host(hostname: "installed-host")
            try await client.execute(uri: "/api/agents/host/report", method: .post, headers: .token(token), body: .json(report)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/state", method: .get, headers: .token(token)) { response in
                #expect(response.status == .forbidden, "an install token reports, it does not read")
            }
            #expect(await server.dependencies.tokens.list().contains { $0.name == "docker agent install" })
        }
    }

    @Test func installCommandUsesTheRequestsHostAndRefusesAnUnsafeOne() async throws {
        try await TestServer.with { _, client in
            // The router test client always sends authority "localhost".
            let reply = try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: .token(TestServer.adminToken), body: .json("{}"))
            #expect(reply.field("command", as: String.self)?.contains("curl -fsSL 'http://localhost/install.sh' ") == true)
            #expect(reply.field("command", as: String.self)?.contains(" --url 'http://localhost' --token-stdin ") == true)
            try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: .token(TestServer.adminToken),
                body: .json(#"{"type":"windows"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error", as: String.self)?.contains("docker, host, kubernetes, pbs, pve") == true)
            }
        }
        #expect(try AgentInstallRoutes.serverURL(publicURL: nil, authority: "[fd00::5]:7655", usesTLS: true) == "https://[fd00::5]:7655")
        for unsafe in ["evil;rm -rf /", "a b", "$(id)", "", "x\nid", "x%0Aid", "http://x", "user@x", nil] as [String?] {
            #expect(
                throws: InvalidField("Host", "Cannot tell this server's address from the request's Host; set PULSE_PUBLIC_URL"), "\(unsafe ?? "nil")"
            ) {
                try AgentInstallRoutes.serverURL(publicURL: nil, authority: unsafe, usesTLS: false)
            }
        }
    }

    @Test func installCommandCannotMintScopesTheCallerLacks() async throws {
        try await TestServer.with(configure: { $0.publicURL = "http://pulse:7655" }) { server, client in
            let settingsOnly = try await server.token(scopes: ["settings:write"])
            try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: .token(settingsOnly), body: .json("{}")
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error", as: String.self)?.contains("host-agent:report") == true)
            }
        }
    }

    static func signingKey(_ client: any TestClientProtocol) async throws -> (publicKey: Curve25519.Signing.PublicKey, pem: String) {
        try await client.execute(uri: "/api/agent/signing-key", method: .get) { response in
            #expect(response.status == .ok)
            let body = try response.jsonObject()
            #expect(body["algorithm"] as? String == "ed25519")
            let raw = try #require((body["publicKey"] as? String).flatMap { Data(base64Encoded: $0) })
            return (try Curve25519.Signing.PublicKey(rawRepresentation: raw), try #require(body["pem"] as? String))
        }
    }

    @Test func theServedSignatureVerifiesWithTheServedPublicKeyAlsoThroughOpenSSL() async throws {
        let folder = BinariesFolder()
        let build = try folder.write(AgentPlatform(os: "linux", arch: "amd64"))
        let work = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        try await TestServer.with(configure: { $0.binDirectory = folder.url.path }) { _, client in
            let (publicKey, pem) = try await Self.signingKey(client)
            let headerSignature = try await client.execute(uri: "/download/pulse-agent?arch=linux-amd64", method: .get) { response in
                #expect(Data(buffer: response.body) == build)
                return try #require(response.headers[DownloadRoutes.signatureHeader].flatMap { Data(base64Encoded: $0) })
            }
            #expect(publicKey.isValidSignature(headerSignature, for: build))
            #expect(!publicKey.isValidSignature(headerSignature, for: build + Data([0])), "it covers exactly the served bytes")
            for path in ["/download/pulse-agent.sig", "/download/pulse-host-agent.sig"] {
                try await client.execute(uri: "\(path)?arch=x86_64", method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(Data(buffer: response.body) == headerSignature, "\(path) serves the raw 64 bytes")
                }
            }
            try await client.execute(uri: "/download/pulse-agent?arch=linux-amd64", method: .head) { response in
                #expect(response.headers[DownloadRoutes.signatureHeader] == headerSignature.base64EncodedString())
            }
            // What install.sh does on a host.
            try pem.write(to: work.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
            try build.write(to: work.appendingPathComponent("agent"))
            try headerSignature.write(to: work.appendingPathComponent("agent.sig"))
            let verify = [
                "pkeyutl", "-verify", "-pubin", "-inkey", work.appendingPathComponent("key.pem").path, "-rawin",
                "-in", work.appendingPathComponent("agent").path, "-sigfile", work.appendingPathComponent("agent.sig").path,
            ]
            #expect(try await ChildProcess.run("/usr/bin/openssl", verify, mergingErrors: true).status == 0)
            try (build + Data([0])).write(to: work.appendingPathComponent("agent"))
            #expect(try await ChildProcess.run("/usr/bin/openssl", verify, mergingErrors: true).status != 0)
        }
    }

    @Test func theSigningKeyFileIsPrivateAndStableAcrossRestarts() async throws {
        let data = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await TestServer.with(dataDirectory: data) { _, client in try await Self.signingKey(client).publicKey.rawRepresentation }
        let keyFile = data.appendingPathComponent(".agent-signing.key").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let second = try await TestServer.with(dataDirectory: data) { _, client in try await Self.signingKey(client).publicKey.rawRepresentation }
        #expect(first == second, "agents pinned the key: a restart must not change it")
    }
}
