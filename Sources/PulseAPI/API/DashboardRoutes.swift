package import Hummingbird
import NIOCore

/// The dashboard: `index.html` at `/` and its scripts and styles under `/assets/`, all built
/// into the binary from `web/` (no build step, no JavaScript toolchain). Public: the page asks
/// for a login, and every byte of data comes from the authenticated API and `/ws`.
package struct DashboardRoutes {
    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]

    package func register(on routes: ScopedRouter) {
        for path in ["/", "/index.html"] {
            routes.get(path, access: .open) { _, _ in try Self.file("index.html") }
        }
        routes.get("/assets/{file}", access: .open) { _, context in
            try Self.file(try context.parameters.require("file"))
        }
    }

    package static func file(_ name: String) throws -> Response {
        guard !name.contains("/"), let body = EmbeddedFiles.named("web/\(name)"),
            let type = contentTypes[String(name.split(separator: ".").last ?? "")]
        else { throw APIError.notFound("No dashboard file \(name)") }
        var headers = HTTPFields()
        headers[.contentType] = type
        // Revalidated on every load: the files change with the server version.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init() {
    }
}
