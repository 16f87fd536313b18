package import Hummingbird
import HummingbirdWebSocket

/// A route as registered: method, path pattern and the access it demands.
package struct RegisteredRoute: Sendable, Equatable, CustomStringConvertible {
    package let method: HTTPRequest.Method
    package let path: String
    package let access: RouteAccess

    package var description: String { "\(method.rawValue) \(path) [\(access)]" }
}

/// Registers routes on the Hummingbird router, each with its `RouteAccess` checked before the
/// handler runs, and keeps the list so tests can check enforcement on every route there is.
///
/// There is no way to add a route here without declaring who may call it.
package final class ScopedRouter {
    package let router: Router<PulseRequestContext>
    /// Which pages may open a WebSocket route; checked before the route's access.
    /// Read at each upgrade: the allowed origins and public URL change at run time.
    package let webSocketOrigins: @Sendable () -> WebSocketOriginPolicy
    package private(set) var routes: [RegisteredRoute] = []

    package init(router: Router<PulseRequestContext>, webSocketOrigins: @escaping @Sendable () -> WebSocketOriginPolicy) {
        self.router = router
        self.webSocketOrigins = webSocketOrigins
    }

    package typealias Handler<Output> = @Sendable (Request, PulseRequestContext) async throws -> Output

    package func get<Output: ResponseGenerator>(_ path: String, access: RouteAccess, use handler: @escaping Handler<Output>) {
        on(.get, path, access: access, use: handler)
    }

    /// The same handler for GET and HEAD; the handler leaves the body out for HEAD.
    func getAndHead<Output: ResponseGenerator>(_ path: String, access: RouteAccess, use handler: @escaping Handler<Output>) {
        on(.get, path, access: access, use: handler)
        on(.head, path, access: access, use: handler)
    }

    package func post<Output: ResponseGenerator>(_ path: String, access: RouteAccess, use handler: @escaping Handler<Output>) {
        on(.post, path, access: access, use: handler)
    }

    package func put<Output: ResponseGenerator>(_ path: String, access: RouteAccess, use handler: @escaping Handler<Output>) {
        on(.put, path, access: access, use: handler)
    }

    package func delete<Output: ResponseGenerator>(_ path: String, access: RouteAccess, use handler: @escaping Handler<Output>) {
        on(.delete, path, access: access, use: handler)
    }

    /// A WebSocket endpoint: a page of a foreign origin is refused (403), then the upgrade request
    /// is authorised like any GET before `handler` runs.
    func webSocket(
        _ path: String, access: RouteAccess,
        onUpgrade handler: @escaping WebSocketDataHandler<WebSocketRouterContext<PulseRequestContext>>
    ) {
        routes.append(RegisteredRoute(method: .get, path: path, access: access))
        let origins = webSocketOrigins
        router.ws(
            RouterPath(path),
            shouldUpgrade: { request, context in
                let origin = request.headers[.origin]
                guard origins().allows(origin: origin, host: request.head.authority) else {
                    throw APIError(
                        .forbidden, code: .forbidden, message: "a page from \(origin ?? "?") may not open this WebSocket",
                        details: ["field": "Origin"])
                }
                try Self.authorize(access, context: context)
                return .upgrade([:])
            }, onUpgrade: handler)
    }

    package func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess, use handler: @escaping Handler<Output>
    ) {
        routes.append(RegisteredRoute(method: method, path: path, access: access))
        router.on(RouterPath(path), method: method) { request, context in
            try Self.authorize(access, context: context)
            return try await handler(request, context)
        }
    }

    private static func authorize(_ access: RouteAccess, context: PulseRequestContext) throws {
        switch access {
        case .open:
            break
        case .scope(let scope):
            try context.authentication.require(scope)
        case .setupTokenOr, .setupCodeOr:
            // The setup token or code may travel in the body, so the handler checks these itself.
            break
        }
    }
}
