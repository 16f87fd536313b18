import CurlHTTP
import Foundation
import TestSupport
import Testing

/// The OpenID Connect provider of the single sign-on tests: oidc-provider-mock (PyPI), on a free
/// loopback port for the length of one test. Any client ID and secret are accepted; the test
/// chooses each user's claims (`setUser`) and "logs in" by posting the subject to the
/// authorization form, as a browser would.
final class OIDCPeer: Sendable {
    let issuer: String
    private let pid: Int32
    private let curl = CurlClient(timeout: .seconds(10))

    /// `tokenLifetime`: seconds the provider's ID tokens are valid (its default is an hour).
    static func with<T>(tokenLifetime: Int? = nil, _ body: (OIDCPeer) async throws -> T) async throws -> T {
        let peer = try await OIDCPeer(tokenLifetime: tokenLifetime)
        return try await ChildProcess.running({ try await body(peer) }, thenAlways: { await peer.stop() })
    }

    private init(tokenLifetime: Int?) async throws {
        let script = try await ChildProcess.run("/bin/bash", [PeerProcess.repository.appendingPathComponent("scripts/oidc-provider-venv.sh").path])
        let python = script.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard script.status == 0, !python.isEmpty else {
            throw PeerProcess.PeerError(description: "scripts/oidc-provider-venv.sh failed (\(script.status)): oidc-provider-mock not installed")
        }
        let port = try PrometheusTests.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("oidc-provider-mock")
        process.arguments = ["--host", "127.0.0.1", "--port", String(port)] + (tokenLifetime.map { ["--token-max-age", String($0)] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        issuer = "http://127.0.0.1:\(port)"
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? await curl.get(issuer + "/.well-known/openid-configuration", headers: []))?.status != 200 {
            guard ContinuousClock.now < deadline else {
                await stop()
                throw PeerProcess.PeerError(description: "oidc-provider-mock did not answer on \(issuer) within 30 s")
            }
            try await Task.sleep(for: .milliseconds(200))  // waiting on an external process
        }
    }

    /// Kills the provider and waits for it off Swift concurrency's threads.
    func stop() async {
        kill(pid, SIGKILL)
        let pid = pid
        _ = try? await BlockingThread.run {
            var status: Int32 = 0
            return waitpid(pid, &status, 0)
        }
    }

    /// Gives subject `sub` these claims in its next ID tokens.
    func setUser(_ sub: String, _ claims: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: claims)
        let reply = try await curl.send("PUT", issuer + "/users/\(sub)", headers: ["Content-Type: application/json"], body: Array(body))
        #expect(reply.status == 204)
    }

    /// Submits the authorization form at `authorizationURL` as `sub`; returns the provider's
    /// redirect back (the callback URL with `code` and `state`).
    func authorize(_ authorizationURL: String, as sub: String) async throws -> URLComponents {
        let reply = try await curl.post(
            authorizationURL, headers: ["Content-Type: application/x-www-form-urlencoded"], body: Array("sub=\(sub)".utf8))
        #expect(reply.status == 302, "the provider refused the authorization: \(String(decoding: reply.body.prefix(300), as: UTF8.self))")
        return try #require(URLComponents(string: reply.headers["location"] ?? ""))
    }

    /// An ID token for `clientID` straight from the provider (a client of its own, not Pulse).
    func idToken(for clientID: String, as sub: String, nonce: String) async throws -> String {
        var url = URLComponents(string: issuer + "/oauth2/authorize")!
        url.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: "http://127.0.0.1:1/cb"), .init(name: "scope", value: "openid profile email"),
            .init(name: "state", value: "s"), .init(name: "nonce", value: nonce),
        ]
        let back = try await authorize(url.string!, as: sub)
        let code = try #require(back.queryItems?.first { $0.name == "code" }?.value)
        let form = "grant_type=authorization_code&code=\(code)&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb&client_id=\(clientID)&client_secret=x"
        let reply = try await curl.post(
            issuer + "/oauth2/token", headers: ["Content-Type: application/x-www-form-urlencoded"], body: Array(form.utf8))
        let object = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        return try #require(object?["id_token"] as? String)
    }
}
