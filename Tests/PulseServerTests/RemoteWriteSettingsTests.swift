import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// `PULSE_REMOTE_WRITE_*` and `PULSE_INSTANCE_NAME`: values, defaults, refusals naming the
/// setting, and credentials that never reach argv, logs or diagnostics.
@Suite("Remote write settings: flags, variables, refusals and secrets")
struct RemoteWriteSettingsTests {
    func resolve(_ arguments: [String], _ environment: [String: String]) throws -> RemoteWriteSettings? {
        try ServerOptions.parse(arguments).resolve(environment: environment).remoteWrite
    }

    /// A file with `content` and `mode` in a fresh folder.
    static func file(_ content: String, mode: Int = 0o600) throws -> (file: String, folder: URL) {
        let folder = TestServer.temporaryFolder()
        let path = folder.appendingPathComponent("secret").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return (path, folder)
    }

    @Test func offWithoutAURLAndTheDefaultsWithOne() throws {
        #expect(try resolve([], ["PULSE_INSTANCE_NAME": "a"]) == nil)
        let settings = try #require(try resolve([], ["PULSE_REMOTE_WRITE_URL": "http://127.0.0.1:8428/api/v1/write"]))
        #expect(settings.instanceName == ProcessInfo.processInfo.hostName && !settings.instanceName.isEmpty)
        #expect(settings.queueMaxBytes == 536_870_912 && settings.batchSamples == 5_000 && settings.extraLabels.isEmpty)
        #expect(settings.authorization.kind == "none" && settings.tls.insecure == false && settings.tls.caCertificateFile == nil)
    }

