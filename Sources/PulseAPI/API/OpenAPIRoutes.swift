import Hummingbird
import NIOCore

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of every route, public like the version.
///
/// The document is `API/OpenAPI/openapi.json`, built into the binary by the EmbedFiles plugin and
/// served byte for byte. `OpenAPIDocumentTests` keeps it true: every registered route has an
/// operation with the same access, and every operation a route; schemathesis (`make test`)
/// checks the responses against its schemas.
package struct OpenAPIRoutes {
    /// The embedded file's name (see `EmbedFilesPlugin.folders`).
    static let documentName = "openapi/openapi.json"

    package func register(on routes: ScopedRouter) {
        routes.get("/api/openapi.json", access: .open) { _, _ in
            guard let document = EmbeddedFiles.named(Self.documentName) else {
                throw APIError.notFound("This server was built without its OpenAPI document")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            // Revalidated on every load: the document changes with the server version.
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: document))
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init() {
    }
}
