import CurlHTTP
import Foundation
import Testing

@testable import PulseAgent

/// `RegistryClient` against a registry fixture (`Fixtures/tools/registry-fixture.py`) that
/// answers with a Bearer challenge, 401, 429, a redirect and a hostile token realm; the real
/// registry is in `ImageUpdatePeerTests`.
@Suite(.serialized) struct RegistryClientTests {
    final class Fixture {
        let processes = EndToEndTests.Processes()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("registry-fixture-\(UUID().uuidString).log")
        let host: String

        init() async throws {
            let port = EndToEndTests.freePort()
            host = "127.0.0.1:\(port)"
            _ = try processes.start("/usr/bin/env", ["python3", FixtureRoot.folder("tools/registry-fixture.py"), String(port)], log: log)
            let client = CurlClient(timeout: .seconds(2))
            let url = "http://\(host)/v2/"
            #expect(try await EndToEndTests.eventually(10) { (try? await client.get(url, headers: []))?.status == 200 })
        }

        func check(_ repository: String) async -> Result<String, RegistryCheckError> {
            do {
                return .success(try await RegistryClient().latestDigest(of: #require(ImageReference("\(host)/\(repository):1"))))
            } catch let error as RegistryCheckError {
                return .failure(error)
            } catch {
                return .failure(RegistryCheckError(description: "\(error)"))
            }
        }

        var requests: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        deinit { try? FileManager.default.removeItem(at: log) }
    }

    @Test func aBearerChallengeIsAnsweredWithAnAnonymousTokenAndTheHEADRepeated() async throws {
        let fixture = try await Fixture()
        #expect(await fixture.check("token/app") == .success("sha256:" + String(repeating: "7", count: 64)))
        let lines = fixture.requests.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("HEAD /v2/token/app/manifests/1 -") })
        #expect(lines.contains { $0.hasPrefix("GET /token?service=fixture&scope=repository%3Ax%3Apull") })
        #expect(lines.contains { $0 == "HEAD /v2/token/app/manifests/1 Bearer fixture-token" })
    }

    @Test func refusalsAndRateLimitsAreErrorsOfTheirOwn() async throws {
        let fixture = try await Fixture()
        #expect(await fixture.check("denied/app") == .failure(.authRequired))
        #expect(await fixture.check("limited/app") == .failure(.rateLimited))
        #expect(await fixture.check("missing/app") == .failure(RegistryCheckError(description: "tag not found (404)")))
        #expect(await fixture.check("redirect/app") == .failure(RegistryCheckError(description: "registry answered 302")))
        #expect(!fixture.requests.contains("127.0.0.2"), "a redirect is never followed")
    }

    @Test func aRealmThatIsNoWebAddressIsNeverAsked() async throws {
        let fixture = try await Fixture()
        #expect(await fixture.check("evilrealm/app") == .failure(.authRequired))
        #expect(!fixture.requests.contains("GET /token"))
    }

    @Test func aRegistryThatIsDownIsUnreachable() async throws {
        let port = EndToEndTests.freePort()
        let result: Result<String, RegistryCheckError>
        do {
            result = .success(try await RegistryClient().latestDigest(of: #require(ImageReference("127.0.0.1:\(port)/test/app:1"))))
        } catch {
            result = .failure(error as? RegistryCheckError ?? RegistryCheckError(description: "\(error)"))
        }
        guard case .failure(let error) = result else {
            Issue.record("a closed port answered")
            return
        }
        #expect(error.description.hasPrefix("registry unreachable: "))
    }
}