    @Test func flagsWinOverVariablesAndEverySettingIsRead() throws {
        let password = try Self.file("s3cret\n")
        defer { try? FileManager.default.removeItem(at: password.folder) }
        let settings = try #require(
            try resolve(
                [
                    "--remote-write-url", "https://vm.example.com/api/v1/write", "--instance-name", "pulse-b", "--remote-write-labels",
                    "site=lab, Team_2=ops", "--remote-write-queue-max-bytes", "2097152", "--remote-write-password-file", password.file,
                ],
                [
                    "PULSE_REMOTE_WRITE_URL": "http://ignored/", "PULSE_INSTANCE_NAME": "ignored", "PULSE_REMOTE_WRITE_USERNAME": "writer",
                    "PULSE_REMOTE_WRITE_BATCH_SAMPLES": "2000", "PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY": "true",
                ]))
        #expect(settings.url == "https://vm.example.com/api/v1/write" && settings.instanceName == "pulse-b")
        #expect(settings.extraLabels == [MetricLabel(name: "site", value: "lab"), MetricLabel(name: "Team_2", value: "ops")])
        #expect(settings.queueMaxBytes == 2_097_152 && settings.batchSamples == 2_000 && settings.tls.insecure)
        guard case .basic(let username, let secret) = settings.authorization else {
            Issue.record("basic authentication expected, got \(settings.authorization.kind)")
            return
        }
        #expect(username == "writer" && secret == "s3cret")
    }

    @Test func theBearerTokenComesFromAPrivateFileOrTheVariableAndNeverFromAFlag() throws {
        let token = try Self.file("file-token\n")
        defer { try? FileManager.default.removeItem(at: token.folder) }
        let url = ["PULSE_REMOTE_WRITE_URL": "http://127.0.0.1:9/api/v1/write"]
        let fromFile = try #require(try resolve(["--remote-write-bearer-token-file", token.file], url))
        guard case .bearer("file-token") = fromFile.authorization else {
            Issue.record("the file's token expected")
            return
        }
        let fromVariable = try #require(try resolve([], url.merging(["PULSE_REMOTE_WRITE_BEARER_TOKEN": "env-token"]) { $1 }))
        guard case .bearer("env-token") = fromVariable.authorization else {
            Issue.record("the variable's token expected")
            return
        }
        #expect(throws: (any Error).self) { try ServerOptions.parse(["--remote-write-bearer-token", "x"]) }
        #expect(!PulseCommand.helpMessage().contains("--remote-write-bearer-token "))
    }

    static let refusals: [(environment: [String: String], named: String)] = [
        (["PULSE_REMOTE_WRITE_URL": "vm:8428/api/v1/write"], "PULSE_REMOTE_WRITE_URL"),
        (["PULSE_REMOTE_WRITE_URL": "ftp://vm/api/v1/write"], "PULSE_REMOTE_WRITE_URL"),
        (["PULSE_REMOTE_WRITE_URL": "http:///api/v1/write"], "PULSE_REMOTE_WRITE_URL"),
        (["PULSE_REMOTE_WRITE_URL": "https://writer:secret@vm/api/v1/write"], "PULSE_REMOTE_WRITE_URL"),
        (["PULSE_REMOTE_WRITE_URL": "http://vm/api/v1/write\r\nX-Evil: 1"], "PULSE_REMOTE_WRITE_URL"),
        (["PULSE_REMOTE_WRITE_LABELS": "1site=lab"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "si-te=lab"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "__name__=x"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "pulse_instance=x"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "site"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "site=a,site=b"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_LABELS": "site=a\nb"], "PULSE_REMOTE_WRITE_LABELS"),
        (["PULSE_REMOTE_WRITE_BEARER_TOKEN": "abc\r\nX-Evil: 1"], "PULSE_REMOTE_WRITE_BEARER_TOKEN"),
        (["PULSE_REMOTE_WRITE_USERNAME": "writer"], "PULSE_REMOTE_WRITE_PASSWORD_FILE"),
        (["PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY": "sometimes"], "PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY"),
        (["PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES": "1000"], "PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES"),
        (["PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES": "512MiB"], "PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES"),
        (["PULSE_REMOTE_WRITE_BATCH_SAMPLES": "0"], "PULSE_REMOTE_WRITE_BATCH_SAMPLES"),
        (["PULSE_REMOTE_WRITE_BATCH_SAMPLES": "1000001"], "PULSE_REMOTE_WRITE_BATCH_SAMPLES"),
        (["PULSE_REMOTE_WRITE_CA_FILE": "/nonexistent/ca.pem"], "PULSE_REMOTE_WRITE_CA_FILE"),
        (["PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE": "/nonexistent/token"], "PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE"),
        (["PULSE_INSTANCE_NAME": "a\u{7}"], "PULSE_INSTANCE_NAME"),
    ]

    @Test(arguments: refusals)
    func badValuesStopTheStartNamingTheSetting(environment: [String: String], named: String) {
        let withURL = ["PULSE_REMOTE_WRITE_URL": "http://127.0.0.1:8428/api/v1/write"].merging(environment) { $1 }
        do {
            _ = try resolve([], withURL)
            Issue.record("accepted \(environment)")
        } catch {
            #expect("\(error)".contains(named), "error '\(error)' should name \(named)")
            #expect(!"\(error)".contains("secret"), "the error shows a credential: \(error)")
        }
    }

    @Test func printedSettingsShowTheKindOfCredentialsButNeverThem() {
        var settings = RemoteWriteSettings(url: "https://vm.example.com/api/v1/write", instanceName: "a")
        settings.authorization = .bearer(token: "printed-token-5d2a")
        var dumped = ""
        dump(settings, to: &dumped)
        for text in ["\(settings)", String(reflecting: settings), dumped, "\(settings.authorization)"] {
            #expect(!text.contains("printed-token-5d2a") && text.contains("bearer"), "\(text)")
        }
        settings.authorization = .basic(username: "writer", password: "printed-password-77")
        dumped = ""
        dump(settings, to: &dumped)
        for text in ["\(settings)", String(reflecting: settings), dumped] { #expect(!text.contains("printed-password-77"), "\(text)") }
    }

    @Test func diagnosticsShowTheURLWithoutUserInformation() {
        #expect(
            RemoteWriteURL.withoutUserInformation("https://u:p@vm.example.com:8428/api/v1/write?x=@")
                == "https://vm.example.com:8428/api/v1/write?x=@")
        #expect(RemoteWriteURL.withoutUserInformation("http://vm/api/v1/write") == "http://vm/api/v1/write")
    }

    @Test func secretFilesOthersMayReadAreRefusedAndBothKindsOfCredentialsExcludeEachOther() throws {
        let open = try Self.file("token", mode: 0o644)
        defer { try? FileManager.default.removeItem(at: open.folder) }
        let url = ["PULSE_REMOTE_WRITE_URL": "http://127.0.0.1:9/api/v1/write"]
        #expect {
            try resolve([], url.merging(["PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE": open.file]) { $1 })
        } throws: { "\($0)".contains("PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE") && "\($0)".contains("0600") }
        let password = try Self.file("pw")
        defer { try? FileManager.default.removeItem(at: password.folder) }
        #expect {
            try resolve(
                [],
                url.merging([
                    "PULSE_REMOTE_WRITE_BEARER_TOKEN": "t", "PULSE_REMOTE_WRITE_USERNAME": "u", "PULSE_REMOTE_WRITE_PASSWORD_FILE": password.file,
                ]) { $1 })
        } throws: { "\($0)".contains("exclude each other") }
    }

    @Test func everySettingIsListedInHelpWithTheLoopbackNote() {
        let help = PulseCommand.helpMessage()
        for variable in [
            "PULSE_REMOTE_WRITE_URL", "PULSE_REMOTE_WRITE_BEARER_TOKEN_FILE", "PULSE_REMOTE_WRITE_BEARER_TOKEN", "PULSE_REMOTE_WRITE_USERNAME",
            "PULSE_REMOTE_WRITE_PASSWORD_FILE", "PULSE_REMOTE_WRITE_CA_FILE", "PULSE_REMOTE_WRITE_INSECURE_SKIP_VERIFY", "PULSE_REMOTE_WRITE_LABELS",
            "PULSE_INSTANCE_NAME", "PULSE_REMOTE_WRITE_QUEUE_MAX_BYTES", "PULSE_REMOTE_WRITE_BATCH_SAMPLES",
        ] {
            #expect(help.contains(variable), "pulse --help does not mention \(variable)")
        }
        #expect(help.contains("loopback"))
    }

    @Test(.timeLimit(.minutes(5)))
    func theBearerTokenReachesTheReceiverButNeverTheLogsDiagnosticsOrMetrics() async throws {
        let token = "rw-bearer-9c1f4e7a2b"
        let logs = NginxProxyAuthTests.LogLines()
        try await RemoteWriteFailureTests.Receiver.with(script: "remote-write-fixture.py", arguments: []) { receiver in
            try await TestServer.live(
                configure: {
                    var settings = RemoteWriteSettings(url: receiver.info.url, instanceName: "a")
                    settings.authorization = .bearer(token: token)
                    $0.remoteWrite = settings
                }, logHandler: logs
            ) { server, client in
                let sampler = server.metricsSampler()
                try await receiver.command("status 503")
                await sampler.sample(at: server.time.now())
                let writer = try #require(server.dependencies.remoteWrite)
                await writer.drain()
                try await receiver.command("status 400")
                server.time.advance(by: 2)
                await writer.drain()
                let last = try await RemoteWriteFailureTests.lastRequest(receiver)
                #expect((last["headers"] as? [String: String])?["authorization"] == "Bearer \(token)")
                let diagnostics = try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: TestServer.adminToken])
                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.apiToken: TestServer.adminToken])
                let remoteWrite = try diagnostics.jsonObject()["remoteWrite"] as? [String: Any]
                #expect(remoteWrite?["authentication"] as? String == "bearer")
                #expect(remoteWrite?["url"] as? String == receiver.info.url)
                for text in [diagnostics.text, metrics.text] { #expect(!text.contains(token)) }
            }
        }
        let lines = logs.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("remote write: sending failed") }, "the failure is logged")
        #expect(lines.contains { $0.contains("remote write: the receiver refused a batch") })
        #expect(!lines.contains { $0.contains(token) }, "the bearer token is never logged")
    }
}
