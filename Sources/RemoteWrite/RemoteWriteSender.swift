import CurlHTTP
import Foundation
import PulseSupport

/// POSTs one compressed `WriteRequest` to the receiver through libcurl (no redirects, TLS
/// verified unless the operator turned it off) and says what to do with the batch.
struct RemoteWriteSender: Sendable {
    /// What the answer means for the batch.
    enum Outcome: Sendable, Equatable {
        /// 2xx: the receiver has it.
        case accepted
        /// 5xx, 429 or no answer: keep it and try again later (`retryAfter` seconds when a 429 said so).
        case retry(reason: String, retryAfter: Double?)
        /// Any other status: the receiver will never take it.
        case rejected(reason: String)
    }

    let url: String
    private let headers: [String]
    private let client: CurlClient

    init(settings: RemoteWriteSettings) {
        url = settings.url
        var headers = [
            "Content-Encoding: snappy", "Content-Type: application/x-protobuf", "X-Prometheus-Remote-Write-Version: 0.1.0",
        ]
        if let authorization = settings.authorization.headerLine { headers.append(authorization) }
        self.headers = headers
        // Receivers answer with a line or two; the limit only stops a runaway body.
        client = CurlClient(
            userAgent: "pulse/\(BuildInfo.version)", timeout: settings.timeout, tls: settings.tls, maximumBodyBytes: 1024 * 1024,
            connections: CurlConnections())
    }

    func send(_ body: [UInt8]) async -> Outcome {
        let reply: HTTPReply
        do {
            reply = try await client.post(url, headers: headers, body: body)
        } catch {
            return .retry(reason: "\(error)", retryAfter: nil)
        }
        switch reply.status {
        case 200..<300:
            return .accepted
        case 429:
            return .retry(
                reason: Self.describe(reply), retryAfter: reply.headers["retry-after"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) })
        case 500..<600:
            return .retry(reason: Self.describe(reply), retryAfter: nil)
        default:
            return .rejected(reason: Self.describe(reply))
        }
    }

    /// The status and the start of the receiver's explanation, on one line.
    private static func describe(_ reply: HTTPReply) -> String {
        let text = String(decoding: reply.body.prefix(300), as: UTF8.self)
        let line = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return "HTTP \(reply.status)" + (line.isEmpty ? "" : ": \(line.trimmingCharacters(in: .whitespaces))")
    }
}
