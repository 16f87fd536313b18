import CurlHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import HistoryQuery
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The history engine's settings, the query text it is sent, the credentials it is sent, and the
/// fallback on every kind of failure, against a fixture engine (Fixtures/tools/query-range-fixture.py).
@Suite("History engine: settings, query text, credentials, failures")
struct HistoryQuerySettingsTests {
    struct FixtureInfo: Decodable {
        let url: String
        let ca: String?
    }
    typealias QueryRangeFixture = Peer<FixtureInfo>

    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]
    static let history = "/api/metrics-store/history?resourceType=host&resourceId=h1&metric=cpu&range=1h"

    func resolve(_ arguments: [String], _ environment: [String: String]) throws -> ServerConfiguration {
        try ServerOptions.parse(arguments).resolve(environment: environment)
    }

    /// A file in `folder` holding `text`, mode 0600 unless `mode` says otherwise.
    static func secretFile(_ text: String, in folder: URL, mode: Int = 0o600) throws -> String {
        let file = folder.appendingPathComponent(UUID().uuidString)
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    @Test func theEngineIsConfiguredByVariablesOrFlagsAndLocalIsTheDefault() throws {
        let local = try resolve([], [:])
        #expect(local.historyEngine == nil && !local.instanceName.isEmpty)
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = try Self.secretFile("engine-token-1\n", in: folder)
        let fromVariables = try resolve(
            [],
            [
                "PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://10.0.0.9:8428/", "PULSE_INSTANCE_NAME": "pulse-eu",
                "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE": tokenFile, "PULSE_HISTORY_QUERY_TIMEOUT": "1500ms",
                "PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY": "true",
            ])
        let engine = try #require(fromVariables.historyEngine)
        #expect(engine.url == "http://10.0.0.9:8428/" && engine.instanceName == "pulse-eu" && fromVariables.instanceName == "pulse-eu")
        #expect(engine.authorization == .bearer(token: "engine-token-1") && engine.timeout == .milliseconds(1500) && engine.tls.insecure)
        #expect(!"\(engine)".contains("engine-token-1") && !"\(engine.authorization)".contains("engine-token-1"))
        #expect(QueryRangeClient(settings: engine).endpoint == "http://10.0.0.9:8428/api/v1/query_range")

        let passwordFile = try Self.secretFile("pa55", in: folder)
        let fromFlags = try resolve(
            [
                "--history-source", "prometheus", "--history-query-url", "https://vm.example:8427", "--history-query-username", "reader",
                "--history-query-password-file", passwordFile, "--instance-name", "flagged",
            ], ["PULSE_HISTORY_SOURCE": "local", "PULSE_INSTANCE_NAME": "ignored"])
        #expect(fromFlags.historyEngine?.authorization == .basic(username: "reader", password: "pa55"))
        #expect(fromFlags.historyEngine?.instanceName == "flagged" && fromFlags.historyEngine?.timeout == .seconds(5))
        let fromEnvironmentToken = try resolve(
            [], ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm:8428", "PULSE_HISTORY_QUERY_BEARER_TOKEN": "t0k"])
        #expect(fromEnvironmentToken.historyEngine?.authorization == .bearer(token: "t0k"))
    }

    @Test(arguments: [
        (["PULSE_HISTORY_SOURCE": "influx"], "PULSE_HISTORY_SOURCE"),
        (["PULSE_HISTORY_SOURCE": "prometheus"], "PULSE_HISTORY_QUERY_URL"),
        (["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "vm:8428"], "PULSE_HISTORY_QUERY_URL"),
        (["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "ftp://vm:8428"], "PULSE_HISTORY_QUERY_URL"),
        (["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://u:secret@vm:8428"], "PULSE_HISTORY_QUERY_URL"),
        (["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm:8428/?x=1"], "PULSE_HISTORY_QUERY_URL"),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_TIMEOUT": "soon"],
            "PULSE_HISTORY_QUERY_TIMEOUT"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_TIMEOUT": "0s"],
            "PULSE_HISTORY_QUERY_TIMEOUT"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY": "maybe"],
            "PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_USERNAME": "u"],
            "PULSE_HISTORY_QUERY_PASSWORD_FILE"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_PASSWORD_FILE": "/nonexistent/pw"],
            "PULSE_HISTORY_QUERY_PASSWORD_FILE"
        ),
        (
            [
                "PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm",
                "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE": "/nonexistent/t",
            ],
            "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_CA_FILE": "/nonexistent/ca.pem"],
            "PULSE_HISTORY_QUERY_CA_FILE"
        ),
        (
            ["PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_BEARER_TOKEN": "line\r\nX-Evil: 1"],
            "PULSE_HISTORY_QUERY_BEARER_TOKEN"
        ),
    ])
    func badEngineSettingsAreRefusedNamingTheSetting(environment: [String: String], named: String) {
        do {
            _ = try resolve([], environment)
            Issue.record("accepted \(environment)")
        } catch {
            #expect("\(error)".contains(named), "error '\(error)' should name \(named)")
            #expect(!"\(error)".contains("secret"), "the error shows a credential: \(error)")
        }
    }

    /// Refused as remote write's are (`EngineEndpoint`): a file others may read holds no secret.
    @Test func secretFilesOthersMayReadAreRefused() throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let open = try Self.secretFile("token", in: folder, mode: 0o644)
        for variable in ["PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE", "PULSE_HISTORY_QUERY_PASSWORD_FILE"] {
            #expect {
                try resolve(
                    [],
                    [
                        "PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", variable: open,
                        "PULSE_HISTORY_QUERY_USERNAME": variable.hasSuffix("PASSWORD_FILE") ? "u" : nil,
                    ].compactMapValues { $0 })
            } throws: { "\($0)".contains(variable) && "\($0)".contains("0600") }
        }
    }

    @Test func bearerAndBasicTogetherAreRefused() throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: (any Error).self) {
            try resolve(
                [],
                [
                    "PULSE_HISTORY_SOURCE": "prometheus", "PULSE_HISTORY_QUERY_URL": "http://vm", "PULSE_HISTORY_QUERY_BEARER_TOKEN": "t",
                    "PULSE_HISTORY_QUERY_USERNAME": "u", "PULSE_HISTORY_QUERY_PASSWORD_FILE": try Self.secretFile("p", in: folder),
                ])
        }
    }

    @Test func helpListsTheEngineSettings() {
        let help = PulseCommand.helpMessage()
        for name in [
            "PULSE_HISTORY_SOURCE", "PULSE_HISTORY_QUERY_URL", "PULSE_HISTORY_QUERY_BEARER_TOKEN_FILE", "PULSE_HISTORY_QUERY_BEARER_TOKEN",
            "PULSE_HISTORY_QUERY_USERNAME", "PULSE_HISTORY_QUERY_PASSWORD_FILE", "PULSE_HISTORY_QUERY_CA_FILE",
            "PULSE_HISTORY_QUERY_INSECURE_SKIP_VERIFY", "PULSE_HISTORY_QUERY_TIMEOUT", "PULSE_INSTANCE_NAME", "--history-source",
            "--history-query-url", "--instance-name",
        ] {
            #expect(help.contains(name), "pulse --help does not mention \(name)")
        }
    }

    @Test func labelValuesAreEscapedSoNoIDCanEndItsString() {
        #expect(PromQL.quoted("plain") == #""plain""#)
        #expect(PromQL.quoted(#""}or vector(1)"#) == #""\"}or vector(1)""#)
        #expect(PromQL.quoted(#"a\"b"#) == #""a\\\"b""#)
        #expect(PromQL.quoted(#"ends\"#) == #""ends\\""#)
        #expect(PromQL.quoted("two\nlines") == #""two\nlines""#)
        let expression = try! #require(HistoryMapping.expression(resourceType: "host", metric: "cpu"))
        let matchers =
            [PromQL.Matcher("pulse_instance", #"x"}"#)] + HistoryMapping.resourceMatchers(resourceType: "host", resourceId: #""}or vector(1)"#)!
        #expect(
            expression.expression(matching: matchers)
                == #"100 * max by (id) (pulse_host_cpu_usage_ratio{pulse_instance="x\"}",id="\"}or vector(1)"})"#)
        // Every quoted value reads back as itself: unescaping gives the original.
        let hostile = HostileInputCorpus(canary: "/tmp/never").values() + [#"\"#, #"\\""#, "\u{0}\"", #"a\nb"#, "}"]
        for value in hostile {
            #expect(Self.unquoted(PromQL.quoted(value)) == value, "\(value.debugDescription)")
        }
    }

    /// A PromQL double-quoted string's value, as an engine's lexer reads it; nil when the
    /// string ends early (an unescaped quote) or not at all.
    static func unquoted(_ text: String) -> String? {
        var scalars = Array(text.unicodeScalars)
        guard scalars.first == "\"", scalars.count >= 2 else { return nil }
        scalars.removeFirst()
        var value = ""
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" { return index == scalars.count - 1 ? value : nil }
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { return nil }
                switch scalars[index] {
                case "n": value += "\n"
                case "r": value += "\r"
                case "t": value += "\t"
                default: value.unicodeScalars.append(scalars[index])
                }
            } else if scalar == "\n" {
                return nil
            } else {
                value.unicodeScalars.append(scalar)
            }
            index += 1
        }
        return nil
    }

    @Test func everyLocalMetricWithAFamilyIsMappedAndTheRestStayLocal() {
        let mapped: [String: Set<String>] = [
            "node": ["cpu", "memory", "disk", "temperature"],
            "vm": ["cpu", "memory", "disk", "diskread", "diskwrite", "netin", "netout"],
            "container": ["cpu", "memory", "disk", "diskread", "diskwrite", "netin", "netout"],
            "host": ["cpu", "memory", "disk", "temperature"], "dockerHost": ["cpu", "memory"], "dockerContainer": ["cpu", "memory"],
            "storage": ["usage"], "disk": ["temperature"],
        ]
        #expect(HistoryMapping.expressions.mapValues { Set($0.keys) } == mapped)
        // Disks have no charts.
        #expect(HistoryMapping.chartFamilies.count == 20)
        #expect(!HistoryMapping.chartFamilies.contains { $0.resourceTypes.contains("disk") })
        #expect(
            HistoryMapping.resourceMatchers(resourceType: "dockerContainer", resourceId: "d/1/abc")
                == [PromQL.Matcher("host_id", "d/1"), PromQL.Matcher("id", "abc")])
        #expect(EngineHistory.window(from: 1_000, to: 4_600, limit: 500) == (1_005, 15))
        let week = EngineHistory.window(from: 0, to: 604_800, limit: 500)
        #expect((604_800 - week.start) / week.step + 1 <= 500)
    }

    /// The query goes as a POST form (nothing in the URL), selects this instance, and carries
    /// the configured credentials; wrong ones get the local store, and no credential is logged.
    @Test(.timeLimit(.minutes(5)), arguments: ["bearer", "basic"])
    func credentialsAreSentInTheHeaderAndNeverLogged(scheme: String) async throws {
        let secret = scheme == "bearer" ? "engine-bearer-7f3a9c2e41" : "engine-password-5b8d1e"
        let argument = scheme == "bearer" ? ["--bearer", secret] : ["--basic", "reader:\(secret)"]
        try await QueryRangeFixture.with(script: "query-range-fixture.py", arguments: argument) { fixture in
            for credentials: RequestAuthorization in scheme == "bearer"
                ? [.bearer(token: secret), .bearer(token: "wrong")]
                : [.basic(username: "reader", password: secret), .basic(username: "reader", password: "wrong")]
            {
                let logs = NginxProxyAuthTests.LogLines()
                try await TestServer.live(
                    configure: { configuration in
                        var settings = HistoryEngineSettings(url: fixture.info.url, instanceName: #"eu"1"#)
                        settings.authorization = credentials
                        configuration.historyEngine = settings
                    }, logHandler: logs
                ) { _, client in
                    let reply = try await client.execute(uri: Self.history, method: .get, headers: Self.admin) { try $0.jsonObject() }
                    let right = credentials == .bearer(token: secret) || credentials == .basic(username: "reader", password: secret)
                    #expect(reply["source"] as? String == (right ? "prometheus" : "local"))
                    if right { #expect((reply["points"] as? [[String: Any]])?.first?["value"] as? Double == 42) }
                    let answer = try await fixture.command("requests")
                    let requests = try JSONSerialization.jsonObject(with: Data(answer.dropFirst(3).utf8)) as? [[String: Any]] ?? []
                    let request = try #require(requests.first)
                    #expect(requests.count == 1)
                    #expect(request["authorized"] as? Bool == right)
                    #expect(request["method"] as? String == "POST" && request["query"] as? String == "")
                    #expect((request["contentType"] as? String)?.hasPrefix("application/x-www-form-urlencoded") == true)
                    let form = request["form"] as? [String: String] ?? [:]
                    #expect(form["query"] == #"100 * max by (id) (pulse_host_cpu_usage_ratio{pulse_instance="eu\"1",id="h1"})"#)
                    #expect(form["step"] == "15s" && form["start"] != nil && form["end"] != nil)
                }
                let lines = logs.lines.withLock { $0 }
                #expect(!lines.contains { $0.contains(secret) }, "a log line holds the credential")
                if credentials == .bearer(token: "wrong") || credentials == .basic(username: "reader", password: "wrong") {
                    #expect(lines.contains { $0.contains("history engine unavailable") && $0.contains("401") })
                }
            }
        }
    }

    /// 5xx, garbage and an answer slower than the timeout all get the local store, each counted;
    /// the log says so once a minute, not once a request.
    @Test(.timeLimit(.minutes(5)))
    func errorsGarbageAndSlowAnswersFallBackCountedAndLoggedOnceAMinute() async throws {
        try await QueryRangeFixture.with(script: "query-range-fixture.py", arguments: []) { fixture in
            let logs = NginxProxyAuthTests.LogLines()
            try await TestServer.live(
                configure: { configuration in
                    var settings = HistoryEngineSettings(url: fixture.info.url, instanceName: "a")
                    settings.timeout = .milliseconds(500)
                    configuration.historyEngine = settings
                }, logHandler: logs
            ) { server, client in
                var expected = 0
                for mode in ["error", "garbage", "slow", "error"] {
                    try await fixture.command("mode \(mode)")
                    let response = try await client.execute(uri: Self.history, method: .get, headers: Self.admin)
                    #expect(response.status == .ok, "\(mode)")
                    #expect(try response.jsonObject()["source"] as? String == "local", "\(mode)")
                    expected += 1
                    #expect(server.dependencies.history.fallbacks.total == UInt64(expected))
                }
                try await fixture.command("mode ok")
                #expect(
                    try await client.execute(uri: Self.history, method: .get, headers: Self.admin).jsonObject()["source"] as? String == "prometheus")
                #expect(server.dependencies.history.fallbacks.total == 4)
                #expect(logs.lines.withLock { $0.filter { $0.contains("history engine unavailable") }.count } == 1)
                server.time.advance(by: 61)
                try await fixture.command("mode error")
                _ = try await client.execute(uri: Self.history, method: .get, headers: Self.admin)
                let messages = logs.lines.withLock { $0.filter { $0.contains("history engine unavailable") } }
                #expect(messages.count == 2 && messages.last?.contains(#""fallbacksSinceLastMessage": 3"#) == true, "\(messages)")
            }
        }
    }

    /// An HTTPS engine is verified: with its certificate as the CA it answers, without it (or
    /// with another CA) the local store does; skipping verification is the operator's choice.
    @Test(.timeLimit(.minutes(5)))
    func theEnginesCertificateIsVerifiedAgainstTheConfiguredCA() async throws {
        try await QueryRangeFixture.with(script: "query-range-fixture.py", arguments: ["--tls"]) { fixture in
            let ca = try #require(fixture.info.ca)
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let otherCA = try await TestCertificate.make(in: folder).certificate
            let cases: [(caFile: String?, insecure: Bool, source: String)] = [
                (nil, false, "local"), (otherCA, false, "local"), (ca, false, "prometheus"), (nil, true, "prometheus"),
            ]
            for (caFile, insecure, source) in cases {
                try await TestServer.with(configure: { configuration in
                    var settings = HistoryEngineSettings(url: fixture.info.url, instanceName: "a")
                    settings.tls.caCertificateFile = caFile
                    settings.tls.insecure = insecure
                    configuration.historyEngine = settings
                }) { _, client in
                    let reply = try await client.execute(uri: Self.history, method: .get, headers: Self.admin) { try $0.jsonObject() }
                    #expect(reply["source"] as? String == source, "CA \(caFile ?? "system"), insecure \(insecure)")
                }
            }
        }
    }
}
