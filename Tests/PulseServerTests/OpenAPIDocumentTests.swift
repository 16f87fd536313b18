import Foundation
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

@Suite("The OpenAPI document describes every route as registered")
struct OpenAPIDocumentTests {
    /// The document as it is in the repository.
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PulseAPI/API/OpenAPI/openapi.json")

    static func document() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: file))
        return try #require(object as? [String: Any], "openapi.json is not a JSON object")
    }

    @Test func everyRouteHasAnOperationWithItsAccessAndEveryOperationARoute() async throws {
        try await TestServer.with { server, _ in
            let operations = OpenAPIOperations(document: try Self.document())
            #expect(operations.operations.count >= server.app.routes.count)
            for problem in operations.mismatches(with: server.app.routes) {
                Issue.record("\(problem)")
            }
        }
    }

    @Test func aRouteWithoutAnOperationOrWithAnotherAccessIsReported() async throws {
        try await TestServer.with { server, _ in
            let operations = OpenAPIOperations(document: try Self.document())
            var routes = server.app.routes
            routes.append(RegisteredRoute(method: .get, path: "/api/not-described", access: .open))
            let health = try #require(routes.firstIndex { $0.path == "/api/health" })
            routes[health] = RegisteredRoute(method: .get, path: "/api/health", access: .scope(.settingsRead))
            let version = try #require(routes.firstIndex { $0.path == "/api/version" })
            routes.remove(at: version)

            let problems = operations.mismatches(with: routes)
            #expect(problems.count == 3, "\(problems)")
            #expect(problems.contains { $0.contains("GET /api/not-described [public] has no operation") })
            #expect(problems.contains { $0.contains("GET /api/health declares access public") && $0.contains("settings:read") })
            #expect(problems.contains { $0.contains("GET /api/version has no registered route") })
        }
    }

    @Test func theServerServesTheRepositoryFileWithoutCredentials() async throws {
        let expected = try Data(contentsOf: Self.file)
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(Data(buffer: response.body) == expected, "GET /api/openapi.json is not the repository's openapi.json")
            }
        }
    }

    @Test func theDocumentIsOpenAPI31WithUniqueOperationIDs() throws {
        let document = try Self.document()
        let version = try #require(document["openapi"] as? String)
        #expect(version.hasPrefix("3.1."), "openapi is \(version)")
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["title"] as? String == "Pulse")
        #expect(info["version"] is String)
        let ids = OpenAPIOperations(document: document).operations.compactMap { $0.object["operationId"] as? String }
        #expect(ids.count == OpenAPIOperations(document: document).operations.count, "an operation has no operationId")
        #expect(Set(ids).count == ids.count, "operationIds repeat")
    }

    @Test func securityMatchesTheDeclaredAccess() throws {
        for operation in OpenAPIOperations(document: try Self.document()).operations {
            let security = try #require(operation.object["security"] as? [[String: Any]], "\(operation) has no security")
            let schemes = Set(security.flatMap(\.keys))
            switch operation.access {
            case "public":
                #expect(security.isEmpty, "\(operation) is public but lists security")
            case let access? where access.hasPrefix("setup-token or "):
                #expect(schemes == ["setupToken", "apiToken", "bearerToken", "sessionCookie"], "\(operation): \(schemes)")
            case let access? where access.hasPrefix("setup-code or "):
                #expect(security.contains { $0.isEmpty }, "\(operation) takes its code in the body, so credentials are optional")
                #expect(schemes == ["apiToken", "bearerToken", "sessionCookie"], "\(operation): \(schemes)")
            case .some:
                #expect(schemes == ["apiToken", "bearerToken", "sessionCookie"], "\(operation): \(schemes)")
            case nil:
                Issue.record("\(operation) has no x-pulse-access")
            }
        }
    }

    @Test func everyJSONResponseHasARealSchemaAndEveryReferenceResolves() throws {
        let document = try Self.document()
        let components = try #require(document["components"] as? [String: Any])
        for operation in OpenAPIOperations(document: document).operations {
            let responses = try #require(operation.object["responses"] as? [String: Any], "\(operation) has no responses")
            // A browser navigation's success is a redirect (single sign-on's login and callback, the
            // AI sign-in's callback); an endpoint kept only to say it was withdrawn answers 410 (the
            // Anthropic subscription sign-in).
            #expect(
                responses.keys.contains { $0.hasPrefix("2") || ["101", "302", "307", "410"].contains($0) }, "\(operation) documents no success")
            for (status, response) in responses where status.hasPrefix("2") {
                let content = (response as? [String: Any])?["content"] as? [String: Any] ?? [:]
                guard let json = content["application/json"] as? [String: Any] else { continue }
                let schema = try #require(json["schema"] as? [String: Any], "\(operation) \(status) has no schema")
                #expect(!schema.isEmpty, "\(operation) \(status) has an empty schema")
            }
            if operation.access != "public" {
                for status in ["401", "403"] {
                    #expect(responses[status] != nil, "\(operation) does not document \(status)")
                }
            }
        }
        for reference in Self.references(in: document) {
            let parts = reference.split(separator: "/").map(String.init)
            #expect(parts.count == 4 && parts[0] == "#" && parts[1] == "components", "unexpected $ref \(reference)")
            guard parts.count == 4 else { continue }
            #expect((components[parts[2]] as? [String: Any])?[parts[3]] != nil, "$ref \(reference) does not resolve")
        }
    }

    /// Every `$ref` value anywhere in `value`.
    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            let own = (object["$ref"] as? String).map { [$0] } ?? []
            return own + object.values.flatMap(references(in:))
        case let array as [Any]:
            return array.flatMap(references(in:))
        default:
            return []
        }
    }
}
