package import Hummingbird

/// Tells `StateDocuments` of every change a client made through the API (any method but GET,
/// HEAD and OPTIONS), once its handler is done, so that client's next `/api/state` shows it.
package struct ReadYourWritesMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let documents: StateDocuments

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !request.method.isSafe else { return try await next(request, context) }
        defer { documents.noteWrite(by: context.authentication.readerKey) }
        return try await next(request, context)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(documents: StateDocuments) {
        self.documents = documents
    }
}

extension Authentication {
    /// Who a client is for read-your-writes: its token, its user, or everyone unauthenticated.
    var readerKey: String {
        switch self {
        case .token(let record): "token:\(record.id)"
        case .user(let user): "user:\(user.name)"
        case .anonymous, .rejectedToken, .rejectedProxySecret: "anonymous"
        }
    }
}
