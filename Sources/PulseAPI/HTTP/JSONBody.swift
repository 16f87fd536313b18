package import AgentProtocol
package import Foundation
package import Hummingbird
package import NIOCore
import NIOFoundationCompat
import PulseSupport

/// Encoding and decoding of JSON bodies with the server's conventions.
package enum JSONBody {
    /// The encoder for API responses (`WireJSON`).
    package static func makeEncoder() -> JSONEncoder { WireJSON.makeEncoder() }

    /// A JSON response with `value` as its body.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try makeEncoder().encode(value)
        } catch {
            // Encoding our own value types cannot fail short of a programming error; answer 500.
            return Response(status: .internalServerError)
        }
        return response(json: data, status: status)
    }

    /// A response whose body is `json`, already encoded.
    static func response(json: some Collection<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(json.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// Decodes a collected body; malformed JSON gives 400 `invalid_json` with the decoder's
    /// explanation (which key, what was expected) so the caller can fix it.
    package static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, decoder: some BodyDecoder) throws -> T {
        try refusingMalformedBody { try decoder.decode(T.self, from: buffer) }
    }

    /// A Docker report, reusing the unchanged containers of `previous` (see `ContainerReuse`);
    /// malformed JSON is refused as `decode` refuses it.
    package static func decodeDockerReport(_ buffer: ByteBuffer, reusing previous: ContainerReuse) throws -> (DockerReport, ContainerDigests) {
        try refusingMalformedBody {
            try buffer.withUnsafeReadableBytes { try AgentJSONDecoder().decodeDockerReport(from: $0, reusing: previous) }
        }
    }

    /// Runs `decoding`, turning a `DecodingError` into 400 `invalid_json` naming what was wrong.
    private static func refusingMalformedBody<T>(_ decoding: () throws -> T) throws -> T {
        do {
            return try decoding()
        } catch let error as DecodingError {
            throw APIError.badRequest("Malformed JSON body: \(DecodingErrorDescription.describe(error))", code: .invalidJSON)
        }
    }

    /// An empty `204 No Content` response.
    static var noContent: Response { Response(status: .noContent) }
}

/// JSON responses with a status other than 200, for handlers that return `some ResponseGenerator`.
package struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    package let status: HTTPResponse.Status
    package let value: Value

    package init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(value, status: status)
    }
}

extension Request {
    /// Reads and decodes a JSON body of at most `limit` bytes.
    ///
    /// Oversized bodies give 413 naming the limit; malformed JSON gives 400 `invalid_json` with
    /// the decoder's explanation (which key, what was expected) so the caller can fix it.
    mutating func decodeJSON<T: Decodable>(
        _ type: T.Type, limit: Int, decoder: some BodyDecoder = JSONDecoder()
    ) async throws -> T {
        try JSONBody.decode(T.self, from: try await collectJSONBody(limit: limit), decoder: decoder)
    }

    /// Collects the raw body, refusing more than `limit` bytes.
    mutating func collectJSONBody(limit: Int) async throws -> ByteBuffer {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        do {
            return try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }
}

extension APIError {
    /// 413 naming the limit in human units.
    static func payloadTooLarge(limit: Int) -> APIError {
        let readable = limit % (1024 * 1024) == 0 ? "\(limit / 1024 / 1024) MiB" : "\(limit / 1024) KiB"
        return APIError(
            .contentTooLarge, code: .payloadTooLarge,
            message: "Request body exceeds the \(readable) limit for this endpoint")
    }
}

/// Something that decodes a collected request body.
package protocol BodyDecoder {
    func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T
}

extension JSONDecoder: BodyDecoder {}

/// Agent reports use the tape decoder: same values, a fraction of the CPU (see `AgentJSONDecoder`).
extension AgentJSONDecoder: BodyDecoder {
    package func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try buffer.withUnsafeReadableBytes { try decode(type, from: $0) }
    }
}

/// Turns a `DecodingError` into one readable sentence naming the JSON path.
package enum DecodingErrorDescription {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as? NSError)?.userInfo["NSDebugDescription"] as? String
            return located(context, underlying ?? context.debugDescription)
        case .keyNotFound(let key, let context):
            return located(context, "missing required field '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            return located(context, "expected \(readable(type))")
        case .valueNotFound(let type, let context):
            return located(context, "expected \(readable(type)), found null")
        @unknown default:
            return "\(error)"
        }
    }

    private static func located(_ context: DecodingError.Context, _ message: String) -> String {
        let path = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        return path.isEmpty ? message : "\(path): \(message)"
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}
