import CurlHTTP
import Foundation
import Glibc
import TestSupport
import Testing

@testable import PulseAgent

/// Image update checks end to end against real peers: Debian's `docker-registry` (distribution
/// 2.8) on loopback, podman (`../shared/peers/podman-peer.sh`) pushing to it and running the
/// container, a live server and the agent binary. Part of `DockerPeerTests`, whose tests run one
/// at a time: they share podman's storage, and each takes the peer up and down.
extension DockerPeerTests {
    /// `docker-registry serve` with its storage in `folder`, on a free loopback port.
    final class Registry {
        let processes = EndToEndTests.Processes()
        let folder: String
        let port = EndToEndTests.freePort()
        var host: String { "127.0.0.1:\(port)" }

        init(folder: String) async throws {
            self.folder = folder + "/registry"
            try FileManager.default.createDirectory(atPath: self.folder + "/data", withIntermediateDirectories: true)
            let config = """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: \(self.folder)/data
                http:
                  addr: \(host)
                """
            try config.write(toFile: self.folder + "/config.yml", atomically: true, encoding: .utf8)
            try await start()
        }

        func start() async throws {
            _ = try processes.start(
                "/usr/bin/docker-registry", ["serve", folder + "/config.yml"], log: URL(fileURLWithPath: folder + "/registry.log"))
            let client = CurlClient(timeout: .seconds(2))
            let url = "http://\(host)/v2/"
            #expect(try await EndToEndTests.eventually(15) { (try? await client.get(url, headers: []))?.status == 200 })
        }

        func stop() async throws {
            for process in processes.running { try await ChildProcess.stop(process, signal: SIGKILL) }
        }

        /// The digest the registry serves for `repository:tag` now.
        func digest(_ repository: String, _ tag: String) async throws -> String? {
            let reply = try await CurlClient(timeout: .seconds(5)).head(
                "http://\(host)/v2/\(repository)/manifests/\(tag)",
                headers: ["Accept: " + RegistryClient.manifestTypes.joined(separator: ", ")])
            return reply.headers["docker-content-digest"]
        }
    }

    /// Runs podman with the peer's configuration, off the cooperative threads; fails the test
    /// when it exits non-zero.
    static func podman(_ arguments: [String], folder: String) async throws {
        let outcome = try await ChildProcess.run(
            "/usr/bin/env", ["CONTAINERS_CONF=\(folder)/containers.conf", "/usr/bin/podman"] + arguments, mergingErrors: true)
        #expect(outcome.status == 0, "podman \(arguments.joined(separator: " ")): \(outcome.text)")
    }

    /// One Docker Engine API call to the peer's socket through curl; fails the test on an error status.
    static func engine(_ arguments: [String], socket: String) async throws {
        let outcome = try await ChildProcess.run(
            "/usr/bin/curl", ["-sS", "-f", "--max-time", "60", "--unix-socket", socket] + arguments, mergingErrors: true)
        #expect(outcome.status == 0, "\(arguments): \(outcome.text)")
    }

