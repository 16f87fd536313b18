import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NIOCore
import Testing
import WSClient

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("/api/state and /ws: one encoded document per version, gzip, bounded staleness")
struct StateDocumentTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]

    /// The `/ws` message around a state document, as `LiveStateFeed` sent it before documents were shared.
    private struct RawDataMessage: Encodable {
        let type = "rawData"
        let data: StateSnapshot
    }

    /// A snapshot built anew from the state's contents (not the published one) and encoded with
    /// the API's encoder: what `/api/state` answered when it encoded every request.
    static func freshEncoding(_ server: TestServer) async throws -> (state: [UInt8], message: [UInt8]) {
        let snapshot = await server.dependencies.state.contents().snapshot()
        let encoder = JSONBody.makeEncoder()
        return (Array(try encoder.encode(snapshot)), Array(try encoder.encode(RawDataMessage(data: snapshot))))
    }

    static func body(_ response: TestResponse) -> [UInt8] {
        Array(response.body.readableBytesView)
    }

    /// The JSON text with every object's keys sorted: Foundation's encoder writes a struct's keys
    /// in an order of its own that differs from one encoding to the next, so two encodings of
    /// one value compare equal only in this form (same keys, same values, same array order).
    static func canonical(_ bytes: [UInt8]) throws -> [UInt8] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return Array(try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]))
    }

    /// `/api/state` and the shared `/ws` message equal a fresh encoding; returns the body.
    @discardableResult
    static func expectFresh(_ server: TestServer, _ client: some TestClientProtocol, _ what: Comment) async throws -> [UInt8] {
        let response = try await client.execute(uri: "/api/state", method: .get, headers: admin)
        #expect(response.status == .ok)
        let fresh = try await freshEncoding(server)
        let served = body(response)
        // Compared as Bools: a failure then says which, without diffing megabytes of bytes.
        let sameState = try canonical(served) == canonical(fresh.state)
        #expect(sameState, "/api/state after \(what)")
        let shared = try #require(server.dependencies.stateDocuments.latest)
        let message = Array(shared.message.readableBytesView)
        // The /ws message is the body's bytes themselves, wrapped as the feed always wrapped them.
        let wrapsBody = message == Array(#"{"type":"rawData","data":"#.utf8) + served + Array("}".utf8)
        #expect(wrapsBody, "the /ws message wraps the body after \(what)")
        let sameMessage = try canonical(message) == canonical(fresh.message)
        #expect(sameMessage, "the /ws message after \(what)")
        return try canonical(served)
    }

    @Test func cachedBytesEqualAFreshEncodingAfterEveryKindOfChange() async throws {
        try await TestServer.with { server, client in
            let empty = try await Self.expectFresh(server, client, "start")
            let token = try await server.token(scopes: ["host-agent:report"])
            let report = try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "h1"))
            #expect(report.status == .ok)
            let reported = try await Self.expectFresh(server, client, "a host report")
            #expect(Bool(reported != empty), "the report shows")

            // Demo mode polls its PVE clusters through the real poller (and its agents report).
            _ = try await DemoModeTests.switchOn(client)
            let demo = try await Self.expectFresh(server, client, "demo mode's first poll")
            server.time.advance(by: 2)
            #expect(await server.dependencies.demo.readIfDue())
            let polled = try await Self.expectFresh(server, client, "a PVE poll")
            #expect(Bool(polled != demo), "the poll shows")

            let guest = try #require(try await client.state().objects("vms").first)
            let node = try #require(guest["node"] as? String)
            let vmid = try #require(guest["vmid"] as? Int)
            let put = try await client.execute(
                uri: "/api/guests/metadata/\(node)/\(vmid)", method: .put, headers: Self.admin.merging(.json),
                body: ByteBuffer(string: #"{"notes": "changed for the test"}"#))
            #expect(put.status == .ok)
            let annotated = try await Self.expectFresh(server, client, "a metadata change")
            #expect(Bool(annotated != polled), "the metadata shows")

            // Uptime follows the clock without a change of version.
            let version = server.dependencies.state.changes.current
            server.time.advance(by: 1.5)
            let later = try await Self.expectFresh(server, client, "the clock moving on")
            #expect(server.dependencies.state.changes.current == version)
            #expect(Bool(later != annotated), "the uptime moved")
        }
    }

    @Test(
        arguments: [
            (nil, false), ("gzip", true), ("GZIP", true), ("x-gzip", true), ("gzip;q=0", false), ("gzip; q=0.0", false), ("br", false),
            ("br, gzip;q=0.5", true), ("deflate, br", false), ("*", true), ("*;q=0", false), ("*, gzip;q=0", false), ("identity", false),
            ("gzip;q=abc", false),
        ] as [(String?, Bool)])
    func acceptEncodingChoosesGzip(header: String?, gzip: Bool) async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "h1"))
            let plain = try await client.execute(uri: "/api/state", method: .get, headers: Self.admin)
            var headers = Self.admin
            if let header { headers[.acceptEncoding] = header }
            let response = try await client.execute(uri: "/api/state", method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(plain.headers[.vary] == "Accept-Encoding")
            #expect(response.headers[.contentEncoding] == (gzip ? "gzip" : nil))
            #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            let decoded = gzip ? try ZlibInflate.gunzip(Self.body(response)) : Self.body(response)
            let same = decoded == Self.body(plain)
            #expect(same, "the body, decoded, is the plain one")
        }
    }

    @Test func gzipIsMadeOncePerDocument() async throws {
        try await TestServer.with { server, client in
            let headers = Self.admin.merging([.acceptEncoding: "gzip"])
            let first = try await client.execute(uri: "/api/state", method: .get, headers: headers)
            let document = try #require(server.dependencies.stateDocuments.latest)
            #expect(document.isCompressed)
            let second = try await client.execute(uri: "/api/state", method: .get, headers: headers)
            #expect(server.dependencies.stateDocuments.latest === document, "no change, no new document")
            let sameGzip = Self.body(first) == Self.body(second)
            #expect(sameGzip, "the same compressed bytes")
            let roundTrip = try ZlibInflate.gunzip(Self.body(second)) == Array(document.state.readableBytesView)
            #expect(roundTrip)
        }
    }

    @Test func aNewDocumentIsCompressedAheadOnlyWhileTheLastOnesCompressionWasUsed() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let documents = server.dependencies.stateDocuments
            func read(gzip: Bool) async throws -> EncodedState {
                let headers = gzip ? Self.admin.merging([.acceptEncoding: "gzip"]) : Self.admin
                #expect(try await client.execute(uri: "/api/state", method: .get, headers: headers).status == .ok)
                return try #require(documents.latest)
            }
            func report(_ hostname: String) async throws {
                let body = AgentPayloads.host(hostname: hostname, agentID: hostname)
                #expect(try await client.post("/api/agents/host/report", token: token, body: body).status == .ok)
            }
            // Plain reads compress nothing.
            let plain = try await read(gzip: false)
            #expect(!plain.isCompressed)
            // A gzip read compresses the document it reads...
            let zipped = try await read(gzip: true)
            #expect(zipped.isCompressed && zipped.compressionWasUsed)
            // ...so the next build compresses its own before anyone asks,
            try await report("h1")
            let ahead = try await read(gzip: false)
            #expect(ahead !== zipped)
            #expect(ahead.isCompressed && !ahead.compressionWasUsed)
            // and once nobody used it, the next build does not.
            try await report("h2")
            let after = try await read(gzip: false)
            #expect(after !== ahead)
            #expect(!after.isCompressed)
        }
    }

    @Test func aClientSeesItsOwnWritesAtOnceAndOthersWithinTheBound() async throws {
        // An hour's bound: the refresh service (every half bound, on the wall clock) stays out of the way.
        try await TestServer.with(configure: { $0.stateMaxStaleness = .seconds(3600) }) { server, client in
            let reader: HTTPFields = [.apiToken: try await server.token(scopes: ["monitoring:read"])]
            let agent = try await server.token(scopes: ["host-agent:report", "monitoring:read"])
            func hosts(_ headers: HTTPFields) async throws -> [String] {
                try await client.execute(uri: "/api/state", method: .get, headers: headers) { try $0.jsonObject() }
                    .objects("hosts").compactMap { $0["hostname"] as? String }
            }
            #expect(try await hosts(reader) == [])

            // An agent's report, then its own read: the report is there.
            #expect(try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "h1")).status == .ok)
            #expect(try await hosts(.token(agent)) == ["h1"])
            let builds = server.dependencies.stateDocuments.builds

            // Another client's read within the bound may be older than a later report...
            #expect(
                try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "h2", agentID: "a2"))
                    .status == .ok)
            #expect(try await hosts(reader) == ["h1"])
            #expect(server.dependencies.stateDocuments.builds == builds, "served the kept document")
            // ...but never older than the bound.
            server.time.advance(by: 3600)
            #expect(try await hosts(reader).sorted() == ["h1", "h2"])
            // The writer itself sees its second report whatever the clock.
            #expect(
                try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "h3", agentID: "a3"))
                    .status == .ok)
            #expect(try await hosts(.token(agent)).sorted() == ["h1", "h2", "h3"])
        }
    }

    @Test func withoutABoundEveryReadIsOfTheCurrentVersion() async throws {
        try await TestServer.with { server, client in
            let reader: HTTPFields = [.apiToken: try await server.token(scopes: ["monitoring:read"])]
            let agent = try await server.token(scopes: ["host-agent:report"])
            for index in 1...3 {
                let body = AgentPayloads.host(hostname: "h\(index)", agentID: "a\(index)")
                #expect(try await client.post("/api/agents/host/report", token: agent, body: body).status == .ok)
                let state = try await client.execute(uri: "/api/state", method: .get, headers: reader) { try $0.jsonObject() }
                #expect(state.objects("hosts").count == index)
            }
        }
    }

    @Test func theRefreshBuildsOnlyADocumentSomeoneRead() async throws {
        // An hour's bound: the refresh service's own timer (every half bound, on the wall clock) and
        // the kept document's age cannot count in, however long the test waits for its turn (with
        // 30 s it once took 126 s in a full run and counted a third build).
        try await TestServer.with(configure: { $0.stateMaxStaleness = .seconds(3600) }) { server, client in
            let documents = server.dependencies.stateDocuments
            let agent = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.state()
            let read = documents.builds
            #expect(try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "h1")).status == .ok)
            try await documents.refreshIfRead()
            #expect(documents.builds == read + 1, "the kept document was read and the state moved on")
            #expect(documents.latest?.version == server.dependencies.state.changes.current)
            try await documents.refreshIfRead()
            #expect(documents.builds == read + 1, "not read since it was built")
            let body = AgentPayloads.host(hostname: "h2", agentID: "a2")
            #expect(try await client.post("/api/agents/host/report", token: agent, body: body).status == .ok)
            try await documents.refreshIfRead()
            #expect(documents.builds == read + 1, "nobody read the refreshed document")
            // A reader now gets the kept document without waiting for a build.
            #expect(try await client.state().objects("hosts").count == 1)
            #expect(documents.builds == read + 1)
        }
    }

    @Test func webSocketClientsGetTheSameDocumentAsAPIState() async throws {
        try await TestServer.with { server, _ in
            try await server.app.application.test(.live) { client in
                let token = try await server.token(scopes: ["host-agent:report"])
                #expect(try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "h1")).status == .ok)
                let state = Self.body(try await client.execute(uri: "/api/state", method: .get, headers: Self.admin))
                let expected = Array(#"{"type":"rawData","data":"#.utf8) + state + Array("}".utf8)
                let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: Self.admin)
                for _ in 0..<2 {
                    try await client.ws("/ws", configuration: configuration) { inbound, outbound, _ in
                        var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                        let first = try #require(try await messages.next())
                        guard case .text(let text) = first else {
                            Issue.record("not a text message")
                            return
                        }
                        let same = Array(text.utf8) == expected
                        #expect(same, "the first message is /api/state's body as the rawData message")
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
            }
        }
    }

    @Test func writerTableStaysBounded() {
        var writers = WriterVersions()
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        writers.note("token:a", version: 5, at: start, keptFor: 2)
        #expect(writers.required(of: "token:a") == 5)
        #expect(writers.required(of: "token:b") == 0)
        #expect(writers.required(of: nil) == 0)
        writers.note("token:a", version: 3, at: start, keptFor: 2)
        #expect(writers.required(of: "token:a") == 5, "a writer's requirement never goes back")
        // Writers from longer ago than the bound are swept out once the table is large.
        for index in 0..<WriterVersions.sweepAt { writers.note("token:\(index)", version: 6, at: start, keptFor: 2) }
        for index in 0...(2 * WriterVersions.sweepAt + 2) {
            writers.note("late:\(index)", version: 7, at: start.addingTimeInterval(10), keptFor: 2)
        }
        #expect(writers.required(of: "token:a") == 0 && writers.required(of: "token:0") == 0)
        #expect(writers.required(of: "late:0") == 7)
        #expect(writers.count <= 2 * WriterVersions.sweepAt + 3)
        // More writers within the bound than the table holds: it is emptied, and every reader
        // must see the newest version noted.
        for index in 0...(2 * WriterVersions.limit) {
            writers.note("user:\(index)", version: UInt64(100 + index), at: start.addingTimeInterval(11), keptFor: 2)
        }
        #expect(writers.count <= 2 * WriterVersions.limit)
        #expect(writers.required(of: "token:nobody") >= 100)
        // With no bound nothing is kept: every read is of the current version anyway.
        var unbounded = WriterVersions()
        unbounded.note("token:a", version: 5, at: start, keptFor: 0)
        #expect(unbounded.count == 0)
    }

}

extension HTTPFields {
    fileprivate func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        merged.append(contentsOf: other)
        return merged
    }
}
