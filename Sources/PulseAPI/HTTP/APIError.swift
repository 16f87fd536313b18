import AgentProtocol
import Foundation
package import Hummingbird
package import PulseSupport

/// An error that reaches the client as `{"error": "...", "code": "...", "status_code": N, "timestamp": unix}`.
///
/// `error` is the human-readable message (Pulse clients display it), `code` the stable
/// machine-readable identifier. Extra fields (`requiredScope`, `details`) are added where a
/// client needs them to act.
package struct APIError: HTTPResponseError {
    /// Stable identifiers clients can switch on. A struct, so adding one breaks no one.
    package struct Code: RawRepresentable, Hashable, Sendable, Encodable {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        static let invalidJSON = Code(rawValue: "invalid_json")
        package static let invalidRequest = Code(rawValue: "invalid_request")
        package static let invalidReport = Code(rawValue: "invalid_report")
        static let unauthorized = Code(rawValue: "unauthorized")
        static let invalidToken = Code(rawValue: "invalid_token")
        static let missingScope = Code(rawValue: "missing_scope")
        package static let forbidden = Code(rawValue: "forbidden")
        package static let notFound = Code(rawValue: "not_found")
        static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        static let payloadTooLarge = Code(rawValue: "payload_too_large")
        static let rateLimited = Code(rawValue: "rate_limited")
        static let internalError = Code(rawValue: "internal_error")
        static let connectionFailed = Code(rawValue: "connection_failed")
        static let csrfFailed = Code(rawValue: "csrf_failed")
        /// A trusted reverse proxy sent the wrong `X-Proxy-Secret`.
        static let invalidProxySecret = Code(rawValue: "invalid_proxy_secret")
        /// The user's role does not allow the request (a viewer asked for a change).
        static let readOnlyRole = Code(rawValue: "read_only_role")
        static let invalidCredentials = Code(rawValue: "invalid_credentials")
        static let lockedOut = Code(rawValue: "locked_out")
        static let invalidPassphrase = Code(rawValue: "invalid_passphrase")
        static let alreadyConfigured = Code(rawValue: "already_configured")
        /// A report names a host, Docker host or cluster that another token enrolled.
        package static let identityConflict = Code(rawValue: "identity_conflict")
        /// A limit on what one token or one report may create was reached.
        package static let limitExceeded = Code(rawValue: "limit_exceeded")
    }

    package let status: HTTPResponse.Status
    package let code: Code
    package let message: String
    /// For `missing_scope`: the scope the route needs.
    var requiredScope: String?
    /// Further machine-readable detail, e.g. the offending field.
    package var details: [String: String]?
    package var headers: HTTPFields = [:]

    package init(
        _ status: HTTPResponse.Status, code: Code, message: String,
        requiredScope: String? = nil, details: [String: String]? = nil, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.requiredScope = requiredScope
        self.details = details
        self.headers = headers
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    /// Renders the error body; used by middleware that must answer without a route.
    func makeResponse() -> Response {
        let body = Body(
            error: message, code: code, statusCode: Int(status.code),
            timestamp: Int(Date().timeIntervalSince1970),
            requiredScope: requiredScope, details: details
        )
        var response = JSONBody.response(body, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    private struct Body: Encodable {
        let error: String
        let code: Code
        let statusCode: Int
        let timestamp: Int
        let requiredScope: String?
        let details: [String: String]?

        enum CodingKeys: String, CodingKey {
            case error, code, statusCode = "status_code", timestamp, requiredScope, details
        }
    }
}

extension APIError {
    static func badRequest(_ message: String, code: Code = .invalidRequest, field: String? = nil) -> APIError {
        APIError(.badRequest, code: code, message: message, details: field.map { ["field": $0] })
    }

    package static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: .notFound, message: message)
    }

    static let authenticationRequired = APIError(
        .unauthorized, code: .unauthorized, message: "Authentication required")

    static let invalidToken = APIError(
        .unauthorized, code: .invalidToken, message: "Invalid or revoked API token")

    /// The secret itself is never echoed, not even its length.
    static let invalidProxySecret = APIError(
        .unauthorized, code: .invalidProxySecret, message: "The reverse proxy sent a wrong X-Proxy-Secret")

    /// 403 for a user whose role does not grant `scope`.
    static func readOnlyRole(_ role: UserRole, needs scope: Scope) -> APIError {
        APIError(
            .forbidden, code: .readOnlyRole, message: "The \(role.rawValue) role may only read monitoring data",
            requiredScope: scope.rawValue)
    }

    /// 403 in the shape Pulse clients check: `error` is literally `missing_scope`.
    static func missingScope(_ scope: String) -> APIError {
        APIError(.forbidden, code: .missingScope, message: "missing_scope", requiredScope: scope)
    }
}

extension APIError {
    /// The one place a domain refusal becomes an HTTP status: its kind decides the status, its
    /// code and details pass through unchanged.
    package init(_ error: DomainError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .invalid: .badRequest
            case .notFound: .notFound
            case .forbidden: .forbidden
            case .conflict: .conflict
            case .tooLarge: .contentTooLarge
            }
        self.init(status, code: Code(rawValue: error.code.rawValue), message: error.message, details: error.details)
    }
}
