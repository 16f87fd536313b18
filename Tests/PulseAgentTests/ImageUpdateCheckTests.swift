import AgentProtocol
import Foundation
import Synchronization
import Testing

@testable import PulseAgent

/// The parts of the image update check that need no registry: names as Docker resolves them,
/// registries' Bearer challenges, and the 6-hour cache on an injected clock.
@Suite struct ImageUpdateCheckTests {
    @Test func shortNamesResolveToDockerHubsLibraryAndItsAPIHost() throws {
        let nginx = try #require(ImageReference("nginx"))
        #expect(nginx.registry == "docker.io" && nginx.repository == "library/nginx" && nginx.tag == "latest")
        #expect(nginx.apiHost == "registry-1.docker.io")
        let user = try #require(ImageReference("grafana/grafana:10.2.0"))
        #expect(user.registry == "docker.io" && user.repository == "grafana/grafana" && user.tag == "10.2.0")
        #expect(ImageReference("docker.io/library/nginx:latest") == nginx)
        #expect(ImageReference("index.docker.io/library/nginx") == nginx)
    }

    @Test func aRegistryIsNamedByADotAColonOrLocalhostAndKeepsItsPort() throws {
        let local = try #require(ImageReference("127.0.0.1:5000/test/app:1"))
        #expect(local.registry == "127.0.0.1:5000" && local.repository == "test/app" && local.tag == "1")
        #expect(local.hostName == "127.0.0.1" && local.apiHost == "127.0.0.1:5000")
        let untagged = try #require(ImageReference("localhost:5000/app"))
        #expect(untagged.registry == "localhost:5000" && untagged.repository == "app" && untagged.tag == "latest")
        let ghcr = try #require(ImageReference("ghcr.io/owner/tool:v1"))
        #expect(ghcr.registry == "ghcr.io" && ghcr.repository == "owner/tool")
        #expect(ImageReference("localhost/busybox")?.registry == "localhost")
        #expect(ImageReference("localhost/busybox")?.isCheckable == false, "Podman's name for a local-only image")
        #expect(ImageReference("localhost:5000/busybox")?.isCheckable == true)
    }

    @Test func digestPinnedNamesAndImageIDsAreNeverChecked() async throws {
        let pinned = try #require(ImageReference("nginx@sha256:" + String(repeating: "a", count: 64)))
        #expect(pinned.digest == "sha256:" + String(repeating: "a", count: 64))
        #expect(ImageReference("sha256:" + String(repeating: "b", count: 64)) == nil)
        #expect(ImageReference("") == nil)
        #expect(ImageReference("bad name") == nil)
        #expect(ImageReference("evil\r\nX: y") == nil)

        let registry = CountingRegistry(digest: "sha256:" + String(repeating: "c", count: 64))
        let checker = ImageUpdateChecker(registry: registry, repoDigests: { _ in ["nginx@sha256:" + String(repeating: "a", count: 64)] })
        let statuses = await checker.statuses(for: [.init(name: pinned.description + "@" + pinned.digest!, imageID: "sha256:1")])
        await checker.checkDue()
        #expect(statuses == [nil])
        #expect(registry.calls == 0)
    }

    @Test func bearerChallengesAreParsedWithQuotedCommas() throws {
        let hub = try #require(
            BearerChallenge(
                header: #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push""#))
        #expect(hub.realm == "https://auth.docker.io/token" && hub.service == "registry.docker.io")
        #expect(hub.scope == "repository:library/nginx:pull,push")
        #expect(
            hub.tokenURL(repository: "library/nginx", allowPlainHTTP: false)
                == "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull%2Cpush")
        let bare = try #require(BearerChallenge(header: "bearer realm=https://ghcr.io/token"))
        #expect(bare.tokenURL(repository: "o/t", allowPlainHTTP: false) == "https://ghcr.io/token?scope=repository%3Ao%2Ft%3Apull")
        #expect(BearerChallenge(header: #"Basic realm="Registry""#) == nil)
        #expect(BearerChallenge(header: #"Bearer service="x""#) == nil, "no realm")
        #expect(BearerChallenge(header: "Bearer realm=\"https://a/\r\nX: y\"") == nil)
    }

    @Test func aTokenRealmMustBeAWebAddressAndNeverDowngradesTLS() throws {
        func url(_ realm: String, plain: Bool = false) -> String? {
            BearerChallenge(realm: realm).tokenURL(repository: "r", allowPlainHTTP: plain)
        }
        #expect(url("file:///etc/passwd") == nil)
        #expect(url("gopher://x/") == nil)
        #expect(url("http://auth.example/token") == nil, "plain HTTP only for an insecure (loopback) registry")
        #expect(url("http://127.0.0.1:9/token", plain: true) == "http://127.0.0.1:9/token?scope=repository%3Ar%3Apull")
        #expect(url("https://user@evil/token") == nil)
        #expect(url("https:///token") == nil)
        #expect(url("https://a/b c") == nil)
    }

