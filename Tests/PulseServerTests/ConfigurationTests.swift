import ArgumentParser
import Foundation
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Flags and Pulse's environment variables")
struct ConfigurationTests {
    func resolve(_ arguments: [String], _ environment: [String: String]) throws -> ServerConfiguration {
        try ServerOptions.parse(arguments).resolve(environment: environment)
    }

    @Test func defaultsMatchPulse() throws {
        let configuration = try resolve([], [:])
        #expect(configuration.port == 7655)
        #expect(configuration.bindAddress == "0.0.0.0")
        #expect(configuration.dataDirectory == "/etc/pulse")
        #expect(configuration.apiTokens.isEmpty)
    }

    @Test func environmentVariablesApply() throws {
        let configuration = try resolve(
            [],
            [
                "PULSE_DATA_DIR": "/srv/pulse", "FRONTEND_PORT": "8080", "BIND_ADDRESS": "127.0.0.1",
                "PULSE_PUBLIC_URL": "https://pulse.example.com", "PULSE_AUTH_USER": "admin", "PULSE_AUTH_PASS": "x",
                "API_TOKENS": "aaa,bbb", "API_TOKEN": "ccc", "TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem", "LOG_LEVEL": "debug",
            ])
        #expect(configuration.dataDirectory == "/srv/pulse")
        #expect(configuration.port == 8080)
        #expect(configuration.bindAddress == "127.0.0.1")
        #expect(configuration.publicURL == "https://pulse.example.com")
        #expect(configuration.authUser == "admin" && configuration.authPassword == "x")
        #expect(configuration.apiTokens == ["aaa", "bbb", "ccc"])
        #expect(configuration.usesTLS)
        #expect(configuration.logLevel == .debug)
    }

    @Test func flagsWinOverEnvironment() throws {
        let configuration = try resolve(["--port", "9000", "--data-dir", "/tmp/d"], ["FRONTEND_PORT": "8080", "PULSE_DATA_DIR": "/x"])
        #expect(configuration.port == 9000)
        #expect(configuration.dataDirectory == "/tmp/d")
    }

