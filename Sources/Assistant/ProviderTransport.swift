package import AgentProtocol
import CurlHTTP
import Foundation
import Notifications
import Synchronization

/// How Pulse reaches one provider: its base URL, the private ranges the admin allowed, the
/// request time limit and the header that carries the key. Every request goes through libcurl
/// with the webhooks' URL check (`OutboundTarget`): http or https, no credentials in the URL,
/// connected to the addresses checked (no second DNS answer), TLS verified, no redirects.
package struct ProviderTransport: Sendable {
    package var baseURL: String
    package var allowedPrivateTargets: [String]
    package var timeout: Duration
    /// Header lines carrying the credentials; never logged nor put in an error.
    package var authorization: [String]
    /// The key itself, to mask it should a provider echo it in an error.
    package var secret: String?

    package init(baseURL: String, allowedPrivateTargets: [String], timeout: Duration, authorization: [String], secret: String?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.allowedPrivateTargets = allowedPrivateTargets
        self.timeout = timeout
        self.authorization = authorization
        self.secret = secret
    }

    private func client(for url: String) throws -> CurlClient {
        let target: OutboundTarget
        do {
            target = try OutboundTarget.check(url, allowing: allowedPrivateTargets)
        } catch let refused as OutboundTarget.Refused {
            // The check names the webhooks' setting; here the range goes in the AI settings.
            let advice = refused.description.replacingOccurrences(of: "allowedPrivateTargets", with: "the AI settings' allowed_private_targets")
            throw ProviderError(.refusedTarget, "the provider URL is refused: \(advice)")
        }
        var client = CurlClient(userAgent: "pulse-assistant", timeout: timeout, connectTimeout: .seconds(10), maximumBodyBytes: 8 << 20)
        client.resolve = target.resolve
        return client
    }

    /// GETs `<base><path>` and parses the JSON answer.
    package func getJSON(_ path: String) async throws -> JSONValue {
        let url = baseURL + path
        let reply: HTTPReply
        do {
            reply = try await client(for: url).get(url, headers: authorization + ["Accept: application/json"])
        } catch let error as TransportError {
            throw ProviderError(.unreachable, "the provider could not be reached: \(error.description)").redacting(secret)
        }
        try Self.check(reply, secret: secret)
        guard let value = JSONValue.parse(reply.body) else { throw ProviderError(.malformed, "the provider's answer is not JSON") }
        return value
    }

    /// POSTs `body` as JSON to `<base><path>` and hands each line of the answer to `onLine` as it
    /// arrives (server-sent events or newline-delimited JSON), in order.
    package func postStreaming(_ path: String, body: JSONValue, onLine: (String) throws -> Void) async throws {
        let url = baseURL + path
        let client = try client(for: url)
        let bytes = Array(body.text.utf8)
        let headers = authorization + ["Content-Type: application/json", "Accept: text/event-stream, application/x-ndjson, application/json"]
        let (lines, sink) = AsyncStream<String>.makeStream()
        let splitter = LineSplitter(sink: sink)
        try await withThrowingTaskGroup(of: HTTPReply.self) { group in
            group.addTask {
                defer { splitter.finish() }
                do {
                    return try await client.stream("POST", url, headers: headers, body: bytes, onData: { splitter.feed($0) })
                } catch let error as TransportError {
                    throw ProviderError(.unreachable, "the provider could not be reached: \(error.description)")
                }
            }
            var firstLineError: (any Error)?
            for await line in lines where firstLineError == nil {
                do { try onLine(line) } catch { firstLineError = error }
            }
            guard let reply = try await group.next() else { throw ProviderError(.malformed, "no answer") }
            try Self.check(reply, secret: secret)
            if let firstLineError { throw firstLineError }
        }
    }

    /// Throws the provider's own error message for a non-2xx answer.
    static func check(_ reply: HTTPReply, secret: String?) throws {
        guard !(200..<300).contains(reply.status) else { return }
        let detail = JSONValue.parse(reply.body).flatMap { json in
            json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?.stringValue
        }
        let said = detail.map { ": " + String($0.prefix(300)) } ?? ""
        if reply.status == 429 {
            throw ProviderError(.rateLimited, "the provider is rate limiting requests (429)\(said); try again later").redacting(secret)
        }
        throw ProviderError(.failed(status: reply.status), "the provider answered \(reply.status)\(said)").redacting(secret)
    }
}

/// Cuts the body's pieces into lines as libcurl hands them over (on its thread).
final class LineSplitter: Sendable {
    private let pending = Mutex<[UInt8]>([])
    private let sink: AsyncStream<String>.Continuation

    init(sink: AsyncStream<String>.Continuation) {
        self.sink = sink
    }

    func feed(_ bytes: [UInt8]) {
        let lines: [String] = pending.withLock { buffer in
            buffer.append(contentsOf: bytes)
            var found: [String] = []
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                found.append(String(decoding: line, as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
            return found
        }
        for line in lines { sink.yield(line) }
    }

    func finish() {
        let rest = pending.withLock { buffer in
            defer { buffer = [] }
            return buffer
        }
        if !rest.isEmpty { sink.yield(String(decoding: rest, as: UTF8.self)) }
        sink.finish()
    }
}
