import Foundation
package import HTTPTypes
package import Hummingbird
import Logging

/// Gives every request an ID, echoes it in `X-Request-ID`, tags the logger with it and writes
/// one access-log line per request (at debug level).
///
/// A well-formed incoming `X-Request-ID` (from a reverse proxy) is kept so IDs correlate across
/// hops. The access log records the path without its query string, so nothing a client put in
/// a URL (where tokens must never be) reaches the logs.
package struct RequestIDMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        // Hummingbird already tags the logger with a fresh random ID (`hb.request.id`); it is
        // replaced only when a proxy sent a well-formed one, so IDs correlate across hops.
        let requestID: String
        if let incoming = Self.acceptable(request.headers[.requestID]) {
            requestID = incoming
            context.logger[metadataKey: "hb.request.id"] = .string(incoming)
        } else {
            requestID = context.id
        }
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = requestID
        let elapsed = ContinuousClock.now - started
        // At debug: an agent reports every few seconds and the dashboard polls, so one line per
        // request at info would bury what a person running the server needs to see.
        context.logger.debug(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "durationMs": .stringConvertible(
                    Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000
                        + Double(elapsed.components.seconds) * 1000),
                "client": .string(context.clientIP),
            ])
        return response
    }

    /// An incoming ID is reused only if it is short and plain.
    static func acceptable(_ value: String?) -> String? {
        guard let value, (8...64).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init() {
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
    package static let apiToken = Self("X-API-Token")!
    static let setupToken = Self("X-Setup-Token")!
    static let csrfToken = Self("X-CSRF-Token")!
    static let rateLimitLimit = Self("X-RateLimit-Limit")!
    static let rateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let rateLimitReset = Self("X-RateLimit-Reset")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let permissionsPolicy = Self("Permissions-Policy")!
}
