import FoundationEssentials
package import Hummingbird
import Logging

/// Applies `RateLimitPolicy` to every request: adds `X-RateLimit-Limit/Remaining/Reset` to the
/// response and answers 429 with `Retry-After` once a bucket is empty.
///
/// It runs after authentication (agent reports are counted per token) and converts errors from
/// the routes itself, so error responses carry the headers too.
package struct RateLimitMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let limiter: RateLimiter
    package let policy: RateLimitPolicy

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let (key, category) = policy.classify(request, context: context) else {
            return try await next(request, context)
        }
        let decision = limiter.consume(key: key, category: category)
        var response: Response
        if decision.allowed {
            do {
                response = try await next(request, context)
            } catch {
                response = ErrorMiddleware.respond(to: error, request: request, context: context)
            }
        } else {
            context.logger.notice(
                "rate limited", metadata: ["category": .string(category.name), "client": .string(context.clientIP)])
            response = APIError(
                .tooManyRequests, code: .rateLimited,
                message: "Rate limit exceeded. Please retry after \(decision.retryAfter) seconds."
            ).makeResponse()
            response.headers[.retryAfter] = String(decision.retryAfter)
        }
        response.headers[.rateLimitLimit] = String(decision.limit)
        response.headers[.rateLimitRemaining] = String(decision.remaining)
        response.headers[.rateLimitReset] = String(Int(decision.resetAt.timeIntervalSince1970.rounded(.up)))
        return response
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(limiter: RateLimiter, policy: RateLimitPolicy) {
        self.limiter = limiter
        self.policy = policy
    }
}
