import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer

/// `/api/{guests,hosts,docker,docker/hosts}/metadata`: the seed's example unchanged, strict
/// validation that changes nothing on a bad value, scopes, persistence and the state.
@Suite("Resource metadata")
struct MetadataRoutesTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    @Test func theSeedsGuestExampleWorksUnchanged() async throws {
        try await TestServer.with { _, client in
            let body = #"{"consoleUrl": "https://custom-console.example.com/vm/100", "notes": "Production database server"}"#
            let put = try await client.execute(
                uri: "/api/guests/metadata/pve-node/100", method: .put, headers: Self.admin, body: ByteBuffer(string: body))
            #expect(put.status == .ok)
            let stored = try await client.execute(uri: "/api/guests/metadata/pve-node/100", method: .get, headers: Self.admin) {
                try $0.jsonObject()
            }
            #expect(stored["id"] as? String == "pve-node:100")
            #expect(stored["customUrl"] as? String == "https://custom-console.example.com/vm/100")
            #expect(stored["consoleUrl"] as? String == "https://custom-console.example.com/vm/100")
            #expect(stored["notes"] as? [String] == ["Production database server"])
            let all = try await client.execute(uri: "/api/guests/metadata", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect((all["pve-node:100"] as? [String: Any])?["customUrl"] as? String == "https://custom-console.example.com/vm/100")
            let post = try await client.execute(
                uri: "/api/guests/metadata/pve-node/100", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"customUrl": "http://10.0.0.5:8006/", "tags": ["db", "db", " prod "]}"#))
            #expect(post.status == .ok)
            #expect(post.field("tags", as: [String].self) == ["db", "prod"], "trimmed, without repeats")
            #expect(post.field("notes", as: [String].self) == [], "the body replaces the record")
        }
    }

    @Test func aPercentEncodedIDNamesTheSameRecord() async throws {
        try await TestServer.with { server, client in
            let put = try await client.execute(
                uri: "/api/guests/metadata/lab%3Apve1%3A100", method: .put, headers: Self.admin,
                body: ByteBuffer(string: #"{"customUrl": "https://console.example/100"}"#))
            #expect(put.status == .ok)
            #expect(await server.dependencies.state.metadata(of: .guest)["lab:pve1:100"]?.customUrl == "https://console.example/100")
            let slash = try await client.execute(
                uri: "/api/guests/metadata/a%2Fb", method: .put, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(slash.status == .badRequest, "a decoded slash is still refused")
        }
    }

    @Test func aBadValueIsRefusedNamingItsFieldAndChangesNothing() async throws {
        try await TestServer.with { _, client in
            let good = try await client.execute(
                uri: "/api/hosts/metadata/host-1", method: .put, headers: Self.admin,
                body: ByteBuffer(string: #"{"customUrl": "https://box.example/", "description": "rack 4"}"#))
            #expect(good.status == .ok)
            let cases: [(body: String, field: String)] = [
                (#"{"customUrl": "javascript:alert(1)"}"#, "customUrl"),
                (#"{"customUrl": "/relative/path"}"#, "customUrl"),
                (#"{"customUrl": "ftp://box.example/"}"#, "customUrl"),
                (#"{"tags": "not a list"}"#, "tags"),
                (#"{"notes": 7}"#, "notes"),
                ("{\"tags\": [\"two\\nlines\"]}", "tags"),
                ("{\"description\": \"\(String(repeating: "x", count: 1001))\"}", "description"),
            ]
            for (body, field) in cases {
                let response = try await client.execute(
                    uri: "/api/hosts/metadata/host-1", method: .put, headers: Self.admin, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(body)")
            }
            let vmid = try await client.execute(
                uri: "/api/guests/metadata/pve1/abc", method: .put, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(vmid.status == .badRequest)
            #expect((try vmid.jsonObject()["details"] as? [String: Any])?["field"] as? String == "vmid")
            let after = try await client.execute(uri: "/api/hosts/metadata/host-1", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(after["customUrl"] as? String == "https://box.example/", "no bad request changed the record")
            #expect(after["description"] as? String == "rack 4")
        }
    }

    @Test func readingNeedsMonitoringReadAndChangingMonitoringWrite() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.token(scopes: ["monitoring:read"])
            let read = try await client.execute(uri: "/api/docker/metadata", method: .get, headers: [.apiToken: reader])
            #expect(read.status == .ok)
            let write = try await client.execute(
                uri: "/api/docker/metadata/abc", method: .put, headers: [.apiToken: reader, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"description": "x"}"#))
            #expect(write.status == .forbidden)
            #expect(try write.jsonObject()["requiredScope"] as? String == "monitoring:write")
            #expect(await server.dependencies.state.metadata(of: .docker).isEmpty)
            let anonymous = try await client.execute(uri: "/api/docker/hosts/metadata", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func metadataIsShownInTheStateKeptAcrossARestartAndDeleted() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostID: String = try await TestServer.with(dataDirectory: folder) { _, client in
            let report = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "box-1", hostID: "box-1-id"))
            #expect(report.status == .ok)
            let id = try #require(report.field("hostId", as: String.self))
            let put = try await client.execute(
                uri: "/api/hosts/metadata/\(id)", method: .put, headers: Self.admin,
                body: ByteBuffer(string: #"{"customUrl": "https://box-1.example/", "notes": ["UPS on circuit B"]}"#))
            #expect(put.status == .ok)
            #expect(put.field("lastKnownName", as: String.self) == "box-1", "the record says what it was about")
            let host = try #require(try await client.state().objects("hosts").first)
            let metadata = try #require(host["metadata"] as? [String: Any])
            #expect(metadata["customUrl"] as? String == "https://box-1.example/")
            #expect(metadata["notes"] as? [String] == ["UPS on circuit B"])
            return id
        }
        try await TestServer.with(dataDirectory: folder) { _, client in
            let stored = try await client.execute(uri: "/api/hosts/metadata/\(hostID)", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(stored["customUrl"] as? String == "https://box-1.example/", "kept across a restart")
            let deleted = try await client.execute(uri: "/api/hosts/metadata/\(hostID)", method: .delete, headers: Self.admin)
            #expect(deleted.status == .noContent)
            let empty = try await client.execute(uri: "/api/hosts/metadata/\(hostID)", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(empty["customUrl"] as? String == "")
        }
        try await TestServer.with(dataDirectory: folder) { _, client in
            let all = try await client.execute(uri: "/api/hosts/metadata", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(all.isEmpty, "the delete was stored")
        }
    }

    @Test func anExportCarriesMetadataAndAnImportRestoresIt() async throws {
        try await TestServer.with { server, client in
            _ = try await client.execute(
                uri: "/api/guests/metadata/lab:pve1:100", method: .put, headers: Self.admin,
                body: ByteBuffer(string: #"{"customUrl": "https://console.example/100"}"#))
            let export = try await client.execute(
                uri: "/api/config/export", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"passphrase": "a long enough passphrase"}"#))
            let data = try #require(export.field("data", as: String.self))
            _ = try await client.execute(uri: "/api/guests/metadata/lab:pve1:100", method: .delete, headers: Self.admin)
            #expect(await server.dependencies.state.metadata(of: .guest).isEmpty)
            let imported = try await client.execute(
                uri: "/api/config/import", method: .post, headers: Self.admin,
                body: ByteBuffer(string: AgentPayloads.json(["data": data, "passphrase": "a long enough passphrase"])))
            #expect(imported.status == .ok)
            #expect(await server.dependencies.state.metadata(of: .guest)["lab:pve1:100"]?.customUrl == "https://console.example/100")
        }
    }
}
