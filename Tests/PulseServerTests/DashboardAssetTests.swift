import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseServer

/// The dashboard's files as browsers get them: gzip when accepted, an entity tag per
/// representation (304 for a match), and `index.html` naming its assets under a content-hashed
/// version whose URLs are cached for a year.
@Suite("Dashboard assets: gzip, content-hashed URLs, long-lived caching")
struct DashboardAssetTests {
    static let gzip: HTTPFields = [.acceptEncoding: "gzip, deflate, br"]

    @Test func theVersionedAssetsIndexNamesAreImmutableAndGzipped() async throws {
        try await TestServer.with { _, client in
            let version = DashboardAssets.embedded.version
            let page = try await client.execute(uri: "/", method: .get, headers: Self.gzip)
            #expect(page.status == .ok)
            #expect(page.headers[.contentEncoding] == "gzip")
            #expect(page.headers[.cacheControl] == "no-cache", "the page itself is revalidated, so a new build is seen")
            let html = String(decoding: try ZlibInflate.gunzip(StateDocumentTests.body(page)), as: UTF8.self)
            #expect(html.contains("\"/assets/v/\(version)/app.js\""))
            #expect(html.contains("\"/assets/v/\(version)/app.css\""))
            #expect(!html.contains("\"/assets/app.js\""), "no unversioned asset URL is left in the page")

            let script = try await client.execute(uri: "/assets/v/\(version)/app.js", method: .get, headers: Self.gzip)
            #expect(script.status == .ok)
            #expect(script.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(script.headers[.contentEncoding] == "gzip")
            #expect(script.headers[.vary] == "Accept-Encoding")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            let plain = try await client.execute(uri: "/assets/v/\(version)/app.js", method: .get)
            #expect(plain.headers[.contentEncoding] == nil)
            let same = try ZlibInflate.gunzip(StateDocumentTests.body(script)) == StateDocumentTests.body(plain)
            #expect(same, "the gzip decodes to the file")
            #expect(script.body.readableBytes < plain.body.readableBytes)
        }
    }

    @Test func anOldVersionOrNoVersionIsRevalidatedNotKeptForAYear() async throws {
        try await TestServer.with { _, client in
            for uri in ["/assets/app.js", "/assets/v/0000000000000000/app.js"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.cacheControl] == "no-cache", "\(uri)")
            }
            let missing = try await client.execute(uri: "/assets/v/\(DashboardAssets.embedded.version)/nothing.js", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aMatchingEntityTagIsAnswered304PerRepresentation() async throws {
        try await TestServer.with { _, client in
            let first = try await client.execute(uri: "/assets/dom.js", method: .get, headers: Self.gzip)
            let tag = try #require(first.headers[.eTag])
            var again = Self.gzip
            again[.ifNoneMatch] = tag
            let cached = try await client.execute(uri: "/assets/dom.js", method: .get, headers: again)
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            #expect(cached.headers[.eTag] == tag)
            // The gzip tag does not stand for the identity bytes.
            let identity = try await client.execute(uri: "/assets/dom.js", method: .get, headers: [.ifNoneMatch: tag])
            #expect(identity.status == .ok)
            #expect(identity.headers[.eTag] != tag)
        }
    }

    @Test func theVersionFollowsTheContent() throws {
        func assets(_ script: String) -> DashboardAssets {
            DashboardAssets(files: [
                "index.html": ByteBuffer(string: "<script src=\"/assets/app.js\"></script>"), "app.js": ByteBuffer(string: script),
            ])
        }
        let (one, same, changed) = (assets("1"), assets("1"), assets("2"))
        #expect(one.version == same.version)
        #expect(one.version != changed.version)
        #expect(one.asset("app.js")?.entityTag != changed.asset("app.js")?.entityTag)
        let page = String(buffer: try #require(changed.asset("index.html")).identity)
        #expect(page == "<script src=\"/assets/v/\(changed.version)/app.js\"></script>")
    }
}