    @Test func aTagPushedAgainIsReportedAsAnUpdateAndARegistryThatIsDownIsThatImagesError() async throws {
        // make test installs docker-registry (TEST_DEB_PACKAGES); run alone, the same script installs it here.
        try await PeerScript.install("docker-registry")
        try await DockerPeerTests.withPeer { socket, folder in
            let registry = try await Registry(folder: folder)
            let image = "\(registry.host)/test/app:1"
            // Image A: the peer's busybox, pushed, and pulled back so the local image knows its registry digest.
            try await Self.podman(["push", "-q", "--tls-verify=false", "localhost/busybox:latest", image], folder: folder)
            try await Self.podman(["pull", "-q", "--tls-verify=false", image], folder: folder)
            // Created through the service's API, not `podman run -d`: that one's conmon inherits the
            // output pipe and holds it open, so reading the command's output never ends.
            // A container of that name left by an interrupted run would take the name.
            _ = try? await ChildProcess.run(
                "/usr/bin/curl", ["-s", "--max-time", "60", "--unix-socket", socket, "-X", "DELETE", "http://d/v1.41/containers/peer-app?force=true"])
            let create = #"{"Image":"\#(image)","Cmd":["sleep","3600"],"HostConfig":{"NetworkMode":"none"}}"#
            try await Self.engine(
                ["-X", "POST", "-H", "Content-Type: application/json", "http://d/v1.41/containers/create?name=peer-app", "-d", create], socket: socket
            )
            try await Self.engine(["-X", "POST", "http://d/v1.41/containers/peer-app/start"], socket: socket)
            let digestA = try #require(try await registry.digest("test/app", "1"))

            let server = try await LiveServer(token: String(repeating: "a7", count: 32))
            let headers = ["X-API-Token: \(server.token)"]
            let agentLog = server.work.appendingPathComponent("agent.log")
            _ = try server.processes.start(
                FixtureRoot.agentBinary,
                [
                    "--url", server.url, "--token-file", server.tokenFile.path, "--interval", "1s", "--health-addr", "off",
                    "--disable-auto-update", "--no-enable-host", "--buffer-dir", server.work.appendingPathComponent("buffer").path,
                ],
                log: agentLog, environment: ["DOCKER_HOST": "unix://" + socket])
            func app() async -> [String: Any]? {
                let containers = await server.objects("dockerHosts").first?["containers"] as? [[String: Any]]
                return containers?.first { $0["name"] as? String == "peer-app" }
            }
            func status() async -> [String: Any]? { await app()?["updateStatus"] as? [String: Any] }
            func log() -> String { String(((try? String(contentsOf: agentLog, encoding: .utf8)) ?? "").suffix(2000)) }
            func listed() async throws -> [[String: Any]] {
                let reply = try await server.client.get(server.url + "/api/infra-updates", headers: headers)
                let body = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
                return body?["updates"] as? [[String: Any]] ?? []
            }

            let appeared = try await EndToEndTests.eventually(60) { await status() != nil }
            let containers = await server.objects("dockerHosts").first?["containers"] ?? "none"
            #expect(appeared, "the first check happens in the background; containers: \(containers); agent: \(log())")
            let first = try #require(await status())
            #expect(first["updateAvailable"] as? Bool == false && first["error"] == nil)
            #expect(first["currentDigest"] as? String == digestA && first["latestDigest"] as? String == digestA)
            #expect(try await listed().isEmpty, "an up-to-date container is not listed")

            // Image B under the same tag. Within 6 hours the agent would not ask again; the
            // server's check-updates command makes it.
            let build = folder + "/build-b"
            try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
            try "FROM localhost/busybox:latest\nLABEL org.example.version=2\n".write(
                toFile: build + "/Containerfile", atomically: true, encoding: .utf8)
            try await Self.podman(["build", "-q", "-t", image, build], folder: folder)
            try await Self.podman(["push", "-q", "--tls-verify=false", image], folder: folder)
            let digestB = try #require(try await registry.digest("test/app", "1"))
            #expect(digestB != digestA)
            try await Task.sleep(for: .seconds(3))  // several reports: without a forced check nothing changes
            #expect(await status()?["updateAvailable"] as? Bool == false, "the 6-hour cache holds")

            let hostID = try #require(await server.objects("dockerHosts").first?["id"] as? String)
            let queued = try await server.client.post(server.url + "/api/agents/docker/hosts/\(hostID)/check-updates", headers: headers, body: [])
            #expect(queued.status == 200)
            let updated = try await EndToEndTests.eventually(60) { await status()?["updateAvailable"] as? Bool == true }
            #expect(updated, "after the forced check the update shows; agent: \(log())")
            let moved = try #require(await status())
            #expect(moved["currentDigest"] as? String == digestA && moved["latestDigest"] as? String == digestB)
            let updates = try await listed()
            #expect(updates.count == 1)
            #expect(updates.first?["containerName"] as? String == "peer-app" && updates.first?["image"] as? String == image)
            #expect(updates.first?["latestDigest"] as? String == digestB && updates.first?["hostId"] as? String == hostID)

            // The registry goes away: that image's error, and reports go on.
            try await registry.stop()
            let again = try await server.client.post(
                server.url + "/api/infra-updates/check", headers: headers + ["Content-Type: application/json"],
                body: Array(#"{"hostId":"\#(hostID)"}"#.utf8))
            #expect(again.status == 200)
            #expect(
                try await EndToEndTests.eventually(40) { (await status()?["error"] as? String)?.hasPrefix("registry unreachable") == true },
                "a registry that is down is that image's error")
            let seen = await server.objects("dockerHosts").first?["lastSeen"] as? Int ?? 0
            #expect(try await EndToEndTests.eventually(10) { (await server.objects("dockerHosts").first?["lastSeen"] as? Int ?? 0) > seen })
            #expect(try await listed().first?["error"] as? String != nil, "the failed check is listed with its error")
            try? await Self.podman(["rm", "-f", "-t", "0", "peer-app"], folder: folder)
        }
    }
}
