import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/api/config/nodes`: the seeds' request shapes, clear 4xx errors naming the field, and
/// secrets that go in but never come out (API, database).
@Suite("Proxmox instance configuration API")
struct ProxmoxConfigRoutesTests {
    static let admin = HTTPFields.token(TestServer.adminToken)

    @Test func theSeedsExampleAddsAnInstanceWhoseSecretsNeverComeBack() async throws {
        try await TestServer.with { server, client in
            let body =
                #"{"type":"pve","name":"My PVE Node","host":"https://192.168.1.100:8006","user":"monitor@pve","password":"hunter2-very-secret","verifySSL":false}"#
            let created = try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) { response in
                #expect(response.status == .created)
                #expect(!response.text.contains("hunter2"))
                return try response.jsonObject()
            }
            #expect(created["id"] as? String == "pve-1")
            #expect(created["hasPassword"] as? Bool == true && created["hasToken"] as? Bool == false)
            #expect(created["host"] as? String == "https://192.168.1.100:8006" && created["verifySSL"] as? Bool == false)
            #expect(created["status"] as? String == "pending")

            try await client.execute(uri: "/api/config/nodes", method: .get, headers: Self.admin) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("hunter2") && response.text.contains("\"hasPassword\":true"))
            }
            // A token replaces the password; an omitted secret on PUT keeps the stored one.
            try await client.execute(
                uri: "/api/config/nodes/pve-1", method: .put, headers: Self.admin,
                body: .json(#"{"tokenName":"monitor@pve!pulse","tokenValue":"tok-very-secret"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.field("hasToken", as: Bool.self) == true && response.field("hasPassword", as: Bool.self) == false)
            }
            try await client.execute(uri: "/api/config/nodes/pve-1", method: .put, headers: Self.admin, body: .json(#"{"name":"renamed"}"#)) {
                response in
                #expect(response.field("hasToken", as: Bool.self) == true && response.field("name", as: String.self) == "renamed")
            }
            let stored = try #require(await server.dependencies.proxmoxInstances.target(id: "pve-1"))
            #expect(stored.credentials.tokenValue == "tok-very-secret")

            // Sealed at rest: no secret in the database file.
            try server.dependencies.database.checkpoint()
            let bytes = try Data(contentsOf: server.dataDirectory.appendingPathComponent("pulse.db"))
            #expect(bytes.range(of: Data("tok-very-secret".utf8)) == nil && bytes.range(of: Data("hunter2".utf8)) == nil)

            try await client.execute(uri: "/api/config/nodes/pve-1", method: .delete, headers: Self.admin) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/api/config/nodes/pve-1", method: .delete, headers: Self.admin) { #expect($0.status == .notFound) }
            // IDs are never reused.
            try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) { response in
                #expect(response.field("id", as: String.self) == "pve-2")
            }
        }
    }

    @Test(arguments: [
        (#"{"type":"vmware","host":"h","user":"a@pam","password":"p"}"#, "type"),
        (#"{"type":"pve","user":"a@pam","password":"p"}"#, "host"),
        (#"{"type":"pve","host":"http://h:8006","user":"a@pam","password":"p"}"#, "host"),
        (#"{"type":"pve","host":"https://u:p@h:8006","user":"a@pam","password":"p"}"#, "host"),
        (#"{"type":"pve","host":"h","user":"root","password":"p"}"#, "user"),
        (#"{"type":"pve","host":"h","user":"a@pam"}"#, "password"),
        (#"{"type":"pve","host":"h","user":"a@pam","tokenValue":"x"}"#, "tokenName"),
        (#"{"type":"pve","host":"h","user":"a@pam","password":"p","fingerprint":"AB:CD"}"#, "fingerprint"),
    ])
    func badInputIsA400NamingTheField(body: String, field: String) async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) { response in
                #expect(response.status == .badRequest)
                let details = try response.jsonObject()["details"] as? [String: String]
                #expect(details?["field"] == field, "\(response.text)")
            }
            try await client.execute(uri: "/api/config/nodes", method: .get, headers: Self.admin) { #expect($0.text == "[]") }
        }
    }

    @Test func aDuplicateNameIsAConflictAndReadScopesCannotWrite() async throws {
        try await TestServer.with { server, client in
            let body = #"{"type":"pbs","name":"backup","host":"pbs.lan","user":"pulse@pbs","password":"p"}"#
            try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) { response in
                #expect(response.status == .created)
                #expect(response.field("host", as: String.self) == "https://pbs.lan:8007", "PBS's default port")
            }
            try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) {
                #expect($0.status == .conflict)
            }
            let reader = try await server.token(scopes: ["settings:read"])
            try await client.execute(uri: "/api/config/nodes", method: .get, headers: .token(reader)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/config/nodes/pbs-1", method: .delete, headers: .token(reader)) { #expect($0.status == .forbidden) }
            let monitor = try await server.token(scopes: ["monitoring:read"])
            try await client.execute(uri: "/api/config/nodes", method: .get, headers: .token(monitor)) { #expect($0.status == .forbidden) }
        }
    }

    @Test func aConnectionTestThatFailsSaysWhyWithoutTheSecret() async throws {
        try await TestServer.with { _, client in
            let body = #"{"type":"pve","host":"https://127.0.0.1:1","user":"a@pam","password":"do-not-echo"}"#
            try await client.execute(uri: "/api/config/nodes/test-connection", method: .post, headers: Self.admin, body: .json(body)) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("code", as: String.self) == "connection_failed")
                #expect(!response.text.contains("do-not-echo"))
            }
        }
    }

    @Test func readEndpointsAnswerInTheSeedsShapesBeforeAnyPoll() async throws {
        try await TestServer.with { _, client in
            for path in ["/api/storage/", "/api/storage", "/api/snapshots", "/api/backups/pbs"] {
                try await client.execute(uri: path, method: .get, headers: Self.admin) { response in
                    #expect(response.status == .ok && response.text == "[]", "\(path): \(response.text)")
                }
            }
            try await client.execute(uri: "/api/backups/unified", method: .get, headers: Self.admin) { response in
                let body = try response.jsonObject()
                #expect(Set(body.keys) == ["backupTasks", "storageBackups", "guestSnapshots", "pbsBackups"])
            }
            try await client.execute(uri: "/api/monitoring/scheduler/health", method: .get, headers: Self.admin) { response in
                let body = try response.jsonObject()
                #expect(Set(body.keys) == ["updatedAt", "enabled", "queue", "deadLetter", "breakers", "staleness", "instances"])
            }
            try await client.execute(uri: "/api/storage/nope", method: .get, headers: Self.admin) { #expect($0.status == .notFound) }
        }
    }
}
