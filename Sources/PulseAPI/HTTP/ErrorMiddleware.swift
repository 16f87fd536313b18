package import Hummingbird
import Logging
import NIOCore
import PulseSupport

/// Turns every error that escapes a handler into the JSON error body, and logs it.
///
/// Nothing reaches the client as an empty 500: route-not-found, oversized bodies and unexpected
/// failures all carry `{"error","code"}`. Client errors are logged at `notice`, server errors
/// at `error` (with the underlying error, which never contains request secrets).
package struct ErrorMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.respond(to: error, request: request, context: context)
        }
    }

    /// Logs `error` and renders it as the JSON error response.
    static func respond(to error: any Error, request: Request, context: Context) -> Response {
        let apiError = apiError(for: error, request: request)
        let metadata: Logger.Metadata = [
            "code": .string(apiError.code.rawValue),
            "status": .stringConvertible(apiError.status.code),
            "reason": .string(apiError.message),
        ]
        if apiError.status.code >= 500 {
            context.logger.error("request failed", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
        } else {
            context.logger.notice("request rejected", metadata: metadata)
        }
        return apiError.makeResponse()
    }

    /// Maps any error to the API error clients see.
    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            return APIError(error)
        case let error as InvalidField:
            return .badRequest(error.reason, field: error.field)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: .payloadTooLarge, message: "Request body too large")
        case let error as HTTPError where error.status == .notFound:
            return .notFound("No such endpoint: \(request.method.rawValue) \(request.uri.path)")
        case let error as HTTPError where error.status == .methodNotAllowed:
            return APIError(
                .methodNotAllowed, code: .methodNotAllowed,
                message: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
        case let error as HTTPError where error.status.code < 500:
            return APIError(error.status, code: .invalidRequest, message: error.body ?? error.status.reasonPhrase)
        case let error as DecodingError:
            return .badRequest("Malformed JSON body: \(DecodingErrorDescription.describe(error))", code: .invalidJSON)
        default:
            return APIError(.internalServerError, code: .internalError, message: "Internal server error")
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init() {
    }
}
