import Foundation
import HTTPTypes
package import Hummingbird
import NIOCore

/// The dashboard: `index.html` at `/` and its scripts and styles under `/assets/`, all built
/// into the binary from `web/` (no build step, no JavaScript toolchain). Public: the page asks
/// for a login, and every byte of data comes from the authenticated API and `/ws`.
///
/// Files go out gzip-compressed when the client accepts it, with an entity tag from their
/// content (a matching `If-None-Match` is answered 304). `index.html` names its assets under
/// `/assets/v/<version>/`, the version a hash of every file: those URLs are cached for a year as
/// immutable. The page itself and unversioned asset URLs are revalidated on every load.
package struct DashboardRoutes {
    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]
    /// How long a versioned asset may be kept: a year, and never revalidated.
    static let immutable = "public, max-age=31536000, immutable"

    /// The files served.
    package let assets: DashboardAssets

    package func register(on routes: ScopedRouter) {
        for path in ["/", "/index.html"] {
            routes.get(path, access: .open) { request, _ in try file("index.html", request: request, versioned: false) }
        }
        routes.get("/assets/{file}", access: .open) { request, context in
            try file(try context.parameters.require("file"), request: request, versioned: false)
        }
        // A static segment: a parameter beside `{file}` would be another route at that level.
        routes.get("/assets/v/{version}/{file}", access: .open) { request, context in
            let version = try context.parameters.require("version")
            return try file(try context.parameters.require("file"), request: request, versioned: version == assets.version)
        }
    }

    /// The response for the dashboard file `name`: 304 when the client holds it, gzip when it
    /// accepts that, cached for a year when `versioned` (its URL names the current version).
    func file(_ name: String, request: Request, versioned: Bool) throws -> Response {
        guard !name.contains("/"), let asset = assets.asset(name),
            let type = Self.contentTypes[String(name.split(separator: ".").last ?? "")]
        else { throw APIError.notFound("No dashboard file \(name)") }
        // Each representation has its own tag: the gzip one is marked.
        let gzip = AcceptEncoding.acceptsGzip(request.headers[.acceptEncoding])
        let tag = gzip ? String(asset.entityTag.dropLast()) + "-gz\"" : asset.entityTag
        var headers = HTTPFields()
        headers[.eTag] = tag
        headers[.cacheControl] = versioned ? Self.immutable : "no-cache"
        headers[.vary] = "Accept-Encoding"
        if let held = request.headers[.ifNoneMatch], Self.matches(held, tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = type
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzip ? asset.gzip : asset.identity))
    }

    /// Whether an `If-None-Match` value names `tag` (or is `*`); weak tags compare by their value.
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let candidate = item.trimmingCharacters(in: .whitespaces)
            return candidate == "*" || candidate == tag || candidate == "W/" + tag
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(assets: DashboardAssets = .embedded) {
        self.assets = assets
    }
}