    @Test func secretsAsFlagsComeFromFiles() throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokens = folder.appendingPathComponent("tokens")
        try "t1\nt2, t1\n".write(to: tokens, atomically: true, encoding: .utf8)
        let configuration = try resolve(["--api-tokens-file", tokens.path], ["API_TOKENS": "ignored"])
        #expect(configuration.apiTokens == ["t1", "t2"])
    }

    @Test func connectionLimitsAndOriginsComeFromFlagsOrVariables() throws {
        let defaults = try resolve([], [:])
        #expect(defaults.maxConnections == nil && defaults.maxConnectionsPerAddress == 512)
        #expect(defaults.headerTimeout == .seconds(10) && defaults.idleTimeout == .seconds(60))
        #expect(ServerConfiguration.defaultMaxConnections(openFileLimit: 1024) == 819)
        #expect(ServerConfiguration.defaultMaxConnections(openFileLimit: 1_048_576) == 4096)

        let fromEnvironment = try resolve(
            [],
            [
                "PULSE_MAX_CONNECTIONS": "2000", "PULSE_MAX_CONNECTIONS_PER_IP": "2000", "PULSE_HEADER_TIMEOUT": "5",
                "PULSE_IDLE_TIMEOUT": "120s", "ALLOWED_ORIGINS": "https://grafana.example.com, http://10.0.0.5:3000",
            ])
        #expect(fromEnvironment.maxConnections == 2000 && fromEnvironment.maxConnectionsPerAddress == 2000)
        #expect(fromEnvironment.headerTimeout == .seconds(5) && fromEnvironment.idleTimeout == .seconds(120))
        #expect(fromEnvironment.allowedOrigins == ["https://grafana.example.com", "http://10.0.0.5:3000"])

        let fromFlags = try resolve(
            [
                "--max-connections", "300", "--max-connections-per-ip", "20", "--header-timeout", "2.5", "--idle-timeout", "30",
                "--allowed-origins", "https://a.example",
            ],
            ["PULSE_MAX_CONNECTIONS": "2000", "ALLOWED_ORIGINS": "https://b.example"])
        #expect(fromFlags.maxConnections == 300 && fromFlags.maxConnectionsPerAddress == 20)
        #expect(fromFlags.headerTimeout == .milliseconds(2500) && fromFlags.idleTimeout == .seconds(30))
        #expect(fromFlags.allowedOrigins == ["https://a.example"])
    }

    @Test(arguments: [
        (["PULSE_MAX_CONNECTIONS": "0"], "PULSE_MAX_CONNECTIONS"),
        (["PULSE_MAX_CONNECTIONS": "many"], "PULSE_MAX_CONNECTIONS"),
        (["PULSE_MAX_CONNECTIONS_PER_IP": "-1"], "PULSE_MAX_CONNECTIONS_PER_IP"),
        (["PULSE_HEADER_TIMEOUT": "0"], "PULSE_HEADER_TIMEOUT"),
        (["PULSE_IDLE_TIMEOUT": "forever"], "PULSE_IDLE_TIMEOUT"),
        (["ALLOWED_ORIGINS": "https://ok.example,grafana.example.com"], "ALLOWED_ORIGINS"),
        (["ALLOWED_ORIGINS": "https://a.example/path"], "ALLOWED_ORIGINS"),
        (["FRONTEND_PORT": "eighty"], "FRONTEND_PORT"),
        (["FRONTEND_PORT": "70000"], "port"),
        (["TLS_CERT_FILE": "/c.pem"], "TLS_KEY_FILE"),
        (["PULSE_AUTH_USER": "admin"], "PULSE_AUTH_PASS"),
        (["LOG_LEVEL": "loud"], "log level"),
        (["PULSE_PUBLIC_URL": "ftp://x"], "PULSE_PUBLIC_URL"),
        (["PULSE_UPDATE_SERVER": "releases.example.com/feed.json"], "PULSE_UPDATE_SERVER"),
        (["PULSE_UPDATE_PUBLIC_KEY": "not-a-key"], "PULSE_UPDATE_PUBLIC_KEY"),
        (["PULSE_UPDATE_PUBLIC_KEY": "AAAA"], "PULSE_UPDATE_PUBLIC_KEY"),
        (["PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS": "10.0.0.0/8,lan"], "PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS"),
    ])
    func badValuesAreRejectedWithTheirName(environment: [String: String], named: String) {
        do {
            _ = try resolve([], environment)
            Issue.record("accepted \(environment)")
        } catch {
            #expect("\(error)".contains(named), "error '\(error)' should name \(named)")
        }
    }

    @Test func theSelfUpdateComesFromFlagsOrVariables() throws {
        let key = Data((1...32).map { UInt8($0) })
        // The key as openssl writes it, its line breaks escaped as a variable often carries them.
        let pem =
            "-----BEGIN PUBLIC KEY-----\\n\((Data(AgentSigningKey.subjectPublicKeyInfoPrefix) + key).base64EncodedString())\\n-----END PUBLIC KEY-----"
        let fromVariables = try resolve(
            [],
            [
                "PULSE_UPDATE_SERVER": "https://releases.example.com/pulse.json", "PULSE_UPDATE_PUBLIC_KEY": pem,
                "PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS": "10.0.0.0/8, fd00::/8",
            ])
        #expect(fromVariables.updates.feedURL == "https://releases.example.com/pulse.json")
        #expect(fromVariables.updates.releaseKey != nil)
        #expect(fromVariables.updates.allowedPrivateTargets == ["10.0.0.0/8", "fd00::/8"])
        let fromFlags = try resolve(
            ["--update-server", "http://10.0.0.5/feed.json", "--update-public-key", key.base64EncodedString()],
            ["PULSE_UPDATE_SERVER": "https://ignored.example/feed.json"])
        #expect(fromFlags.updates.feedURL == "http://10.0.0.5/feed.json" && fromFlags.updates.releaseKey != nil)
        let none = try resolve([], [:])
        #expect(none.updates.feedURL == nil && none.updates.releaseKey == nil && none.updates.allowedPrivateTargets.isEmpty)
    }

    @Test func helpListsEveryVariable() {
        let help = PulseCommand.helpMessage()
        for variable in [
            "PULSE_DATA_DIR", "FRONTEND_PORT", "BIND_ADDRESS", "PULSE_PUBLIC_URL", "PULSE_AUTH_USER", "PULSE_AUTH_PASS",
            "API_TOKENS", "API_TOKEN", "TLS_CERT_FILE", "TLS_KEY_FILE", "LOG_LEVEL",
            "PULSE_MAX_CONNECTIONS", "PULSE_MAX_CONNECTIONS_PER_IP", "PULSE_HEADER_TIMEOUT", "PULSE_IDLE_TIMEOUT", "ALLOWED_ORIGINS",
            "--max-connections", "--max-connections-per-ip", "--header-timeout", "--idle-timeout", "--allowed-origins",
            "PULSE_UPDATE_SERVER", "PULSE_UPDATE_PUBLIC_KEY", "PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS",
        ] {
            #expect(help.contains(variable), "pulse --help does not mention \(variable)")
        }
    }
}
