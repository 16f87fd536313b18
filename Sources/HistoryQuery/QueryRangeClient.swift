import CurlHTTP
import Foundation

/// `POST /api/v1/query_range` of a Prometheus-compatible engine over libcurl. The query goes in
/// a form body, not the URL, so long selectors fit and nothing of it lands in access logs; no
/// redirect is followed; the credentials travel in the `Authorization` header only.
package struct QueryRangeClient: Sendable {
    let settings: HistoryEngineSettings
    private let curl: CurlClient

    /// A reply can hold every series of a large estate over a chart's points; more is not one.
    static let maximumReplyBytes = 128 << 20

    /// The engine could not answer: unreachable, too slow, an HTTP error or not a query reply.
    /// The description names no credential.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// One series of a range result: its labels and its points (Unix milliseconds, value).
    package struct Series: Sendable, Equatable {
        package var labels: [String: String]
        package var points: [Point]

        package struct Point: Sendable, Equatable {
            package var timestamp: Int64
            package var value: Double
        }
    }

    package init(settings: HistoryEngineSettings) {
        self.settings = settings
        curl = CurlClient(
            userAgent: "pulse-history", timeout: settings.timeout, connectTimeout: min(settings.timeout, .seconds(5)), tls: settings.tls,
            maximumBodyBytes: Self.maximumReplyBytes, connections: CurlConnections(limit: 8))
    }

    /// The query's result from `start` to `end` (Unix seconds) every `step` seconds.
    package func queryRange(_ query: String, start: Int64, end: Int64, step: Int64) async throws -> [Series] {
        let form = [("query", query), ("start", String(start)), ("end", String(end)), ("step", "\(step)s")]
            .map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        var headers = ["Content-Type: application/x-www-form-urlencoded", "Accept: application/json"]
        if let authorization = settings.authorization.headerLine { headers.append(authorization) }
        let reply: HTTPReply
        do {
            reply = try await curl.post(endpoint, headers: headers, body: Array(form.utf8))
        } catch {
            throw Failure(description: "the history engine could not be reached: \(error)")
        }
        guard reply.status == 200 else {
            let redirect = (300..<400).contains(reply.status) ? " (redirects are not followed)" : ""
            throw Failure(description: "the history engine answered HTTP \(reply.status)\(redirect)")
        }
        return try Self.series(fromReply: reply.body)
    }

    /// `<base>/api/v1/query_range`.
    var endpoint: String {
        var base = settings.url
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/api/v1/query_range"
    }

    /// The series of a `query_range` reply; anything but a successful matrix is a `Failure`.
    package static func series(fromReply body: [UInt8]) throws -> [Series] {
        let reply: Reply
        do {
            reply = try JSONDecoder().decode(Reply.self, from: Data(body))
        } catch {
            throw Failure(description: "the history engine's reply is not a query_range answer")
        }
        guard reply.status == "success", let data = reply.data, data.resultType == "matrix" else {
            throw Failure(description: "the history engine refused the query: \(reply.errorType ?? reply.status)")
        }
        return data.result.map { result in
            Series(
                labels: result.metric,
                points: result.values.compactMap { sample in
                    guard sample.value.isFinite, sample.seconds.isFinite else { return nil }
                    return Series.Point(timestamp: Int64((sample.seconds * 1000).rounded()), value: sample.value)
                })
        }
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters percent-encoded.
    static func formEncoded(_ value: String) -> String {
        var text = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                text += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return text
    }

    private struct Reply: Decodable {
        var status: String
        var data: ResultData?
        var errorType: String?
    }

    private struct ResultData: Decodable {
        var resultType: String
        var result: [Result]
    }

    private struct Result: Decodable {
        var metric: [String: String]
        var values: [Sample]
    }

    /// `[<unix seconds>, "<value>"]`.
    private struct Sample: Decodable {
        var seconds: Double
        var value: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            seconds = try container.decode(Double.self)
            let text = try container.decode(String.self)
            value = Double(text) ?? .nan
        }
    }
}
