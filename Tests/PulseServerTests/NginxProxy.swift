import CurlHTTP
import Foundation
import TestSupport
import Testing

/// Debian's nginx (`nginx-light`) as a reverse proxy in front of a live test server, for the
/// length of one test: a generated configuration in a temporary folder (error log and pid
/// there too), one process in the foreground, listening on a unix socket in that folder (so no port is guessed),
/// connecting upstream from 127.0.0.2 (`proxy_bind`), so the server can tell it from a client
/// on 127.0.0.1.
final class NginxProxy: @unchecked Sendable {
    static let executable = "/usr/sbin/nginx"
    /// The address nginx connects to the server from.
    static let address = "127.0.0.2"

    /// One `location` prefix and the headers nginx sets on what it forwards from there.
    struct Route {
        let prefix: String
        let headers: [String: String]
    }

    let folder: URL
    let socket: String
    private let process: Process

    /// Starts nginx for `routes` to the server at 127.0.0.1:`upstreamPort`, runs `body`, stops it.
    static func with<T>(upstreamPort: Int, routes: [Route], _ body: (NginxProxy) async throws -> T) async throws -> T {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "Debian's nginx-light is missing (make test installs it)")
        let proxy = try await NginxProxy(upstreamPort: upstreamPort, routes: routes)
        return try await ChildProcess.running({ try await body(proxy) }, thenAlways: { await proxy.stop() })
    }

    private init(upstreamPort: Int, routes: [Route]) async throws {
        folder = TestServer.temporaryFolder()
        socket = folder.appendingPathComponent("nginx.sock").path
        let configuration = folder.appendingPathComponent("nginx.conf")
        try Self.configuration(folder: folder.path, socket: socket, upstreamPort: upstreamPort, routes: routes)
            .write(to: configuration, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        // -e: the error log before the configuration is read, which would otherwise be /var/log/nginx.
        process.arguments = ["-c", configuration.path, "-p", folder.path, "-e", folder.appendingPathComponent("error.log").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await waitUntilServing()
    }

    /// A client that talks to nginx over its socket; URLs are `http://nginx/<prefix>/…`.
    var client: CurlClient { CurlClient(timeout: .seconds(10), unixSocketPath: socket) }

    /// What nginx wrote to its error log (for failure messages).
    var errorLog: String { (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? "" }

    func stop() async {
        // One process (`master_process off`), so killing it leaves no workers behind.
        _ = try? await ChildProcess.stop(process, signal: SIGKILL)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Polls nginx's own status location until it answers (nginx starts in well under a second).
    private func waitUntilServing() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw NginxFailed(description: "nginx exited (\(process.terminationStatus)): \(errorLog)") }
            if let reply = try? await client.get("http://nginx/nginx-ready", headers: []), reply.status == 204 { return }
            // Waiting on an external process, not standing in for a clock.
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NginxFailed(description: "nginx did not answer within 20 s: \(errorLog)")
    }

    struct NginxFailed: Error, CustomStringConvertible { let description: String }

    static func configuration(folder: String, socket: String, upstreamPort: Int, routes: [Route]) -> String {
        let locations = routes.map { route in
            let headers = route.headers.sorted { $0.key < $1.key }.map { "            proxy_set_header \($0.key) \"\($0.value)\";" }
            return """
                        location \(route.prefix)/ {
                            proxy_pass http://127.0.0.1:\(upstreamPort)/;
                            proxy_bind \(address);
                \(headers.joined(separator: "\n"))
                        }
                """
        }
        return """
            daemon off;
            master_process off;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log info;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(folder)/client_body;
                proxy_temp_path \(folder)/proxy;
                server {
                    listen unix:\(socket);
                    location = /nginx-ready { return 204; }
            \(locations.joined(separator: "\n"))
                }
            }

            """
    }
}