    @Test func onlyLoopbackRegistriesMayBePlainHTTP() throws {
        #expect(RegistryClient.isLoopback(try #require(ImageReference("127.0.0.1:5000/a"))))
        #expect(RegistryClient.isLoopback(try #require(ImageReference("127.1.2.3:5000/a"))))
        #expect(RegistryClient.isLoopback(try #require(ImageReference("localhost:5000/a"))))
        #expect(!RegistryClient.isLoopback(try #require(ImageReference("10.0.0.1:5000/a"))))
        #expect(!RegistryClient.isLoopback(try #require(ImageReference("127.example.com/a"))))
        #expect(!RegistryClient.isLoopback(try #require(ImageReference("nginx"))))
    }

    @Test func eachImageIsAskedAtMostOncePerSixHoursUnlessACheckIsForced() async throws {
        let old = "sha256:" + String(repeating: "1", count: 64)
        let new = "sha256:" + String(repeating: "2", count: 64)
        let registry = CountingRegistry(digest: old)
        let clock = TestClock()
        let checker = ImageUpdateChecker(
            registry: registry, repoDigests: { _ in ["127.0.0.1:5000/test/app@" + old] }, now: { clock.now })
        // Two containers of one image: one registry question.
        let images: [ImageUpdateChecker.ContainerImage] = [
            .init(name: "127.0.0.1:5000/test/app:1", imageID: "sha256:a"), .init(name: "127.0.0.1:5000/test/app:1", imageID: "sha256:a"),
        ]
        #expect(await checker.statuses(for: images) == [nil, nil], "nothing is known before the first check")
        await checker.checkDue()
        #expect(registry.calls == 1)
        let first = await checker.statuses(for: images)
        #expect(first.allSatisfy { $0?.updateAvailable == false && $0?.currentDigest == old && $0?.latestDigest == old })

        registry.digest = new
        clock.advance(5 * 3600)
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        #expect(registry.calls == 1, "within 6 hours the answer is reused")
        #expect(await checker.statuses(for: images)[0]?.updateAvailable == false)

        clock.advance(3600)
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        #expect(registry.calls == 2, "after 6 hours the registry is asked again")
        let moved = try #require(await checker.statuses(for: images)[0])
        #expect(moved.updateAvailable && moved.currentDigest == old && moved.latestDigest == new)
        #expect(moved.lastChecked == clock.now)

        clock.advance(60)
        await checker.checkNow()
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        #expect(registry.calls == 3, "a forced check bypasses the cache")
    }

    @Test func aFailingRegistryIsThatImagesErrorAndIsAskedAgainOnlyWhenDue() async throws {
        let registry = CountingRegistry(digest: nil)
        let clock = TestClock()
        let checker = ImageUpdateChecker(
            registry: registry, repoDigests: { _ in ["docker.io/library/nginx@sha256:" + String(repeating: "d", count: 64)] }, now: { clock.now })
        let images: [ImageUpdateChecker.ContainerImage] = [
            .init(name: "nginx:latest", imageID: "sha256:n"), .init(name: "localhost/built", imageID: "sha256:b"),
        ]
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        let statuses = await checker.statuses(for: images)
        #expect(statuses[0]?.error == "rate limited (429)" && statuses[0]?.updateAvailable == false)
        #expect(statuses[1] == nil, "an image with no digest from that repository has nothing to compare")
        #expect(registry.calls == 1)
        clock.advance(600)
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        #expect(registry.calls == 1, "a failure is cached like an answer")
    }
    @Test func anImagesDigestIsRememberedWhenItsTagMovesToAnotherImage() async throws {
        let old = "sha256:" + String(repeating: "1", count: 64)
        let new = "sha256:" + String(repeating: "2", count: 64)
        let registry = CountingRegistry(digest: old)
        // Podman lists a digest only while the image holds the tag: after the new image is pulled or built, none.
        let listed = Mutex(["127.0.0.1:5000/test/app@" + old])
        let checker = ImageUpdateChecker(registry: registry, repoDigests: { _ in listed.withLock { $0 } })
        let images: [ImageUpdateChecker.ContainerImage] = [.init(name: "127.0.0.1:5000/test/app:1", imageID: "sha256:a")]
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        listed.withLock { $0 = [] }
        registry.digest = new
        await checker.checkNow()
        _ = await checker.statuses(for: images)
        await checker.checkDue()
        let status = try #require(await checker.statuses(for: images)[0])
        #expect(status.updateAvailable && status.currentDigest == old && status.latestDigest == new)
    }
}

/// A registry that answers `digest`, or 429 when it is nil, and counts the questions.
final class CountingRegistry: RegistryLookup, Sendable {
    private let state: Mutex<(digest: String?, calls: Int)>
    init(digest: String?) { state = Mutex((digest, 0)) }
    var calls: Int { state.withLock { $0.calls } }
    var digest: String? {
        get { state.withLock { $0.digest } }
        set { state.withLock { $0.digest = newValue } }
    }
    func latestDigest(of reference: ImageReference) async throws -> String {
        let digest = state.withLock { state in
            state.calls += 1
            return state.digest
        }
        guard let digest else { throw RegistryCheckError.rateLimited }
        return digest
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
